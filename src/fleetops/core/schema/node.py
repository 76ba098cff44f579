"""`SchemaNode`: one node of a Kubernetes OpenAPI schema, with its patch and merge metadata.

A node wraps the raw JSON-schema mapping of a definition, a field or a CRD's structural schema.
`$ref`s are resolved lazily, when a child is first asked for; a field that refers to a definition
gets the definition's keys overlaid with the field's own keys, because Kubernetes puts some
metadata (e.g. `x-kubernetes-patch-merge-key` on `PodSpec.containers`) on the field only.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, Literal, Protocol, cast

SchemaType = Literal["object", "array", "string", "integer", "number", "boolean"]
ListType = Literal["atomic", "set", "map"]
MapType = Literal["atomic", "granular"]

_SCHEMA_TYPES: frozenset[str] = frozenset({"object", "array", "string", "integer", "number", "boolean"})
_REF_PREFIX = "#/$defs/"
_MISSING = object()


class DefinitionLookup(Protocol):
    """Where a node resolves `$ref`s: the `$defs` table of one schema version."""

    def definition(self, name: str) -> Mapping[str, Any] | None: ...


def resolve(raw: Mapping[str, Any], definitions: DefinitionLookup) -> SchemaNode:
    """The node for a raw schema, following its `$ref` (the field's own keys win over the target's)."""
    ref_name: str | None = None
    seen: set[str] = set()
    while "$ref" in raw:
        ref = str(raw["$ref"])
        name = ref.removeprefix(_REF_PREFIX)
        target = definitions.definition(name)
        if target is None or name in seen:
            break
        seen.add(name)
        ref_name = ref_name or name
        overlay = {key: value for key, value in raw.items() if key != "$ref"}
        raw = {**target, **overlay}
    return SchemaNode(raw, definitions, ref_name=ref_name)


def _normalise_type(value: object) -> tuple[SchemaType | None, bool]:
    """The schema type and whether `null` is allowed: `["string", "null"]` -> (`string`, True)."""
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    nullable = "null" in names
    types = [name for name in names if name in _SCHEMA_TYPES]
    found = cast(SchemaType, types[0]) if len(types) == 1 else None
    return found, nullable


class SchemaNode:
    """An immutable view of one schema node; children are created on first access and cached."""

    def __init__(
        self, raw: Mapping[str, Any], definitions: DefinitionLookup, *, ref_name: str | None = None
    ) -> None:
        self._raw = raw
        self._definitions = definitions
        self._ref_name = ref_name
        self._fields: dict[str, SchemaNode | None] = {}

    def __repr__(self) -> str:
        return f"SchemaNode(type={self.type!r}, ref={self._ref_name!r})"

    @property
    def raw(self) -> Mapping[str, Any]:
        """The JSON-schema mapping this node was built from (after `$ref` overlay). Do not mutate."""
        return self._raw

    @property
    def ref_name(self) -> str | None:
        """The definition name this node was resolved from, e.g. `io.k8s.api.core.v1.Container`."""
        return self._ref_name

    @cached_property
    def _type_and_nullable(self) -> tuple[SchemaType | None, bool]:
        return _normalise_type(self._raw.get("type"))

    @property
    def type(self) -> SchemaType | None:
        return self._type_and_nullable[0]

    @property
    def nullable(self) -> bool:
        return self._type_and_nullable[1] or self._raw.get("nullable") is True

    @property
    def format(self) -> str | None:
        value = self._raw.get("format")
        return value if isinstance(value, str) else None

    @property
    def description(self) -> str:
        value = self._raw.get("description")
        return value if isinstance(value, str) else ""

    @property
    def required(self) -> tuple[str, ...]:
        value = self._raw.get("required")
        return tuple(str(item) for item in value) if isinstance(value, list) else ()

    @property
    def default(self) -> Any:
        """The `default` value, or None when there is none (see `has_default`)."""
        return self._raw.get("default")

    @property
    def has_default(self) -> bool:
        return "default" in self._raw

    @property
    def enum(self) -> tuple[Any, ...] | None:
        value = self._raw.get("enum")
        return tuple(value) if isinstance(value, list) else None

    @cached_property
    def properties(self) -> tuple[str, ...]:
        """The names of the declared fields, in schema order."""
        value = self._raw.get("properties")
        return tuple(value) if isinstance(value, Mapping) else ()

    def field(self, name: str) -> SchemaNode | None:
        """The node of the declared field `name`, or None when the schema does not declare it."""
        found = self._fields.get(name, _MISSING)
        if found is _MISSING:
            properties = self._raw.get("properties")
            raw = properties.get(name) if isinstance(properties, Mapping) else None
            found = resolve(raw, self._definitions) if isinstance(raw, Mapping) else None
            self._fields[name] = found
        assert found is None or isinstance(found, SchemaNode)
        return found

    @cached_property
    def items(self) -> SchemaNode | None:
        raw = self._raw.get("items")
        return resolve(raw, self._definitions) if isinstance(raw, Mapping) else None

    @cached_property
    def additional_properties(self) -> SchemaNode | None:
        """The schema of a map's values; `additionalProperties: true` gives an untyped node."""
        raw = self._raw.get("additionalProperties")
        if raw is True:
            return SchemaNode({}, self._definitions)
        return resolve(raw, self._definitions) if isinstance(raw, Mapping) else None

    @property
    def patch_merge_key(self) -> str | None:
        value = self._raw.get("x-kubernetes-patch-merge-key")
        return value if isinstance(value, str) else None

    @cached_property
    def patch_strategy(self) -> frozenset[str]:
        """`x-kubernetes-patch-strategy` split on commas: e.g. {"merge"}, {"merge", "retainKeys"}."""
        value = self._raw.get("x-kubernetes-patch-strategy")
        if not isinstance(value, str):
            return frozenset()
        return frozenset(part.strip() for part in value.split(",") if part.strip())

    @property
    def list_type(self) -> ListType | None:
        value = self._raw.get("x-kubernetes-list-type")
        return value if value in ("atomic", "set", "map") else None

    @property
    def list_map_keys(self) -> tuple[str, ...]:
        value = self._raw.get("x-kubernetes-list-map-keys")
        return tuple(str(item) for item in value) if isinstance(value, list) else ()

    @property
    def map_type(self) -> MapType | None:
        value = self._raw.get("x-kubernetes-map-type")
        return value if value in ("atomic", "granular") else None

    @property
    def preserve_unknown_fields(self) -> bool:
        return self._raw.get("x-kubernetes-preserve-unknown-fields") is True

    @property
    def embedded_resource(self) -> bool:
        return self._raw.get("x-kubernetes-embedded-resource") is True

    @cached_property
    def int_or_string(self) -> bool:
        """`x-kubernetes-int-or-string: true`, or a `oneOf`/`anyOf` of exactly integer and string
        (how the built-in definitions spell `io.k8s.apimachinery.pkg.util.intstr.IntOrString`)."""
        if self._raw.get("x-kubernetes-int-or-string") is True:
            return True
        return self._alternative_types() == {"integer", "string"}

    def _alternative_types(self) -> set[str]:
        for key in ("oneOf", "anyOf"):
            choices = self._raw.get(key)
            if isinstance(choices, list):
                return {
                    found
                    for choice in choices
                    if isinstance(choice, Mapping)
                    for found in [_normalise_type(choice.get("type"))[0]]
                    if found is not None
                }
        return set()
