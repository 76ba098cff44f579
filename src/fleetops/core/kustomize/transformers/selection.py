"""Patch targets: kustomize's Selector (regular expressions, label and annotation selectors)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource

if TYPE_CHECKING:
    from fleetops.core.selectors import LabelSelector


def _anchored(pattern: str) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(f"^(?:{pattern})$")
    except re.error as error:
        raise KustomizeError(f"invalid regular expression '{pattern}': {error}") from None


def _selector(text: Any) -> LabelSelector | None:
    if not text:
        return None
    # imported here: the CLI's start-up stays light when no target uses a selector
    from fleetops.core.selectors import SelectorError, parse_label_selector  # noqa: PLC0415

    try:
        return parse_label_selector(str(text))
    except SelectorError as error:
        raise KustomizeError(f"unable to parse requirement: {error}") from None


def select(resources: ResMap, target: dict[str, Any], *, any_id: bool = False) -> list[Resource]:
    """The resources `target` (group/version/kind/name/namespace/labelSelector/...) selects."""
    group, version, kind = (_anchored(str(target.get(k) or "")) for k in ("group", "version", "kind"))
    name, namespace = _anchored(str(target.get("name") or "")), _anchored(str(target.get("namespace") or ""))
    labels, annotations = _selector(target.get("labelSelector")), _selector(target.get("annotationSelector"))
    result = []
    for resource in resources:
        ids = resource.all_ids() if any_id else [resource.org_id(), resource.cur_id()]
        if namespace and not any(namespace.match(i.effective_namespace) for i in ids):
            continue
        if name and not any(name.match(i.name) for i in ids):
            continue
        gvk = resource.gvk
        if group and not group.match(gvk.group):
            continue
        if version and not version.match(gvk.version):
            continue
        if kind and not kind.match(gvk.kind):
            continue
        if labels and not labels.matches({str(k): str(v) for k, v in resource.labels.items()}):
            continue
        if annotations and not annotations.matches({str(k): str(v) for k, v in resource.annotations.items()}):
            continue
        result.append(resource)
    return result
