"""Runs one case of the server-side apply conformance corpus (../shared/conformance/ssa).

The corpus is structured-merge-diff's merge tests as data: a schema, a converter, operations by
named managers, and the expected object, managed fields and conflicts. This module is the test
fixture (upstream's ``internal/fixture``) over ``fleetops.core.structured.Updater``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fleetops.core.structured import (
    DEDUCED,
    ConflictError,
    FieldSet,
    MissingVersionError,
    NamedTypes,
    StructuredMergeError,
    Typed,
    Updater,
    VersionedSet,
    parse_schema,
    to_field_set,
    values_equal,
)
from fleetops.core.structured.merge import merge
from fleetops.core.structured.remove import extract_items
from fleetops.core.structured.types import TypeRef
from fleetops.core.structured.values import MISSING


class CaseFailure(AssertionError):
    """The implementation disagrees with the case's expectations."""


@dataclass
class Schema:
    types: NamedTypes | None
    spec: Mapping[str, Any]

    def type_for(self, version: str) -> TypeRef:
        if self.types is None:
            return DEDUCED
        name = self.spec.get("type_name")
        by_version = self.spec.get("type_name_by_api_version") or {}
        if not name:
            if version in by_version:
                name = by_version[version]
            elif self.spec.get("type_name_is_api_version"):
                name = version
        if not name:
            raise CaseFailure(f"no type for apiVersion {version}")
        return self.types.type(name)

    def version_of(self, type_ref: TypeRef) -> str:
        """The apiVersion an object of this type is at (type names may differ from versions)."""
        name = type_ref.name or ""
        for version, type_name in (self.spec.get("type_name_by_api_version") or {}).items():
            if type_name == name:
                return str(version)
        return name


def load_schema_spec(spec: Mapping[str, Any]) -> Schema:
    if spec.get("kind") == "deduced":
        return Schema(None, spec)
    return Schema(parse_schema(spec["yaml"]), spec)


def parse_object(text: str | None) -> Any:
    if text is None or not text.strip():
        return None
    return yaml.safe_load(text)


# converters ---------------------------------------------------------------------------------


@dataclass
class Converters:
    """The corpus's converters; ``state`` gives access to the current schema."""

    kind: str
    state: State
    accepted: list[str] = field(default_factory=list)

    def convert(self, obj: Typed, version: str) -> Typed:
        kind = self.kind
        if kind == "identity":
            return obj
        if kind == "specific_versions":
            if version not in self.accepted:
                raise MissingVersionError(version)
            return obj
        if kind == "renaming":
            current = self.state.schema.version_of(obj.type_ref)
            return Typed(_rename(obj.value, current, version), self.state.schema.type_for(version))
        if kind == "repeating":
            match = re.fullmatch(r"v(\d+)", version)
            if match is None:
                raise MissingVersionError(version)
            return Typed(_repeat(obj.value, int(match.group(1))), self.state.schema.type_for(version))
        if kind == "reliant_fields":
            return self._reliant(obj, version)
        raise CaseFailure(f"unknown converter {kind}")

    def _reliant(self, obj: Typed, version: str) -> Typed:
        current = self.state.schema.version_of(obj.type_ref)
        if version == current:
            return obj
        value = obj.value
        target = self.state.schema.type_for(version) if version in ("v1", "v2") else None
        if target is None:
            raise MissingVersionError(version)
        if not isinstance(value, dict):
            return Typed(value, target)
        if current == "v1" and version == "v2":
            out = {("required_field_bar" if k == "field_foo_rely_on_bar" else k): v for k, v in value.items()}
            return Typed(out, target)
        if current == "v2" and version == "v1":
            if "required_field_bar" not in value:
                raise CaseFailure("reliant_fields: required_field_bar is missing")
            out = {("field_foo_rely_on_bar" if k == "required_field_bar" else k): v for k, v in value.items()}
            return Typed(out, target)
        raise MissingVersionError(version)


