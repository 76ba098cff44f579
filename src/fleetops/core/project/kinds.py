"""Resource kinds a project allows (Argo CD's `IsGroupKindPermitted`).

Cluster-scoped kinds are denied unless `clusterResourceWhitelist` allows them and
`clusterResourceBlacklist` does not. Namespaced kinds are allowed unless
`namespaceResourceBlacklist` denies them or a `namespaceResourceWhitelist` is given (an empty
list allows none) that does not list them. Entries are `{group, kind}` globs (Go's
`filepath.Match`); an entry may also carry a `name` glob (newer Argo CD).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fleetops.core.app.fields import mapping, sequence, string
from fleetops.core.app.globs import glob_match
from fleetops.model.gvk import GroupKind


def _listed(entries: Sequence[Any], group_kind: GroupKind, name: str) -> bool:
    for raw in entries:
        item = mapping(raw)
        kind_ok = glob_match(string(item.get("kind")), group_kind.kind, separators="/")
        group_ok = glob_match(string(item.get("group")), group_kind.group, separators="/")
        name_pattern = string(item.get("name"))
        name_ok = not name_pattern or glob_match(name_pattern, name, separators="/")
        if kind_ok and group_ok and name_ok:
            return True
    return False


def is_kind_permitted(
    project_spec: Mapping[str, Any], group_kind: GroupKind, *, namespaced: bool, name: str = ""
) -> bool:
    if namespaced:
        whitelist = project_spec.get("namespaceResourceWhitelist")
        blacklist = sequence(project_spec.get("namespaceResourceBlacklist"))
        allowed = whitelist is None or _listed(sequence(whitelist), group_kind, name)
    else:
        allowed = _listed(sequence(project_spec.get("clusterResourceWhitelist")), group_kind, name)
        blacklist = sequence(project_spec.get("clusterResourceBlacklist"))
    return allowed and not _listed(blacklist, group_kind, name)
