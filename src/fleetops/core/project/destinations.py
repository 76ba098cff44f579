"""`spec.destinations`: where a project's applications may deploy (Argo CD's
`isDestinationMatched`).

An entry matches when its server or its name glob matches the cluster's (`*` crosses `/`) and its
namespace glob matches the namespace. `!` denies: a destination that fails a deny pattern's glob
is refused whatever else matches, so a deny entry wins over any allow entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.core.app.fields import mapping, string
from fleetops.core.project.repos import is_deny, negatable_match


@dataclass(frozen=True, slots=True)
class ClusterRef:
    """The destination cluster as resolved from the Application (its URL and registered name)."""

    server: str = ""
    name: str = ""


def is_destination_permitted(
    destinations: Iterable[Mapping[str, Any]], cluster: ClusterRef, namespace: str
) -> bool:
    any_matched = False
    none_denied = True
    for raw in destinations:
        item = mapping(raw)
        server, name, ns = (string(item.get(k)) for k in ("server", "name", "namespace"))
        name_matched = bool(cluster.name) and negatable_match(name, cluster.name)
        server_matched = bool(cluster.server) and negatable_match(server, cluster.server)
        namespace_matched = negatable_match(ns, namespace)
        if (server_matched or name_matched) and namespace_matched:
            any_matched = True
        elif (
            (not name_matched and is_deny(name))
            or (not server_matched and is_deny(server))
            or (not namespace_matched and is_deny(ns))
        ):
            none_denied = False
    return any_matched and none_denied
