"""AppProject policy, checked before any write (pure): source repositories, destinations,
resource kinds and source namespaces, with Argo CD's semantics and messages.

Public API::

    check(app, project | None, resources=(), *, control_plane_namespace="fleetops",
          cluster: ClusterRef | None = None, is_namespaced=None) -> list[Violation]
    Violation(kind: ViolationKind, message, resource: ResourceKey | None) with .condition_type
    violation_conditions(violations, now=) -> list[Condition]
    default_project(namespace) -> Manifest; DEFAULT_PROJECT      # when no AppProject exists
    is_repo_permitted(source_repos, repo_url) -> bool
    is_destination_permitted(destinations, ClusterRef(server, name), namespace) -> bool
    is_kind_permitted(project_spec, group_kind, *, namespaced, name="") -> bool
    resolve_cluster(app) -> ClusterRef; unenforced_fields(project) -> list[str]

Project `default`: when the hub has no AppProject of that name, it allows every repository,
destination and kind (Argo CD creates such a project; fleetops assumes it), but, like Argo CD's,
no source namespaces: Applications outside the control-plane namespace need a real AppProject.
"""

from fleetops.core.project.check import IsNamespaced, check, resolve_cluster
from fleetops.core.project.defaults import DEFAULT_PROJECT, default_project
from fleetops.core.project.destinations import ClusterRef, is_destination_permitted
from fleetops.core.project.kinds import is_kind_permitted
from fleetops.core.project.repos import is_repo_permitted
from fleetops.core.project.unenforced import unenforced_fields
from fleetops.core.project.violations import Violation, ViolationKind, violation_conditions

__all__ = [
    "DEFAULT_PROJECT",
    "ClusterRef",
    "IsNamespaced",
    "Violation",
    "ViolationKind",
    "check",
    "default_project",
    "is_destination_permitted",
    "is_kind_permitted",
    "is_repo_permitted",
    "resolve_cluster",
    "unenforced_fields",
    "violation_conditions",
]
