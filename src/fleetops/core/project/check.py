"""The AppProject policy, checked before any write: is this application, with these rendered
resources, allowed by its project? Argo CD's rules and messages (docs/user-guide/projects.md).

Order: the project exists (or is the implicit `default`); the application's namespace is allowed
(`sourceNamespaces`); every source repository (`sourceRepos`); the destination
(`destinations`); then each resource's kind (cluster-scoped denied unless whitelisted) and, for
a namespaced resource, its namespace as a destination.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.core import app as applications
from fleetops.core.app.fields import mapping, strings
from fleetops.core.project.defaults import DEFAULT_PROJECT, default_project
from fleetops.core.project.destinations import ClusterRef, is_destination_permitted
from fleetops.core.project.kinds import is_kind_permitted
from fleetops.core.project.repos import is_repo_permitted
from fleetops.core.project.violations import Violation, ViolationKind
from fleetops.core.schema import load_schema
from fleetops.model import manifest
from fleetops.model.gvk import GroupKind
from fleetops.model.keys import ResourceKey

IsNamespaced = Callable[[GroupKind], bool | None]


def resolve_cluster(app: Mapping[str, Any]) -> ClusterRef:
    """The destination cluster as far as the Application names it: the hub by its URL or the
    `in-cluster` name; any other cluster as written (the caller passes the registry's full
    `ClusterRef` when it knows both)."""
    where = applications.destination(app)
    if where.is_hub:
        return ClusterRef(server=applications.IN_CLUSTER_SERVER, name=applications.IN_CLUSTER_NAME)
    return ClusterRef(server=where.server, name=where.name)


def check(
    app: Mapping[str, Any],
    project: Mapping[str, Any] | None,
    resources: Iterable[Mapping[str, Any]] = (),
    *,
    control_plane_namespace: str = "fleetops",
    cluster: ClusterRef | None = None,
    is_namespaced: IsNamespaced | None = None,
) -> list[Violation]:
    """Every way `app` and the `resources` it would write break its project's rules (empty:
    allowed). `project` is the AppProject the app names, None when the hub has none of that
    name (then project `default` allows everything, see `default_project`). `is_namespaced`
    tells a kind's scope (default: the built-in Kubernetes schema; a kind it does not know is
    namespaced when the manifest has a namespace)."""
    name = applications.project(app)
    if project is None:
        if name != DEFAULT_PROJECT:
            message = f"Application referencing project {name} which does not exist"
            return [Violation(ViolationKind.PROJECT_NOT_FOUND, message)]
        project = default_project(control_plane_namespace)
    project_spec = mapping(project.get("spec"))
    violations: list[Violation] = []
    app_namespace = manifest.namespace(app)
    if not applications.is_reconcilable(app, control_plane_namespace, project):
        message = (
            f"application '{manifest.name(app)}' in namespace '{app_namespace}' "
            f"is not allowed to use project {name}"
        )
        violations.append(Violation(ViolationKind.SOURCE_NAMESPACE, message))
    repos = strings(project_spec.get("sourceRepos"))
    for source in applications.sources(app):
        url = applications.repo_url(source)
        if not is_repo_permitted(repos, url):
            message = f"application repo {url} is not permitted in project '{name}'"
            violations.append(Violation(ViolationKind.SOURCE_REPO, message))
    target = cluster or resolve_cluster(app)
    destinations = [mapping(item) for item in project_spec.get("destinations") or []]
    dest_namespace = applications.destination(app).namespace
    if not is_destination_permitted(destinations, target, dest_namespace):
        shown = target.server or target.name
        field = "server" if target.server else "name"
        message = (
            f"application destination {field} '{shown}' and namespace '{dest_namespace}' do not match "
            f"any of the allowed destinations in project '{name}'"
        )
        violations.append(Violation(ViolationKind.DESTINATION, message))
    policy = _ResourcePolicy(
        name, project_spec, destinations, target, dest_namespace, is_namespaced or _schema_scope
    )
    for resource in resources:
        violations.extend(policy.violations(resource))
    return violations


@dataclass(frozen=True, slots=True)
class _ResourcePolicy:
    project_name: str
    project_spec: Mapping[str, Any]
    destinations: list[Mapping[str, Any]]
    cluster: ClusterRef
    default_namespace: str  # the application's destination namespace
    scope: IsNamespaced

    def violations(self, resource: Mapping[str, Any]) -> list[Violation]:
        group_kind = manifest.gvk(resource).group_kind
        namespaced = self.scope(group_kind)
        if namespaced is None:
            namespaced = bool(manifest.namespace(resource))
        namespace = (manifest.namespace(resource) or self.default_namespace) if namespaced else ""
        key = ResourceKey(group_kind.group, group_kind.kind, namespace, manifest.name(resource))
        if not is_kind_permitted(self.project_spec, group_kind, namespaced=namespaced, name=key.name):
            what = f"{group_kind.group}:{group_kind.kind}"
            message = f"resource {what} is not permitted in project {self.project_name}"
            return [Violation(ViolationKind.RESOURCE_KIND, message, key)]
        if namespaced and not is_destination_permitted(self.destinations, self.cluster, namespace):
            message = f"namespace {namespace} is not permitted in project '{self.project_name}'"
            return [Violation(ViolationKind.RESOURCE_NAMESPACE, message, key)]
        return []


def _schema_scope(group_kind: GroupKind) -> bool | None:
    return load_schema().is_namespaced(group_kind)
