"""Resources of the built-in kinds, from the generated `data/resources.json`.

`data/resources.json` is derived by `scripts/gen_resources.py` from the API paths of the official
`kubernetes` Python client (client 37 = Kubernetes 1.37); `tests/core/schema/test_resources_data.py`
re-derives it from the installed client so that it cannot silently rot. Short names and categories
are not in any package: they come from the small table in `short_names.py`.

A schema version only gets resources for the GVKs its definitions contain. A GVK the 1.37 client
no longer serves (e.g. `batch/v1beta1` CronJob in 1.25) borrows the resource of the same group and
kind in another version; kinds removed from Kubernetes entirely (e.g. PodSecurityPolicy) get none.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from fleetops.core.schema.definitions import Definitions
from fleetops.core.schema.resource_info import ResourceInfo, SubresourceInfo
from fleetops.core.schema.short_names import categories_for, short_names_for
from fleetops.model import GroupKind, GroupVersionKind

DATA_FILE = "resources.json"


@cache
def _records() -> tuple[dict[str, Any], ...]:
    text = resources.files("fleetops.core.schema").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    document = json.loads(text)
    return tuple(document["resources"])


def _gvk(triple: list[str] | None) -> GroupVersionKind | None:
    return GroupVersionKind(*triple) if triple else None


def _info(record: dict[str, Any], gvk: GroupVersionKind) -> ResourceInfo:
    plural = record["plural"]
    subresources = tuple(
        SubresourceInfo(name, tuple(sub["verbs"]), _gvk(sub.get("kind")))
        for name, sub in sorted(record.get("subresources", {}).items())
    )
    return ResourceInfo(
        gvk=gvk,
        plural=plural,
        singular=gvk.kind.lower(),
        namespaced=record["namespaced"],
        verbs=tuple(record["verbs"]),
        short_names=short_names_for(gvk.group, plural),
        categories=categories_for(gvk.group, plural),
        subresources=tuple(sub.name for sub in subresources),
        subresource_details=subresources,
    )


def resources_for(definitions: Definitions) -> list[ResourceInfo]:
    """The built-in resources whose kinds the definitions of one version contain."""
    exact: dict[GroupVersionKind, dict[str, Any]] = {}
    by_group_kind: dict[GroupKind, dict[str, Any]] = {}
    for record in _records():
        gvk = GroupVersionKind(record["group"], record["version"], record["kind"])
        exact[gvk] = record
        by_group_kind.setdefault(gvk.group_kind, record)
    found: list[ResourceInfo] = []
    for gvk in sorted(definitions.kinds):
        match = exact.get(gvk, by_group_kind.get(gvk.group_kind))
        if match is not None:
            found.append(_info(match, gvk))
    return found
