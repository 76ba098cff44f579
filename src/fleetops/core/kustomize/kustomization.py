"""Reading a kustomization file: known fields only, deprecated fields noted and folded in."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.kustomization_types import check_types
from fleetops.core.kustomize.loader import KUSTOMIZATION_FILE_NAMES, Loader
from fleetops.core.yamlio import YamlReadError, load_documents

KUSTOMIZATION_KIND = "Kustomization"
COMPONENT_KIND = "Component"
KUSTOMIZATION_API = "kustomize.config.k8s.io/v1beta1"
COMPONENT_API = "kustomize.config.k8s.io/v1alpha1"

KNOWN_FIELDS = frozenset(
    [
        "apiVersion",
        "kind",
        "metadata",
        "openapi",
        "namePrefix",
        "nameSuffix",
        "namespace",
        "commonLabels",
        "labels",
        "commonAnnotations",
        "patchesStrategicMerge",
        "patchesJson6902",
        "patches",
        "images",
        "imageTags",
        "replacements",
        "replicas",
        "vars",
        "sortOptions",
        "resources",
        "components",
        "crds",
        "bases",
        "configMapGenerator",
        "secretGenerator",
        "helmGlobals",
        "helmCharts",
        "helmChartInflationGenerator",
        "generatorOptions",
        "configurations",
        "generators",
        "transformers",
        "validators",
        "inventory",
        "buildMetadata",
    ]
)

_DEPRECATIONS = {
    "bases": "'bases' is deprecated. Please use 'resources' instead.",
    "commonLabels": "'commonLabels' is deprecated. Please use 'labels' instead.",
    "imageTags": "'imageTags' is deprecated. Please use 'images' instead.",
    "patchesJson6902": "'patchesJson6902' is deprecated. Please use 'patches' instead.",
    "patchesStrategicMerge": "'patchesStrategicMerge' is deprecated. Please use 'patches' instead.",
    "vars": "'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL]",
}


@dataclass
class Kustomization:
    data: dict[str, Any]
    path: str
    warnings: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.data.get("kind") or KUSTOMIZATION_KIND)

    def list(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise KustomizeError(f"invalid Kustomization: field '{key}' must be a list")
        return value

    def map(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise KustomizeError(f"invalid Kustomization: field '{key}' must be a map")
        return value

    def string(self, key: str) -> str:
        value = self.data.get(key)
        return "" if value is None else str(value)


def find_kustomization_file(ldr: Loader) -> str:
    found = [name for name in KUSTOMIZATION_FILE_NAMES if ldr.fs.is_file(posixpath.join(ldr.root, name))]
    if not found:
        quoted = ", ".join(f"'{n}'" for n in KUSTOMIZATION_FILE_NAMES[:-1])
        raise KustomizeError(
            f"unable to find one of {quoted} or '{KUSTOMIZATION_FILE_NAMES[-1]}' in directory '{ldr.root}'"
        )
    if len(found) > 1:
        raise KustomizeError(f"Found multiple kustomization files under: {ldr.root}\n")
    return found[0]


def load_kustomization(ldr: Loader) -> Kustomization:
    name = find_kustomization_file(ldr)
    path = posixpath.join(ldr.root, name)
    content = ldr.read(name)
    try:
        documents = [
            d for d in load_documents(content, allow_duplicate_keys=True, yaml11_bools=True) if d is not None
        ]
    except YamlReadError as error:
        raise KustomizeError(f"invalid Kustomization: {error}") from None
    data: Any = documents[0] if documents else {}
    if len(documents) > 1:
        raise KustomizeError(f"invalid Kustomization: {path} holds more than one document")
    if not isinstance(data, dict):
        raise KustomizeError(f"invalid Kustomization: {path} is not a map")
    canonical = {name.lower(): name for name in KNOWN_FIELDS}
    normalized: dict[str, Any] = {}
    for key, value in data.items():
        known = canonical.get(str(key).lower())
        if known is None:
            raise KustomizeError(f'invalid Kustomization: json: unknown field "{key}"')
        normalized[known] = value
    data = normalized
    check_types(data)
    kustomization = Kustomization(data, path)
    kind = kustomization.kind
    api_version = str(data.get("apiVersion") or "")
    if kind == COMPONENT_KIND:
        if api_version and api_version != COMPONENT_API:
            raise KustomizeError(f"apiVersion for {kind} should be {COMPONENT_API}")
    elif kind == KUSTOMIZATION_KIND:
        if api_version and api_version != KUSTOMIZATION_API:
            raise KustomizeError(f"apiVersion for {kind} should be {KUSTOMIZATION_API}")
    else:
        raise KustomizeError(f"kind should be {KUSTOMIZATION_KIND} or {COMPONENT_KIND}")
    _fix(kustomization)
    return kustomization


def _fix(k: Kustomization) -> None:
    data = k.data
    for key in sorted(_DEPRECATIONS):
        if key in data:
            k.warnings.append(
                f"# Warning: {_DEPRECATIONS[key]} Run 'kustomize edit fix' to update your Kustomization "
                "automatically."
            )
    if data.get("bases"):
        data["resources"] = list(data.get("resources") or []) + list(data["bases"])
    if data.get("imageTags"):
        data["images"] = list(data.get("images") or []) + list(data["imageTags"])
