"""A kustomization's `openapi:` field: a custom OpenAPI (swagger) schema for strategic merges.

As in kustomize, the custom schema replaces the built-in one for the whole build: kinds it does
not describe are merged without patch metadata (maps merged, lists replaced).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.loader import Loader
from fleetops.core.kustomize.smp_schema import merge_definitions
from fleetops.core.yamlio import YamlReadError, load_documents

if TYPE_CHECKING:
    from fleetops.core.schema import SchemaNode

BUILTIN_VERSIONS = ("v1.21.2",)
_PREFIXES = ("#/definitions/", "#/$defs/")


class CustomSchema:
    def __init__(self, document: Mapping[str, Any]) -> None:
        definitions = document.get("definitions")
        self.definitions: Mapping[str, Any] = definitions if isinstance(definitions, Mapping) else {}
        self._by_gvk: dict[tuple[str, str, str], str] = {}
        for name, definition in self.definitions.items():
            if not isinstance(definition, Mapping):
                continue
            for gvk in definition.get("x-kubernetes-group-version-kind") or []:
                if isinstance(gvk, Mapping):
                    key = (
                        str(gvk.get("group") or ""),
                        str(gvk.get("version") or ""),
                        str(gvk.get("kind") or ""),
                    )
                    self._by_gvk.setdefault(key, name)

    def definition(self, name: str) -> Mapping[str, Any] | None:
        """A custom definition, else the built-in one of that name (kustomize adds the custom
        schema to its built-in Kubernetes schema)."""
        for prefix in _PREFIXES:
            name = name.removeprefix(prefix)
        found = self.definitions.get(name)
        if isinstance(found, Mapping):
            return found
        return merge_definitions().definition(name)

    def node_for(self, obj: Mapping[str, Any]) -> SchemaNode | None:
        group, _, version = str(obj.get("apiVersion") or "").rpartition("/")
        name = self._by_gvk.get((group, version, str(obj.get("kind") or "")))
        if name is None:
            return None
        raw = self.definition(name)
        from fleetops.core.schema.node import resolve  # noqa: PLC0415

        return resolve(raw, self) if raw is not None else None


def load_openapi(ldr: Loader, settings: dict[str, Any]) -> CustomSchema | None:
    """The custom schema a kustomization's `openapi:` names, or None for the built-in one."""
    path = settings.get("path")
    version = settings.get("version")
    if path and version:
        raise KustomizeError("builtin version and custom schema provided, cannot use both")
    if version:
        if str(version) not in BUILTIN_VERSIONS:
            raise KustomizeError(f"the specified OpenAPI version is not built in: {version}")
        return None
    if not path:
        return None
    text = ldr.read(str(path))
    try:
        document = json.loads(text) if text.lstrip().startswith(b"{") else load_documents(text)[0]
    except (ValueError, YamlReadError, IndexError) as error:
        raise KustomizeError(f"unable to parse the OpenAPI schema {path}: {error}") from None
    if not isinstance(document, Mapping):
        raise KustomizeError(f"the OpenAPI schema {path} is not a map")
    return CustomSchema(document)
