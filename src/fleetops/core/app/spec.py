"""Plain fields of an Application's spec, with Argo CD's defaults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.app.fields import mapping, sequence, spec, string

DEFAULT_PROJECT = "default"
DEFAULT_REVISION_HISTORY_LIMIT = 10


def project(app: Mapping[str, Any]) -> str:
    """`spec.project`; "default" when empty (Argo CD's `GetProject()`)."""
    return string(spec(app).get("project"), DEFAULT_PROJECT)


def revision_history_limit(app: Mapping[str, Any]) -> int:
    """How many `status.history` entries to keep (10 when absent)."""
    value = spec(app).get("revisionHistoryLimit")
    if isinstance(value, int) and not isinstance(value, bool):
        return max(value, 0)
    return DEFAULT_REVISION_HISTORY_LIMIT


def ignore_differences(app: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """`spec.ignoreDifferences` entries, as written (core.diff interprets them)."""
    return [mapping(item) for item in sequence(spec(app).get("ignoreDifferences"))]


def info(app: Mapping[str, Any]) -> list[tuple[str, str]]:
    """`spec.info` as (name, value) pairs."""
    items = (mapping(item) for item in sequence(spec(app).get("info")))
    return [(string(item.get("name")), string(item.get("value"))) for item in items]
