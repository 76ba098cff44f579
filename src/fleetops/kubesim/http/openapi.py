"""OpenAPI v3 documents converted from the Foundation schema: `/openapi/v3` and one per group-version.

The built-in definitions are JSON-schema flavoured (`type: ["string", "null"]`, `$defs`); OpenAPI 3
wants one type and `#/components/schemas/` references, which is what `kubectl explain` and kubectl's
field-validation probe read. Each PATCH operation carries `x-kubernetes-group-version-kind` and a
`fieldValidation` query parameter, so kubectl leaves validation to the server.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim.catalog import Catalog

Manifest = dict[str, Any]

_REF = "#/$defs/"
_COMPONENT = "#/components/schemas/"
_SCALAR_TYPES = ("string", "integer", "number", "boolean", "object", "array")


def _single_type(value: Any) -> str | None:
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    kept = [name for name in names if name in _SCALAR_TYPES]
    return kept[0] if len(kept) == 1 else None


def convert(raw: Any, refs: set[str], *, root: bool = False) -> Any:
    """One schema node in OpenAPI 3 form; the definition names it refers to are added to `refs`."""
    if isinstance(raw, list):
        return [convert(item, refs) for item in raw]
    if not isinstance(raw, Mapping):
        return raw
    out: Manifest = {}
    for key, value in raw.items():
        if key == "$ref":
            name = str(value).removeprefix(_REF)
            refs.add(name)
            continue
        if key == "type":
            single = _single_type(value)
            if single is not None:
                out["type"] = single
        elif key in ("oneOf", "anyOf") and isinstance(value, list):
            types = {_single_type(choice.get("type")) for choice in value if isinstance(choice, Mapping)}
            out["type"] = "string"
            if "integer" in types:
                out["format"] = "int-or-string"
                out["x-kubernetes-int-or-string"] = True
        elif key == "enum" and isinstance(value, list):
            kept = [item for item in value if item is not None]
            if kept:
                out["enum"] = kept
        elif key in ("properties", "patternProperties") and isinstance(value, Mapping):
            props = {name: convert(item, refs) for name, item in value.items()}
            if root:
                for name in ("apiVersion", "kind"):
                    if isinstance(props.get(name), dict):
                        props[name].pop("enum", None)
            out[key] = props
        elif key in ("items", "additionalProperties", "not") or key in ("allOf",):
            out[key] = convert(value, refs)
        else:
            out[key] = value
    if "$ref" in raw:
        ref = {"$ref": _COMPONENT + str(raw["$ref"]).removeprefix(_REF)}
        if out:
            return {**out, "allOf": [ref]}
        return ref
    return out


def _closure(catalog: Catalog, names: set[str]) -> dict[str, Manifest]:
    definitions = catalog.schema.definitions
    schemas: dict[str, Manifest] = {}
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in schemas:
            continue
        raw = definitions.definition(name)
        if raw is None:
            continue
        found: set[str] = set()
        schemas[name] = convert(raw, found, root="x-kubernetes-group-version-kind" in raw)
        pending.extend(found - set(schemas))
    return schemas


def _custom_name(info: ResourceInfo) -> str:
    reversed_group = ".".join(reversed(info.gvk.group.split(".")))
    return f"{reversed_group}.{info.gvk.version}.{info.gvk.kind}"


_PARAMETERS = ("dryRun", "fieldManager", "fieldValidation", "force")


def _query(name: str) -> Manifest:
    kind = "boolean" if name == "force" else "string"
    return {"name": name, "in": "query", "description": name, "schema": {"type": kind, "uniqueItems": True}}


def _gvk_extension(info: ResourceInfo) -> Manifest:
    return {"group": info.gvk.group, "version": info.gvk.version, "kind": info.gvk.kind}


def _content(ref: str) -> Manifest:
    return {"application/json": {"schema": {"$ref": ref}}, "application/yaml": {"schema": {"$ref": ref}}}


def _paths(info: ResourceInfo, schema_ref: str) -> dict[str, Manifest]:
    prefix = f"/apis/{info.gvk.group}/{info.gvk.version}" if info.gvk.group else f"/api/{info.gvk.version}"
    base = (
        f"{prefix}/namespaces/{{namespace}}/{info.plural}" if info.namespaced else f"{prefix}/{info.plural}"
    )
    extension = _gvk_extension(info)
    response = {"200": {"description": "OK", "content": _content(schema_ref)}}
    item: Manifest = {
        "get": {
            "operationId": f"read{info.gvk.kind}",
            "x-kubernetes-action": "get",
            "x-kubernetes-group-version-kind": extension,
            "responses": response,
        },
        "put": {
            "operationId": f"replace{info.gvk.kind}",
            "x-kubernetes-action": "put",
            "x-kubernetes-group-version-kind": extension,
            "parameters": [_query(p) for p in _PARAMETERS if p != "force"],
            "requestBody": {"content": _content(schema_ref), "required": True},
            "responses": response,
        },
        "patch": {
            "operationId": f"patch{info.gvk.kind}",
            "x-kubernetes-action": "patch",
            "x-kubernetes-group-version-kind": extension,
            "parameters": [_query(p) for p in _PARAMETERS],
            "requestBody": {
                "content": {"application/merge-patch+json": {"schema": {"type": "object"}}},
                "required": True,
            },
            "responses": response,
        },
        "delete": {
            "operationId": f"delete{info.gvk.kind}",
            "x-kubernetes-action": "delete",
            "x-kubernetes-group-version-kind": extension,
            "responses": response,
        },
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
    }
    collection: Manifest = {
        "post": {
            "operationId": f"create{info.gvk.kind}",
            "x-kubernetes-action": "post",
            "x-kubernetes-group-version-kind": extension,
            "parameters": [_query(p) for p in _PARAMETERS if p != "force"],
            "requestBody": {"content": _content(schema_ref), "required": True},
            "responses": response,
        },
    }
    return {base: collection, f"{base}/{{name}}": item}


class OpenApiDocuments:
    """Builds and caches the documents of one catalog (rebuild the object when CRDs change)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._documents: dict[str, bytes] = {}

    @staticmethod
    def gv_path(group: str, version: str) -> str:
        return f"apis/{group}/{version}" if group else f"api/{version}"

    def group_versions(self) -> list[tuple[str, str]]:
        return [
            (group, version) for group in self.catalog.groups() for version in self.catalog.versions(group)
        ]

    def document(self, path: str) -> bytes | None:
        cached = self._documents.get(path)
        if cached is None:
            for group, version in self.group_versions():
                if self.gv_path(group, version) == path:
                    cached = json.dumps(self._build(group, version)).encode()
                    self._documents[path] = cached
                    break
        return cached

    def etag(self, path: str) -> str:
        body = self.document(path) or b""
        return hashlib.sha512(body).hexdigest()[:32].upper()

    def root(self) -> Manifest:
        return {
            "paths": {
                path: {"serverRelativeURL": f"/openapi/v3/{path}?hash={self.etag(path)}"}
                for path in (self.gv_path(g, v) for g, v in self.group_versions())
            }
        }

    def _build(self, group: str, version: str) -> Manifest:
        schema = self.catalog.schema
        definitions = schema.definitions
        names: set[str] = {
            "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
            "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
        }
        extra: dict[str, Manifest] = {}
        paths: dict[str, Manifest] = {}
        for info in self.catalog.in_group_version(group, version):
            name = definitions.kinds.get(info.gvk)
            if name is not None and info.builtin:
                names.add(name)
                ref = _COMPONENT + name
            else:
                node = schema.node_for(info.gvk)
                found: set[str] = set()
                raw = dict(node.raw) if node is not None else {"type": "object"}
                converted = convert(raw, found, root=True)
                converted["x-kubernetes-group-version-kind"] = [_gvk_extension(info)]
                names |= found
                name = _custom_name(info)
                extra[name] = converted
                ref = _COMPONENT + name
            paths.update(_paths(info, ref))
        schemas = _closure(self.catalog, names)
        schemas.update(extra)
        return {
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": "v1.32.0"},
            "paths": paths,
            "components": {"schemas": schemas},
        }
