"""Spec errors Argo CD reports as `InvalidSpecError` conditions (its `ValidatePermissions` and
`ValidateDestination` rules, messages included); nothing is rendered or applied while any
remains."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.app import source as sources_
from fleetops.core.app.conditions import Condition, ConditionType, condition
from fleetops.core.app.destination import destination
from fleetops.core.app.errors import SpecError
from fleetops.core.app.fields import string
from fleetops.core.app.sync_policy import sync_policy


def spec_errors(app: Mapping[str, Any]) -> list[str]:
    """Messages of everything wrong with the spec (empty when it is valid)."""
    errors: list[str] = []
    found = sources_.sources(app)
    multiple = sources_.has_multiple_sources(app)
    if not found:
        errors.append("spec.source.repoURL and either spec.source.path or spec.source.chart are required")
    for index, item in enumerate(found):
        has_repo = bool(sources_.repo_url(item))
        has_path = bool(string(item.get("path"))) or bool(sources_.chart(item))
        if multiple and (not has_repo or not (has_path or sources_.ref(item))):
            errors.append(f"spec.sources[{index}]: repoURL and either path, chart or ref are required")
        elif not multiple and (not has_repo or not has_path):
            errors.append("spec.source.repoURL and either spec.source.path or spec.source.chart are required")
        if sources_.chart(item) and not string(item.get("targetRevision")):
            errors.append("spec.source.targetRevision is required if the manifest source is a helm chart")
    where = destination(app)
    if where.server and where.name:
        errors.append(
            f"application destination can't have both name and server defined: {where.name} {where.server}"
        )
    elif not where.server and not where.name:
        errors.append("Destination server missing from app spec")
    try:
        sync_policy(app)
    except SpecError as error:
        errors.append(str(error))
    return errors


def spec_conditions(app: Mapping[str, Any], *, now: str | None = None) -> list[Condition]:
    return [condition(ConditionType.INVALID_SPEC_ERROR, message, now=now) for message in spec_errors(app)]
