"""The built-in definitions of one Kubernetes version, read from the `kubernetes-validate` package.

The package ships `kubernetes-json-schema/v1.XX.0-local/_definitions.json` (a `$defs` table
whose entries carry `x-kubernetes-group-version-kind` and the patch/list/map extensions).
The file is located with `importlib.util.find_spec` so that `kubernetes_validate` itself (which
imports `jsonschema`, ~0.1 s) is never imported; each version is parsed once per process.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fleetops.model import GroupVersionKind

_PACKAGE = "kubernetes_validate"
_SCHEMA_DIR = "kubernetes-json-schema"
_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.0-local$")


class UnknownSchemaVersionError(LookupError):
    """No OpenAPI definitions are shipped for the requested Kubernetes version."""

    def __init__(self, version: str, available: list[str]) -> None:
        super().__init__(f"no Kubernetes schema for version {version!r}; available: {', '.join(available)}")
        self.version = version
        self.available = available


def _schema_root() -> Path:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {_PACKAGE} package (pinned in pyproject.toml) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / _SCHEMA_DIR


@cache
def available_versions() -> list[str]:
    """The Kubernetes versions whose definitions can be loaded, oldest first: `["1.25", …]`."""
    found: list[tuple[int, int]] = []
    for entry in _schema_root().iterdir():
        match = _VERSION_DIR.match(entry.name)
        if match and (entry / "_definitions.json").is_file():
            found.append((int(match[1]), int(match[2])))
    return [f"{major}.{minor}" for major, minor in sorted(found)]


def normalise_version(version: str) -> str:
    """Accept `1.32`, `v1.32`, `1.32.0` and `v1.32.4`; return `1.32`."""
    parts = version.removeprefix("v").split(".")
    return ".".join(parts[:2])


class Definitions:
    """The `$defs` table of one version plus an index from GVK to definition name."""

    def __init__(self, version: str, table: Mapping[str, Mapping[str, Any]]) -> None:
        self.version = version
        self._table = table
        self.kinds: dict[GroupVersionKind, str] = {}
        for name, definition in table.items():
            for entry in definition.get("x-kubernetes-group-version-kind") or ():
                gvk = GroupVersionKind(entry.get("group", ""), entry["version"], entry["kind"])
                # Shared types (DeleteOptions, WatchEvent, Status) list every group; first one wins.
                self.kinds.setdefault(gvk, name)

    def definition(self, name: str) -> Mapping[str, Any] | None:
        return self._table.get(name)

    def names(self) -> list[str]:
        return list(self._table)


@cache
def load_definitions(version: str) -> Definitions:
    """Parse the definitions of `version` (e.g. "1.32") once; raises `UnknownSchemaVersionError`."""
    available = available_versions()
    if version not in available:
        raise UnknownSchemaVersionError(version, available)
    path = _schema_root() / f"v{version}.0-local" / "_definitions.json"
    with path.open("rb") as handle:
        document = json.load(handle)
    return Definitions(version, document["$defs"])
