"""Derive `src/fleetops/core/schema/data/resources.json` from the official `kubernetes` client.

The client's API modules (`kubernetes/client/api/*_api.py`) are generated from the Kubernetes
OpenAPI spec: every operation has a resource path, an HTTP method, a body type and a response
type. From them this script derives, for each built-in kind, its plural, its scope (a
`/namespaces/{namespace}/` path exists), its verbs and its subresources (with their verbs and the
kind they carry). Kinds are named by matching the client's model class names (`V1Deployment`,
`EventsV1Event`) against the GVKs of the newest `kubernetes-validate` definitions.

The modules are read with `ast`, never imported. Run after upgrading the `kubernetes` package:

    .venv/bin/python scripts/gen_resources.py

`tests/core/schema/test_resources_data.py` fails when the committed file no longer matches.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fleetops.core.schema.definitions import available_versions, load_definitions
from fleetops.model import GroupVersionKind

OUTPUT = Path(__file__).resolve().parent.parent / "src/fleetops/core/schema/data/resources.json"
_NAME = "{name}"
_NAMESPACE = "{namespace}"
_ITEM_VERBS = {"GET": "get", "PUT": "update", "PATCH": "patch", "DELETE": "delete", "POST": "create"}
_COLLECTION_VERBS = {"GET": "list", "POST": "create", "DELETE": "deletecollection"}
# The client gives every list operation a `watch` parameter, but the API server cannot watch these
# (their REST storage has no Watch; discovery lists only `get`, `list`).
_NOT_WATCHABLE = {("", "componentstatuses")}


@dataclass(frozen=True)
class Operation:
    """One operation of the client: `read_namespaced_deployment` = GET .../deployments/{name}."""

    method: str
    path: str
    body_type: str | None
    response_type: str | None
    has_watch: bool


@dataclass
class _Resource:
    group: str
    version: str
    plural: str
    namespaced: bool = False
    verbs: set[str] = field(default_factory=set)
    kind_types: list[str] = field(default_factory=list)
    subresources: dict[str, tuple[set[str], list[str]]] = field(default_factory=dict)


def client_api_dir() -> Path:
    spec = importlib.util.find_spec("kubernetes")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the kubernetes client package (test extra) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "client" / "api"


def _keyword(call: ast.Call, name: str) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == name and isinstance(keyword.value, ast.Constant):
            value = keyword.value.value
            return value if isinstance(value, str) else None
    return None


def _serialize_info(function: ast.FunctionDef) -> tuple[str, str, bool] | None:
    method = path = None
    has_watch = False
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "param_serialize":
            method, path = _keyword(node, "method"), _keyword(node, "resource_path")
        if isinstance(node, ast.Tuple) and node.elts and isinstance(node.elts[0], ast.Constant):
            has_watch = has_watch or node.elts[0].value == "watch"
    return (method, path, has_watch) if method and path else None


def _response_type(function: ast.FunctionDef) -> str | None:
    for node in ast.walk(function):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "_response_types_map":
            assert isinstance(node.value, ast.Dict)
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in ("200", "201"):
                    found = value.value if isinstance(value, ast.Constant) else None
                    return found if isinstance(found, str) else None
    return None


def _body_type(function: ast.FunctionDef) -> str | None:
    for argument in function.args.args:
        if argument.arg == "body" and isinstance(argument.annotation, ast.Name):
            return argument.annotation.id
    return None


def operations(api_dir: Path) -> Iterator[Operation]:
    for module in sorted(api_dir.glob("*_api.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        for name, function in functions.items():
            serialize = functions.get(f"_{name}_serialize")
            if name.startswith("_") or serialize is None:
                continue
            info = _serialize_info(serialize)
            if info is not None:
                method, path, has_watch = info
                yield Operation(method, path, _body_type(function), _response_type(function), has_watch)


def _split_path(path: str) -> tuple[str, str, list[str]] | None:
    """`/apis/apps/v1/namespaces/{namespace}/deployments` -> (`apps`, `v1`, [segments…])."""
    segments = path.strip("/").split("/")
    if segments[0] == "api" and len(segments) > 2:
        return "", segments[1], segments[2:]
    if segments[0] == "apis" and len(segments) > 3 and not segments[1].startswith("{"):
        return segments[1], segments[2], segments[3:]
    return None


def _collect(ops: Iterable[Operation]) -> dict[tuple[str, str, str], _Resource]:
    found: dict[tuple[str, str, str], _Resource] = {}
    for op in ops:
        split = _split_path(op.path)
        if split is None or op.method not in _ITEM_VERBS:
            continue
        group, version, rest = split
        namespaced = len(rest) >= 3 and rest[0] == "namespaces" and rest[1] == _NAMESPACE
        if namespaced:
            rest = rest[2:]
        if rest[0] == "watch" or rest[0].startswith("{"):
            continue
        resource = found.setdefault((group, version, rest[0]), _Resource(group, version, rest[0]))
        resource.namespaced = resource.namespaced or namespaced
        types = [name for name in (op.body_type, op.response_type) if name]
        if len(rest) == 1:
            verb = _COLLECTION_VERBS.get(op.method)
            if verb is None:
                continue
            resource.verbs.add(verb)
            if verb == "list" and op.has_watch and (group, rest[0]) not in _NOT_WATCHABLE:
                resource.verbs.add("watch")
            if namespaced or not resource.kind_types:
                resource.kind_types.extend(types)
        elif len(rest) == 2 and rest[1] == _NAME:
            resource.verbs.add(_ITEM_VERBS[op.method])
            resource.kind_types[:0] = types
        elif len(rest) >= 3 and rest[1] == _NAME:
            verbs, sub_types = resource.subresources.setdefault(rest[2], (set(), []))
            verbs.add(_ITEM_VERBS[op.method])
            sub_types.extend(types)
    return found


class _KindMatcher:
    """Names a client model class (`V1Deployment`, `EventsV1Event`, `V1DeploymentList`) as a GVK."""

    def __init__(self, kinds: Iterable[GroupVersionKind]) -> None:
        self._kinds = sorted(kinds)

    @staticmethod
    def _class_suffix(gvk: GroupVersionKind) -> str:
        return gvk.version[:1].upper() + gvk.version[1:] + gvk.kind

    def _group_prefix_matches(self, class_name: str, gvk: GroupVersionKind) -> bool:
        prefix = class_name.removesuffix(self._class_suffix(gvk))
        label = (gvk.group or "core").split(".")[0]
        return prefix.lower() in ("", label.lower(), label.replace("-", "").lower())

    def match(self, class_name: str, group: str | None = None) -> GroupVersionKind | None:
        candidates = [
            gvk
            for gvk in self._kinds
            if class_name.endswith(self._class_suffix(gvk)) and self._group_prefix_matches(class_name, gvk)
        ]
        if group is not None and any(gvk.group == group for gvk in candidates):
            candidates = [gvk for gvk in candidates if gvk.group == group]
        prefixed = [gvk for gvk in candidates if class_name != self._class_suffix(gvk)]
        if len(candidates) > 1 and len(prefixed) == 1:
            candidates = prefixed
        return candidates[0] if len(candidates) == 1 else None

    def match_resource(self, class_names: Iterable[str], group: str, version: str) -> GroupVersionKind | None:
        for class_name in class_names:
            for name in (class_name, class_name.removesuffix("List")):
                gvk = self.match(name, group)
                if gvk is not None and (gvk.group, gvk.version) == (group, version):
                    return gvk
        return None

    def match_any(self, class_names: Iterable[str], group: str) -> GroupVersionKind | None:
        return next((gvk for name in class_names if (gvk := self.match(name, group)) is not None), None)


def derive(api_dir: Path, kinds: Iterable[GroupVersionKind]) -> list[dict[str, Any]]:
    """The resource records, sorted by group, version and plural."""
    matcher = _KindMatcher(kinds)
    records: list[dict[str, Any]] = []
    for (group, version, plural), resource in sorted(_collect(operations(api_dir)).items()):
        gvk = matcher.match_resource(resource.kind_types, group, version)
        if gvk is None:
            continue
        subresources: dict[str, Any] = {}
        for name, (verbs, sub_types) in sorted(resource.subresources.items()):
            sub_kind = matcher.match_any(sub_types, group)
            subresources[name] = {
                "verbs": sorted(verbs),
                "kind": [sub_kind.group, sub_kind.version, sub_kind.kind] if sub_kind else None,
            }
        records.append(
            {
                "group": group,
                "version": version,
                "kind": gvk.kind,
                "plural": plural,
                "namespaced": resource.namespaced,
                "verbs": sorted(resource.verbs),
                "subresources": subresources,
            }
        )
    return records


def source() -> str:
    return f"kubernetes=={importlib.metadata.version('kubernetes')} (client/api resource paths)"


def derive_document() -> dict[str, Any]:
    newest = load_definitions(available_versions()[-1])
    return {"source": source(), "resources": derive(client_api_dir(), newest.kinds)}


def render(document: dict[str, Any]) -> str:
    """One resource per line, so that a regeneration reads well in a diff."""
    lines = [json.dumps(record, sort_keys=True) for record in document["resources"]]
    body = ",\n    ".join(lines)
    return f'{{\n  "source": {json.dumps(document["source"])},\n  "resources": [\n    {body}\n  ]\n}}\n'


def main() -> None:
    OUTPUT.write_text(render(derive_document()), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
