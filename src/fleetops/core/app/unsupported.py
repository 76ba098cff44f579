"""Spec fields fleetops does not implement yet: each becomes an `UnsupportedField` condition on
the application, never a silent no-op.

The tables below say, field by field, what fleetops implements. A field is reported only when it
is set (not null, false, "" or an empty list/object, recursively), so `directory: {jsonnet: {}}`
as Argo CD's own tools write it is fine. A field no table names is reported as unknown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

from fleetops.core import sync
from fleetops.core.app.conditions import Condition, ConditionType, condition
from fleetops.core.app.fields import mapping, sequence, spec


@dataclass(frozen=True, slots=True)
class UnsupportedField:
    path: str  # e.g. "spec.source.helm", "spec.sources[1].ref"
    reason: str

    @property
    def message(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class _NotYet:
    reason: str


@dataclass(frozen=True, slots=True)
class _ListOf:
    item: _Table


_Rule = Union["_Table", _ListOf, _NotYet, None]  # None: implemented, not looked into
_Table = Mapping[str, _Rule]

_HELM = _NotYet("Helm sources are not supported by fleetops yet")

_SOURCE: _Table = {
    "repoURL": None,
    "path": None,
    "targetRevision": None,
    "name": None,
    "chart": _HELM,
    "helm": _HELM,
    "plugin": _NotYet("config management plugins are not supported by fleetops"),
    "ref": _NotYet("ref sources (Helm value files from another source) are not supported yet"),
    "kustomize": {
        "images": None,
        "namePrefix": None,
        "nameSuffix": None,
        "namespace": None,
        "commonLabels": None,
        "commonAnnotations": None,
        "replicas": None,
        "patches": None,
        **{
            name: _NotYet(f"the Kustomize option {name} is not supported by fleetops yet")
            for name in (
                "components",
                "ignoreMissingComponents",
                "forceCommonLabels",
                "forceCommonAnnotations",
                "labelWithoutSelector",
                "labelIncludeTemplates",
                "commonAnnotationsEnvsubst",
                "kubeVersion",
                "apiVersions",
            )
        },
        "version": _NotYet("fleetops has one built-in Kustomize; a version cannot be chosen"),
    },
    "directory": {
        "recurse": None,
        "include": None,
        "exclude": None,
        "jsonnet": _NotYet("Jsonnet is not supported by fleetops"),
    },
}

_SPEC: _Table = {
    "project": None,
    "source": _SOURCE,
    "sources": _ListOf(_SOURCE),
    "destination": {"server": None, "name": None, "namespace": None},
    "syncPolicy": {
        "automated": {"prune": None, "selfHeal": None, "allowEmpty": None, "enabled": None},
        "syncOptions": None,  # unknown options: see _sync_options
        "retry": {
            "limit": None,
            "backoff": {"duration": None, "factor": None, "maxDuration": None},
            "refresh": _NotYet("retrying with the latest revision is not supported yet"),
        },
        "managedNamespaceMetadata": {"labels": None, "annotations": None},
    },
    "ignoreDifferences": _ListOf(
        dict.fromkeys(
            (
                "group",
                "kind",
                "name",
                "namespace",
                "jsonPointers",
                "jqPathExpressions",
                "managedFieldsManagers",
            )
        )
    ),
    "info": _ListOf({"name": None, "value": None}),
    "revisionHistoryLimit": None,
    "sourceHydrator": _NotYet("source hydration is not supported by fleetops"),
}


def unsupported_fields(app: Mapping[str, Any]) -> list[UnsupportedField]:
    """Every set field of `spec` that fleetops does not implement, in document order."""
    found = list(_walk(spec(app), _SPEC, "spec"))
    found.extend(_sync_options(app))
    return found


def unsupported_conditions(app: Mapping[str, Any], *, now: str | None = None) -> list[Condition]:
    """One `UnsupportedField` condition listing every unsupported field (none when all are)."""
    fields = unsupported_fields(app)
    if not fields:
        return []
    return [condition(ConditionType.UNSUPPORTED_FIELD, "; ".join(f.message for f in fields), now=now)]


def is_set(value: object) -> bool:
    if value is None or value is False or value == "":
        return False
    if isinstance(value, Mapping):
        return any(is_set(item) for item in value.values())
    if isinstance(value, list | tuple):
        return len(value) > 0
    return True


def _walk(value: Mapping[str, Any], table: _Table, path: str) -> Iterator[UnsupportedField]:
    for key, item in value.items():
        where = f"{path}.{key}"
        if not is_set(item):
            continue
        if key not in table:
            yield UnsupportedField(where, "unknown field (not part of Argo CD's Application spec)")
            continue
        yield from _check(item, table[key], where)


def _check(value: object, rule: _Rule, path: str) -> Iterator[UnsupportedField]:
    if rule is None:
        return
    if isinstance(rule, _NotYet):
        yield UnsupportedField(path, rule.reason)
    elif isinstance(rule, _ListOf):
        for index, item in enumerate(sequence(value)):
            yield from _walk(mapping(item), rule.item, f"{path}[{index}]")
    else:
        yield from _walk(mapping(value), rule, path)


def _sync_options(app: Mapping[str, Any]) -> Iterator[UnsupportedField]:
    written = sequence(mapping(spec(app).get("syncPolicy")).get("syncOptions"))
    for index, option in enumerate(written):
        try:
            unknown = sync.parse_sync_options([str(option)]).unknown
        except sync.SyncOptionError:
            continue  # a bad value of a known option is an InvalidSpecError, not unsupported
        if unknown:
            yield UnsupportedField(
                f"spec.syncPolicy.syncOptions[{index}]", f"unknown sync option {str(option)!r}"
            )
