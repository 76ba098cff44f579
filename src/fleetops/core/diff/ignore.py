"""Ignore rules: an Application's ``spec.ignoreDifferences`` and the system-level defaults.

A rule selects resources as Argo CD does: ``group`` and ``kind`` are globs (``*``; an omitted
group is the core group ``""``), ``name`` and ``namespace`` match exactly when given. It names
what to ignore: ``jsonPointers`` (RFC 6901), ``jqPathExpressions`` and ``managedFieldsManagers``
(fields those managers own in the live object are taken as they are live). System-level rules
are Argo CD's ``argocd-cm`` keys ``resource.customizations.ignoreDifferences.<group>_<kind>`` and
``...ignoreDifferences.all``.
Nothing is ignored unless configured (``/spec/replicas`` only when a rule says so).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from fleetops.core.diff.jqpaths import check_jq_expression
from fleetops.core.diff.pointers import parse_pointer
from fleetops.model.keys import ResourceKey

__all__ = ["SETTINGS_PREFIX", "IgnoreRule", "IgnoreRules", "InvalidIgnoreRuleError"]

SETTINGS_PREFIX = "resource.customizations.ignoreDifferences."


class InvalidIgnoreRuleError(ValueError):
    """An ignoreDifferences entry that cannot be used (bad pointer, bad jq, wrong shape)."""


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """One ``ignoreDifferences`` entry (``group: ""`` is the core group; ``*`` matches any)."""

    group: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""
    json_pointers: tuple[str, ...] = ()
    jq_path_expressions: tuple[str, ...] = ()
    managed_fields_managers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for pointer in self.json_pointers:
            try:
                parse_pointer(pointer)
            except ValueError as error:
                raise InvalidIgnoreRuleError(f"jsonPointers: {error}") from None
        for expression in self.jq_path_expressions:
            try:
                check_jq_expression(expression)
            except ValueError as error:
                raise InvalidIgnoreRuleError(f"jqPathExpressions: {error}") from None

    @classmethod
    def from_struct(cls, entry: Mapping[str, Any], *, where: str = "ignoreDifferences") -> IgnoreRule:
        """An entry as written in YAML (``group``, ``kind``, ``jsonPointers`` …)."""
        if not isinstance(entry, Mapping):
            raise InvalidIgnoreRuleError(f"{where}: must be an object")
        return cls(
            group=_text(entry, "group", where),
            kind=_text(entry, "kind", where),
            name=_text(entry, "name", where),
            namespace=_text(entry, "namespace", where),
            json_pointers=_texts(entry, "jsonPointers", where),
            jq_path_expressions=_texts(entry, "jqPathExpressions", where),
            managed_fields_managers=_texts(entry, "managedFieldsManagers", where),
        )

    def matches(self, key: ResourceKey) -> bool:
        """Whether this rule applies to the object ``key`` names."""
        return (
            _glob(self.group, key.group)
            and _glob(self.kind, key.kind)
            and (not self.name or self.name == key.name)
            and (not self.namespace or self.namespace == key.namespace)
        )


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    """All rules that apply to one Application (its own and the system-level ones)."""

    rules: tuple[IgnoreRule, ...] = ()

    @classmethod
    def from_application(cls, ignore_differences: Any) -> IgnoreRules:
        """Rules from an Application's ``spec.ignoreDifferences`` list."""
        entries = ignore_differences or []
        if not isinstance(entries, Sequence) or isinstance(entries, str):
            raise InvalidIgnoreRuleError("ignoreDifferences: must be a list")
        return cls(
            tuple(
                IgnoreRule.from_struct(entry, where=f"ignoreDifferences[{position}]")
                for position, entry in enumerate(entries)
            )
        )

    @classmethod
    def from_settings(cls, data: Mapping[str, str]) -> IgnoreRules:
        """System-level rules from ``argocd-cm`` data (``resource.customizations.ignoreDifferences.*``).

        ``...ignoreDifferences.all`` applies to every resource; ``...ignoreDifferences.apps_Deployment``
        to Deployments (``...ignoreDifferences.Service`` for a kind of the core group).
        """
        rules: list[IgnoreRule] = []
        for setting, text in sorted(data.items()):
            if not setting.startswith(SETTINGS_PREFIX):
                continue
            target = setting[len(SETTINGS_PREFIX) :]
            try:
                body = yaml.safe_load(text) or {}
            except yaml.YAMLError as error:
                raise InvalidIgnoreRuleError(f"{setting}: {error}") from None
            if not isinstance(body, Mapping):
                raise InvalidIgnoreRuleError(f"{setting}: must be an object")
            entry = {k: v for k, v in body.items() if k in _LISTS}
            group, _, kind = ("*", "", "*") if target == "all" else target.rpartition("_")
            entry.update(group=group, kind=kind)
            rules.append(IgnoreRule.from_struct(entry, where=setting))
        return cls(tuple(rules))

    def __add__(self, other: IgnoreRules) -> IgnoreRules:
        return IgnoreRules(self.rules + other.rules)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def for_resource(self, key: ResourceKey) -> IgnoreRules:
        """Only the rules that apply to ``key``."""
        return IgnoreRules(tuple(rule for rule in self.rules if rule.matches(key)))

    @property
    def json_pointers(self) -> tuple[str, ...]:
        return _flatten(rule.json_pointers for rule in self.rules)

    @property
    def jq_path_expressions(self) -> tuple[str, ...]:
        return _flatten(rule.jq_path_expressions for rule in self.rules)

    @property
    def managed_fields_managers(self) -> tuple[str, ...]:
        return _flatten(rule.managed_fields_managers for rule in self.rules)


_LISTS = ("jsonPointers", "jqPathExpressions", "managedFieldsManagers")


def _glob(pattern: str, value: str) -> bool:
    return pattern == value or ("*" in pattern and fnmatch.fnmatchcase(value, pattern))


def _text(entry: Mapping[str, Any], name: str, where: str) -> str:
    value = entry.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidIgnoreRuleError(f"{where}.{name}: must be a string")
    return value


def _texts(entry: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    values = entry.get(name)
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidIgnoreRuleError(f"{where}.{name}: must be a list of strings")
    return tuple(values)


def _flatten(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))