def _rename(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {
            (k[: -len(old)] + new if old and k.endswith(old) else k): _rename(v, old, new)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_rename(v, old, new) for v in value]
    return value


def _repeat(value: Any, times: int) -> Any:
    if not isinstance(value, dict) or not value:
        return value
    first = sorted(value)[0]

    def nested(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        # upstream rewrites sorted YAML text: keys that collide keep the last (sorted) value
        return {k[:1] * times: nested(v) for k, v in sorted(node.items())}

    return {first: nested(value[first])}


# state --------------------------------------------------------------------------------------


@dataclass
class State:
    schema: Schema
    live: Typed | None = None
    managers: dict[str, VersionedSet] = field(default_factory=dict)
    last_operation: dict[str, str] = field(default_factory=dict)


def _ignored(case: Mapping[str, Any]) -> dict[str, FieldSet]:
    spec = case.get("ignore_filter") or case.get("ignored_fields") or {}
    return {version: FieldSet.from_paths(paths) for version, paths in spec.items()}


def run_case(case: Mapping[str, Any]) -> None:
    """Replay a case; raises CaseFailure (or an error) when it does not match."""
    state = State(load_schema_spec(case["schema"]))
    converter_spec = case.get("converter") or {"kind": "identity"}
    accepted = list(converter_spec.get("accepted_versions") or [])
    converters = Converters(converter_spec["kind"], state, accepted)
    updater = Updater(converters, _ignored(case))
    failed: BaseException | None = None
    try:
        for number, op in enumerate(case["ops"]):
            _run_op(state, updater, converters, op, number)
    except (StructuredMergeError, MissingVersionError, ValueError) as error:
        if not case.get("expect_error"):
            raise
        failed = error
    if case.get("expect_error"):
        if failed is None:
            raise CaseFailure("expected an error, the operations succeeded")
        return
    _check_object(case, state, converters)
    _check_managed(case, state)
    for name, versioned in state.managers.items():
        if versioned.fields.empty:
            raise CaseFailure(f"manager {name} has an empty field set")


def _current(state: State, converters: Converters, version: str) -> Typed:
    if state.live is None:
        state.live = Typed(None, state.schema.type_for(version))
    state.live = converters.convert(state.live, version)
    return state.live


def _run_op(
    state: State, updater: Updater, converters: Converters, op: Mapping[str, Any], number: int
) -> None:
    kind = op["type"]
    if kind == "change_schema":
        state.schema = load_schema_spec(op["schema"])
        if state.live is not None:
            name = state.live.type_ref.name
            type_ref = state.schema.types.type(name) if state.schema.types and name else DEDUCED
            state.live = Typed(state.live.value, type_ref)
        return
    if kind == "set_accepted_versions":
        converters.accepted = list(op["versions"])
        return
    version = op["apiVersion"]
    manager = op["manager"]
    obj = parse_object(op.get("object"))
    type_ref = state.schema.type_for(version)
    if kind == "update":
        to_field_set(obj, type_ref, allow_duplicates=True)
        live = _current(state, converters, version)
        new, managers = updater.update(live, Typed(obj, type_ref), version, state.managers, manager)
        state.live, state.managers = new, managers
        state.last_operation[manager] = kind
        return
    force = kind == "forceapply"
    if kind == "extractapply":
        force = True
        if state.live is not None:
            live = converters.convert(state.live, version)
            owned = state.managers.get(manager)
            if owned is not None and owned.api_version != version:
                raise CaseFailure(f"extractapply: {manager} is recorded at {owned.api_version}")
            leaves = owned.fields.leaves() if owned is not None else FieldSet()
            extracted = extract_items(live.value, leaves, live.type_ref)
            obj = merge(extracted, obj, type_ref)
            if obj is MISSING:
                obj = None
    live = _current(state, converters, version)
    expected = op.get("expect_conflicts")
    try:
        new, managers = updater.apply(
            live, Typed(obj, type_ref), version, state.managers, manager, force=force
        )
    except ConflictError as conflicts:
        if expected is None:
            raise CaseFailure(f"op {number}: unexpected conflicts: {conflicts}") from conflicts
        got = sorted((c.manager, list(c.path)) for c in conflicts.conflicts)
        want = sorted((c["manager"], list(c["path"])) for c in expected)
        if got != want:
            raise CaseFailure(f"op {number}: conflicts {got}, expected {want}") from conflicts
        return
    if expected:
        raise CaseFailure(f"op {number}: expected conflicts {expected}, the apply succeeded")
    state.live, state.managers = new, managers
    state.last_operation[manager] = kind


def _check_object(case: Mapping[str, Any], state: State, converters: Converters) -> None:
    if case.get("expected_object") is None:
        return
    expected = parse_object(case["expected_object"])
    version = case.get("expected_object_apiVersion") or "v1"
    live = state.live or Typed(None, state.schema.type_for(version))
    got = converters.convert(live, version).value
    if not values_equal(got, expected):
        raise CaseFailure(f"object:\n{json.dumps(got)}\nexpected:\n{json.dumps(expected)}")


def _check_managed(case: Mapping[str, Any], state: State) -> None:
    expected = case.get("expected_managed")
    if expected is None:
        return
    want = {name: entry for name, entry in expected.items() if entry["fields"]}
    got = state.managers
    if set(want) != set(got):
        raise CaseFailure(f"managers {sorted(got)}, expected {sorted(want)}: {_describe(got)}")
    for name, entry in want.items():
        versioned = got[name]
        if versioned.api_version != entry["apiVersion"]:
            raise CaseFailure(f"{name}: apiVersion {versioned.api_version}, expected {entry['apiVersion']}")
        wanted = FieldSet.from_paths(entry["fields"])
        if versioned.fields != wanted:
            raise CaseFailure(
                f"{name}: fields {sorted(versioned.fields.paths())}, expected {sorted(wanted.paths())}"
            )
        if case.get("managed_compare") == "equals" and versioned.applied != entry["applied"]:
            raise CaseFailure(f"{name}: applied {versioned.applied}, expected {entry['applied']}")


def _describe(managers: Mapping[str, VersionedSet]) -> str:
    return json.dumps({n: sorted(map(list, v.fields.paths())) for n, v in managers.items()})


def load_cases(corpus: Path) -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted((corpus / "cases").glob("*/case.json")):
        cases.append((path.parent.name, json.loads(path.read_text())))
    return cases
