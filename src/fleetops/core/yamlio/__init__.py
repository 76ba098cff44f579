"""Bounded YAML reading (go-yaml v3 scalar rules) and kyaml/`kubectl kustomize`-identical writing."""

from fleetops.core.yamlio.reader import YamlLimits, YamlReadError, load_documents
from fleetops.core.yamlio.writer import dump_document, dump_documents, go_yaml_sort_key

__all__ = [
    "YamlLimits",
    "YamlReadError",
    "dump_document",
    "dump_documents",
    "go_yaml_sort_key",
    "load_documents",
]
