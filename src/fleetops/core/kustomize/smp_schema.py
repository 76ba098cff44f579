"""The built-in schema strategic merges use, from a precompiled table shipped with the renderer.

Kustomize merges with Kubernetes 1.21's schema; the renderer uses 1.25's (the oldest one
`kubernetes-validate` ships, see `transformers.strategic_merge`). Parsing the full 1.25
`_definitions.json` (~1 MB, mostly descriptions) and `fleetops.core.schema`'s resource tables
costs `fleetops render` more than the build itself, so `data/smp-schema-1.25.json` keeps only
what a merge reads: types, properties, items, additionalProperties, `$ref`s, the patch and
list/map extensions and the group-version-kinds. `compact_definitions` derives it from the full
table (a test checks the shipped file is up to date; `tests/core/kustomize/gen_smp_schema.py`
rewrites it). Nodes are `fleetops.core.schema.node.SchemaNode`s over this table, so
`fleetops.core.patch` merges with it exactly as with the full schema.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fleetops.core.schema import SchemaNode

SCHEMA_VERSION = "1.25"
DATA_FILE = os.path.join(os.path.dirname(__file__), "data", f"smp-schema-{SCHEMA_VERSION}.json")

_KEPT = (
    "$ref",
    "type",
    "x-kubernetes-patch-merge-key",
    "x-kubernetes-patch-strategy",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-int-or-string",
    "x-kubernetes-group-version-kind",
)


def compact_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """One schema node with only the keys a strategic merge reads (recursively)."""
    out: dict[str, Any] = {key: schema[key] for key in _KEPT if key in schema}
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        out["properties"] = {
            name: compact_schema(value) if isinstance(value, Mapping) else value
            for name, value in properties.items()
        }
    items = schema.get("items")
    if isinstance(items, Mapping):
        out["items"] = compact_schema(items)
    additional = schema.get("additionalProperties")
    if isinstance(additional, Mapping):
        out["additionalProperties"] = compact_schema(additional)
    elif additional is not None:
        out["additionalProperties"] = additional
    for key in ("oneOf", "anyOf"):
        choices = schema.get(key)
        if isinstance(choices, list):
            out[key] = [compact_schema(c) if isinstance(c, Mapping) else c for c in choices]
    return out


def compact_definitions(table: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The `$defs` table reduced to what strategic merges read, in the same order."""
    return {name: compact_schema(definition) for name, definition in table.items()}


def kinds_of(table: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str, str], str]:
    """(group, version, kind) -> definition name."""
    kinds: dict[tuple[str, str, str], str] = {}
    for name, definition in table.items():
        for entry in definition.get("x-kubernetes-group-version-kind") or ():
            key = (str(entry.get("group", "")), str(entry["version"]), str(entry["kind"]))
            # shared types (DeleteOptions, WatchEvent, Status) list every group; first one wins
            kinds.setdefault(key, name)
    return kinds


def table_text(table: Mapping[str, Mapping[str, Any]]) -> str:
    """The data file: a JSON line of [group, version, kind, definition] rows, then one line per
    definition, `name<TAB>compact JSON` — parsed only when a merge first reaches it."""
    kinds = [[*gvk, name] for gvk, name in kinds_of(table).items()]
    lines = [json.dumps(kinds, separators=(",", ":"))]
    lines.extend(f"{name}\t{json.dumps(body, separators=(',', ':'))}" for name, body in table.items())
    return "\n".join(lines) + "\n"


class MergeDefinitions:
    """The precompiled `$defs` table: a `DefinitionLookup` for `SchemaNode`, indexed by GVK."""

    def __init__(self, text: str) -> None:
        first, _, rest = text.partition("\n")
        self.kinds: dict[tuple[str, str, str], str] = {(g, v, k): name for g, v, k, name in json.loads(first)}
        self._raw: dict[str, str] = dict(line.split("\t", 1) for line in rest.splitlines() if line)
        self._parsed: dict[str, Mapping[str, Any]] = {}
        self._nodes: dict[tuple[str, str, str], SchemaNode] = {}

    def definition(self, name: str) -> Mapping[str, Any] | None:
        found = self._parsed.get(name)
        if found is None:
            raw = self._raw.get(name)
            if raw is None:
                return None
            found = self._parsed[name] = json.loads(raw)
        return found

    def names(self) -> list[str]:
        return list(self._raw)

    def is_builtin(self, group: str, version: str, kind: str) -> bool:
        return (group, version, kind) in self.kinds

    def node_for(self, group: str, version: str, kind: str) -> SchemaNode | None:
        """The (cached) node of a built-in kind, None for a kind the table does not know."""
        key = (group, version, kind)
        node = self._nodes.get(key)
        if node is None:
            name = self.kinds.get(key)
            if name is None:
                return None
            from fleetops.core.schema.node import resolve  # noqa: PLC0415 - only when merging

            node = self._nodes[key] = resolve({"$ref": f"#/$defs/{name}"}, self)
        return node


@cache
def merge_definitions() -> MergeDefinitions:
    """The shipped table, read once per process."""
    with open(DATA_FILE, encoding="utf-8") as handle:
        return MergeDefinitions(handle.read())
