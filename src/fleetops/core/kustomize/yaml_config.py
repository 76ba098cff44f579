"""Small YAML config files a kustomization points at (configurations, replacements, plugins)."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.loader import Loader
from fleetops.core.yamlio import YamlReadError, load_documents


def load_yaml_documents(ldr: Loader, path: str) -> list[Any]:
    try:
        return [d for d in load_documents(ldr.read(path)) if d is not None]
    except YamlReadError as error:
        raise KustomizeError(f"{error} in File: {ldr.absolute(path)}") from None


def load_yaml_map(ldr: Loader, path: str) -> dict[str, Any]:
    documents = load_yaml_documents(ldr, path)
    if not documents:
        return {}
    if not isinstance(documents[0], dict):
        raise KustomizeError(f"expected a map in {ldr.absolute(path)}")
    return documents[0]
