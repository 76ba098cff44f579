"""Apply and update with field ownership across API versions (upstream's ``merge.Updater``).

Objects are ``Typed`` values (a value and its type). A ``Converter`` turns an object into another
API version; managers' sets are compared at the version they were recorded in. Conversions that
name a version that no longer exists raise ``MissingVersionError``: managers recorded there are
dropped and pruning at that version is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from fleetops.core.structured.compare import Comparison, compare
from fleetops.core.structured.fieldset import FieldSet
from fleetops.core.structured.managers import Conflict, ConflictError, ManagedFields, VersionedSet
from fleetops.core.structured.merge import merge
from fleetops.core.structured.named import with_named_fields
from fleetops.core.structured.reconcile import reconcile_field_set
from fleetops.core.structured.remove import remove_items
from fleetops.core.structured.tofieldset import to_field_set
from fleetops.core.structured.types import TypeRef
from fleetops.core.structured.values import MISSING

__all__ = ["Converter", "IdentityConverter", "MissingVersionError", "Typed", "Updater"]


@dataclass(frozen=True, slots=True)
class Typed:
    """A value (plain data; None is the empty object) with its type."""

    value: Any
    type_ref: TypeRef

    def with_value(self, value: Any) -> Typed:
        return Typed(None if value is MISSING else value, self.type_ref)


class MissingVersionError(Exception):
    """The object cannot be converted to a version that does not exist (any more)."""


class Converter(Protocol):
    def convert(self, obj: Typed, version: str) -> Typed: ...


def _still_applied(last: VersionedSet | None, config_set: FieldSet, version: str) -> bool:
    """Whether everything applied last time is applied again (then pruning removes nothing)."""
    if last is None or last.fields.empty:
        return True
    return last.api_version == version and last.fields.difference(config_set).empty


class IdentityConverter:
    def convert(self, obj: Typed, version: str) -> Typed:
        return obj


class Updater:
    """Apply and update over field ownership.

    ``converter`` turns objects into other API versions (identity by default); ``ignored`` maps
    an API version to fields that operations at that version never own (nor lose); with
    ``reconcile`` recorded sets are first fitted to schema changes (granular to atomic).
    """

    def __init__(
        self,
        converter: Converter | None = None,
        ignored: Mapping[str, FieldSet] | None = None,
        *,
        reconcile: bool = True,
    ) -> None:
        self.converter: Converter = converter or IdentityConverter()
        self.ignored: Mapping[str, FieldSet] = ignored or {}
        self.reconcile = reconcile

    # public operations ----------------------------------------------------------------------

    def apply(
        self,
        live: Typed,
        config: Typed,
        version: str,
        managers: ManagedFields,
        manager: str,
        *,
        force: bool,
    ) -> tuple[Typed, dict[str, VersionedSet]]:
        """Merge ``config`` into ``live`` as ``manager``; raises ConflictError unless forced."""
        owned = self._reconciled(live, managers)
        config_set = to_field_set(config.value, config.type_ref, allow_duplicates=False)
        merged = live.with_value(merge(live.value, config.value, live.type_ref))
        last = owned.get(manager)
        ignored = self.ignored.get(version)
        if ignored is not None:
            config_set = config_set.recursive_difference(ignored)
        owned[manager] = VersionedSet(config_set, version, True)
        if not _still_applied(last, config_set, version):
            merged = self._prune(merged, owned, manager, last)
        result, _ = self._update(live, merged, version, owned, manager, force=force)
        return merged, result

    def update(
        self, live: Typed, new: Typed, version: str, managers: ManagedFields, manager: str
    ) -> tuple[Typed, dict[str, VersionedSet]]:
        """Record a non-apply write of ``new`` by ``manager``."""
        owned = self._reconciled(live, managers)
        owned, comparison = self._update(live, new, version, owned, manager, force=True)
        previous = owned.get(manager)
        fields = previous.fields if previous is not None else FieldSet()
        fields = fields.difference(comparison.removed).union(comparison.modified).union(comparison.added)
        ignored = self.ignored.get(version)
        if ignored is not None:
            fields = fields.recursive_difference(ignored)
        if fields.empty:
            owned.pop(manager, None)
        else:
            owned[manager] = VersionedSet(fields, version, False)
        return new, owned

    # steps ----------------------------------------------------------------------------------

    def _reconciled(self, live: Typed, managers: ManagedFields) -> dict[str, VersionedSet]:
        if not self.reconcile:
            return dict(managers)
        result: dict[str, VersionedSet] = {}
        for name, versioned in managers.items():
            try:
                converted = self.converter.convert(live, versioned.api_version)
            except MissingVersionError:
                continue  # obsolete versions are dropped
            fields = reconcile_field_set(versioned.fields, converted.type_ref)
            result[name] = (
                versioned
                if fields is None
                else VersionedSet(fields, versioned.api_version, versioned.applied)
            )
        return result

    def _update(
        self,
        old: Typed,
        new: Typed,
        version: str,
        managers: dict[str, VersionedSet],
        acting: str,
        *,
        force: bool,
    ) -> tuple[dict[str, VersionedSet], Comparison]:
        comparison = compare(old.value, new.value, old.type_ref)
        by_version: dict[str, Comparison] = {version: comparison.exclude(self.ignored.get(version))}
        conflicts: dict[str, FieldSet] = {}
        removed: dict[str, FieldSet] = {}
        for name, versioned in list(managers.items()):
            if name == acting:
                continue
            at_version = by_version.get(versioned.api_version)
            if at_version is None:
                try:
                    old_there = self.converter.convert(old, versioned.api_version)
                    new_there = self.converter.convert(new, versioned.api_version)
                except MissingVersionError:
                    del managers[name]
                    continue
                at_version = compare(old_there.value, new_there.value, old_there.type_ref).exclude(
                    self.ignored.get(versioned.api_version)
                )
                by_version[versioned.api_version] = at_version
            clash = versioned.fields.intersection(at_version.modified.union(at_version.added))
            if not clash.empty:
                conflicts[name] = clash
            if not at_version.removed.empty:
                removed[name] = at_version.removed
        if conflicts and not force:
            raise ConflictError(
                [Conflict(name, path) for name, clash in conflicts.items() for path in clash.paths()]
            )
        for name, lost in (*conflicts.items(), *removed.items()):
            versioned = managers[name]
            managers[name] = VersionedSet(
                versioned.fields.difference(lost), versioned.api_version, versioned.applied
            )
        for name in [name for name, versioned in managers.items() if versioned.fields.empty]:
            del managers[name]
        return managers, comparison

    def _prune(
        self, merged: Typed, managers: dict[str, VersionedSet], applying: str, last: VersionedSet | None
    ) -> Typed:
        """Remove what ``applying`` applied last time, not this time, and nobody else owns."""
        if last is None or last.fields.empty:
            return merged
        try:
            at_last = self.converter.convert(merged, last.api_version)
        except MissingVersionError:
            return merged
        type_ref = at_last.type_ref
        pruned = at_last.with_value(
            remove_items(at_last.value, with_named_fields(last.fields, type_ref), type_ref)
        )
        pruned = self._add_back_owned(at_last, pruned, last.api_version, managers)
        pruned = self._add_back_dangling(at_last, pruned, last)
        return self.converter.convert(pruned, managers[applying].api_version)

    def _add_back_owned(
        self, merged: Typed, pruned: Typed, pruned_version: str, managers: Mapping[str, VersionedSet]
    ) -> Typed:
        by_version: dict[str, FieldSet] = {}
        for versioned in managers.values():
            owned = by_version.get(versioned.api_version)
            by_version[versioned.api_version] = (
                versioned.fields if owned is None else owned.union(versioned.fields)
            )
        order = sorted(by_version, key=lambda v: v != pruned_version)
        for version in order:
            try:
                merged = self.converter.convert(merged, version)
                pruned = self.converter.convert(pruned, version)
            except MissingVersionError:
                continue
            type_ref = merged.type_ref
            merged_set = with_named_fields(to_field_set(merged.value, type_ref), type_ref)
            pruned_set = with_named_fields(to_field_set(pruned.value, type_ref), type_ref)
            keep = pruned_set.union(with_named_fields(by_version[version], type_ref))
            pruned = merged.with_value(remove_items(merged.value, merged_set.difference(keep), type_ref))
        return pruned

    def _add_back_dangling(self, merged: Typed, pruned: Typed, last: VersionedSet) -> Typed:
        try:
            at_last = self.converter.convert(pruned, last.api_version)
        except MissingVersionError:
            return merged
        type_ref = merged.type_ref
        pruned_set = with_named_fields(to_field_set(at_last.value, at_last.type_ref), type_ref)
        merged_set = with_named_fields(to_field_set(merged.value, type_ref), type_ref)
        dangling_owned = with_named_fields(last.fields, type_ref)
        drop = merged_set.difference(pruned_set).intersection(dangling_owned)
        return merged.with_value(remove_items(merged.value, drop, type_ref))
