"""AppProject policy before any write: YAML tables of projects, applications and resources in,
Argo CD's violations out."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetops.core import project as projects
from fleetops.core.project import ClusterRef, ViolationKind
from fleetops.model.keys import ResourceKey

# The seed and other shared files (tests/conftest.py's rule, without importing it by name).
SHARED_DIR = Path(os.environ.get("FLEETOPS_SHARED_DIR", Path(__file__).resolve().parents[4] / "shared"))


def _yaml(text: str) -> Any:
    return yaml.safe_load(textwrap.dedent(text))


def _app(
    repo: str = "https://github.com/org/gitops-config",
    *,
    project: str = "platform",
    server: str = "https://kubernetes.default.svc",
    namespace: str = "platform",
    app_namespace: str = "fleetops",
) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "demo", "namespace": app_namespace},
        "spec": {
            "project": project,
            "source": {"repoURL": repo, "path": "p"},
            "destination": {"server": server, "namespace": namespace},
        },
    }


def _project(spec: str) -> dict[str, Any]:
    return {"kind": "AppProject", "metadata": {"name": "platform"}, "spec": _yaml(spec)}


def _messages(violations: list[projects.Violation]) -> list[str]:
    return [v.message for v in violations]


# sourceRepos -----------------------------------------------------------------------------------

REPOS = _yaml("""
- {patterns: ['*'], repo: https://github.com/org/anything, allowed: true}
- {patterns: [], repo: https://github.com/org/anything, allowed: false}
- {patterns: ['https://github.com/org/*'], repo: https://github.com/org/gitops-config, allowed: true}
- {patterns: ['https://github.com/org/*'], repo: https://github.com/org/nested/repo, allowed: false}
- {patterns: ['https://github.com/org/**'], repo: https://github.com/org/nested/repo, allowed: true}
- {patterns: ['https://github.com/other/*'], repo: https://github.com/org/gitops-config, allowed: false}
- name: normalised (case, .git suffix)
  patterns: ['https://GitHub.com/Org/Gitops-Config.git']
  repo: https://github.com/org/gitops-config
  allowed: true
- {patterns: ['git@github.com:org/*'], repo: 'git@github.com:org/repo.git', allowed: true}
- {patterns: ['*', '!https://github.com/org/bad'], repo: https://github.com/org/bad, allowed: false}
- {patterns: ['*', '!https://github.com/org/bad'], repo: https://github.com/org/fine, allowed: true}
- {patterns: ['!https://github.com/org/bad', '*'], repo: https://github.com/org/bad, allowed: false}
- name: a deny pattern alone allows the others (Argo CD)
  patterns: ['!https://github.com/org/bad']
  repo: https://github.com/org/fine
  allowed: true
- {patterns: ['*', '!https://github.com/org/team-*'], repo: https://github.com/org/team-a, allowed: false}
""")


@pytest.mark.parametrize("case", REPOS, ids=[c.get("name", f"{c['patterns']} {c['repo']}") for c in REPOS])
def test_source_repos(case: dict[str, Any]) -> None:
    assert projects.is_repo_permitted(case["patterns"], case["repo"]) is case["allowed"]


def test_repo_violation_message() -> None:
    project = _project("""
        sourceRepos: [https://github.com/org/allowed]
        destinations: [{server: '*', namespace: '*'}]
    """)
    violations = projects.check(_app("https://github.com/evil/repo"), project)
    assert _messages(violations) == [
        "application repo https://github.com/evil/repo is not permitted in project 'platform'"
    ]
    assert violations[0].kind is ViolationKind.SOURCE_REPO
    assert violations[0].condition_type == "InvalidSpecError"


def test_every_source_of_a_multi_source_app_is_checked() -> None:
    app = _app()
    app["spec"]["sources"] = [{"repoURL": "https://github.com/org/a"}, {"repoURL": "https://gitlab.com/x/b"}]
    project = _project("""
        sourceRepos: ['https://github.com/org/*']
        destinations: [{server: '*', namespace: '*'}]
    """)
    assert _messages(projects.check(app, project)) == [
        "application repo https://gitlab.com/x/b is not permitted in project 'platform'"
    ]


# destinations ----------------------------------------------------------------------------------

DESTINATIONS = _yaml("""
- name: exact server and namespace
  destinations: [{server: https://kubernetes.default.svc, namespace: platform}]
  cluster: {server: https://kubernetes.default.svc, name: in-cluster}
  namespace: platform
  allowed: true
- name: other namespace
  destinations: [{server: https://kubernetes.default.svc, namespace: platform}]
  cluster: {server: https://kubernetes.default.svc}
  namespace: payments
  allowed: false
- name: by cluster name glob
  destinations: [{name: 'prod-*', namespace: '*'}]
  cluster: {server: https://10.0.0.1, name: prod-us-east-1}
  namespace: anything
  allowed: true
- name: server globs cross slashes
  destinations: [{server: 'https://*', namespace: 'team-*'}]
  cluster: {server: https://a.example.com/k8s/clusters/c-1}
  namespace: team-a
  allowed: true
- name: deny namespace wins over an allow-all entry
  destinations: [{server: '*', namespace: '*'}, {server: '*', namespace: '!kube-system'}]
  cluster: {server: https://x}
  namespace: kube-system
  allowed: false
- name: deny namespace lets the others through
  destinations: [{server: '*', namespace: '*'}, {server: '*', namespace: '!kube-system'}]
  cluster: {server: https://x}
  namespace: default
  allowed: true
- name: deny server wins
  destinations: [{server: '*', namespace: '*'}, {server: '!https://prod.example.com', namespace: '*'}]
  cluster: {server: https://prod.example.com}
  namespace: default
  allowed: false
- name: deny by name glob wins
  destinations: [{name: '*', namespace: '*'}, {name: '!prod-*', namespace: '*'}]
  cluster: {server: https://1.2.3.4, name: prod-eu}
  namespace: default
  allowed: false
- name: no destinations
  destinations: []
  cluster: {server: https://x}
  namespace: default
  allowed: false
""")


@pytest.mark.parametrize("case", DESTINATIONS, ids=[c["name"] for c in DESTINATIONS])
def test_destinations(case: dict[str, Any]) -> None:
    cluster = ClusterRef(**case["cluster"])
    assert (
        projects.is_destination_permitted(case["destinations"], cluster, case["namespace"]) is case["allowed"]
    )


def test_destination_violation_message() -> None:
    project = _project("""
        sourceRepos: ['*']
        destinations: [{server: https://kubernetes.default.svc, namespace: platform}]
    """)
    violations = projects.check(_app(namespace="payments"), project)
    assert _messages(violations) == [
        "application destination server 'https://kubernetes.default.svc' and namespace 'payments' do not "
        "match any of the allowed destinations in project 'platform'"
    ]
    assert violations[0].kind is ViolationKind.DESTINATION


def test_destination_by_name_uses_the_resolved_cluster() -> None:
    app = _app()
    app["spec"]["destination"] = {"name": "prod-us-east-1", "namespace": "platform"}
    project = _project("""
        sourceRepos: ['*']
        destinations: [{server: 'https://prod-us-east-1.example.com', namespace: platform}]
    """)
    assert projects.check(app, project) != []  # only the name is known
    resolved = ClusterRef(server="https://prod-us-east-1.example.com", name="prod-us-east-1")
    assert projects.check(app, project, cluster=resolved) == []


# resource kinds --------------------------------------------------------------------------------

NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "platform"}}
CLUSTER_ROLE = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {"name": "r"},
}
DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "agent"}}
QUOTA = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q", "namespace": "platform"}}
WIDGET = {
    "apiVersion": "example.com/v1",
    "kind": "Widget",
    "metadata": {"name": "w", "namespace": "platform"},
}

KINDS = _yaml("""
- name: cluster-scoped kinds are denied unless whitelisted (Argo CD's default)
  spec: {}
  resource: namespace
  expected: ['resource :Namespace is not permitted in project platform']
- name: whitelisted cluster kind
  spec: {clusterResourceWhitelist: [{group: '', kind: Namespace}]}
  resource: namespace
  expected: []
- name: wildcard whitelist and a blacklist
  spec:
    clusterResourceWhitelist: [{group: '*', kind: '*'}]
    clusterResourceBlacklist: [{group: rbac.authorization.k8s.io, kind: 'Cluster*'}]
  resource: cluster_role
  expected: ['resource rbac.authorization.k8s.io:ClusterRole is not permitted in project platform']
- name: namespaced kinds are allowed without a whitelist
  spec: {}
  resource: deployment
  expected: []
- name: namespaced blacklist
  spec: {namespaceResourceBlacklist: [{group: '', kind: ResourceQuota}]}
  resource: quota
  expected: ['resource :ResourceQuota is not permitted in project platform']
- name: namespaced whitelist not listing the kind
  spec: {namespaceResourceWhitelist: [{group: apps, kind: Deployment}]}
  resource: quota
  expected: ['resource :ResourceQuota is not permitted in project platform']
- name: an empty namespaced whitelist allows nothing
  spec: {namespaceResourceWhitelist: []}
  resource: deployment
  expected: ['resource apps:Deployment is not permitted in project platform']
- name: group globs
  spec: {namespaceResourceWhitelist: [{group: '*.com', kind: '*'}]}
  resource: widget
  expected: []
- name: a namespaced resource in a namespace outside the destinations
  spec: {}
  resource: quota_elsewhere
  expected: ["namespace kube-system is not permitted in project 'platform'"]
""")

RESOURCES = {
    "namespace": NAMESPACE,
    "cluster_role": CLUSTER_ROLE,
    "deployment": DEPLOYMENT,
    "quota": QUOTA,
    "widget": WIDGET,
    "quota_elsewhere": {**QUOTA, "metadata": {"name": "q", "namespace": "kube-system"}},
}


@pytest.mark.parametrize("case", KINDS, ids=[c["name"] for c in KINDS])
def test_resource_kinds(case: dict[str, Any]) -> None:
    spec = {"sourceRepos": ["*"], "destinations": [{"server": "*", "namespace": "platform"}], **case["spec"]}
    project = {"metadata": {"name": "platform"}, "spec": spec}
    violations = projects.check(_app(), project, [RESOURCES[case["resource"]]])
    assert _messages(violations) == case["expected"]
    for violation in violations:
        assert violation.condition_type == "SyncError"


def test_resource_violation_names_the_resource_and_defaults_its_namespace() -> None:
    project = _project("""
        sourceRepos: ['*']
        destinations: [{server: '*', namespace: platform}]
        namespaceResourceWhitelist: [{group: apps, kind: StatefulSet}]
    """)
    (violation,) = projects.check(_app(), project, [DEPLOYMENT])
    assert violation.resource == ResourceKey("apps", "Deployment", "platform", "agent")
    assert violation.kind is ViolationKind.RESOURCE_KIND


def test_scope_of_an_unknown_kind() -> None:
    project = _project("sourceRepos: ['*']\ndestinations: [{server: '*', namespace: '*'}]")
    cluster_wide = {"apiVersion": "example.com/v1", "kind": "Gizmo", "metadata": {"name": "g"}}
    assert _messages(projects.check(_app(), project, [cluster_wide])) == [
        "resource example.com:Gizmo is not permitted in project platform"
    ]
    assert projects.check(_app(), project, [cluster_wide], is_namespaced=lambda gk: True) == []


# projects, default project, source namespaces ---------------------------------------------------


def test_missing_project() -> None:
    violations = projects.check(_app(project="ghost"), None)
    assert _messages(violations) == ["Application referencing project ghost which does not exist"]
    assert violations[0].kind is ViolationKind.PROJECT_NOT_FOUND


def test_default_project_allows_everything_when_absent() -> None:
    app = _app(
        "https://anywhere.example/repo", project="default", server="https://x", namespace="kube-system"
    )
    assert projects.check(app, None, [NAMESPACE, CLUSTER_ROLE, DEPLOYMENT]) == []
    app["spec"].pop("project")
    assert projects.check(app, None, [NAMESPACE]) == []


def test_default_project_does_not_allow_other_namespaces() -> None:
    app = _app(project="default", app_namespace="team-a")
    assert _messages(projects.check(app, None)) == [
        "application 'demo' in namespace 'team-a' is not allowed to use project default"
    ]


def test_source_namespaces() -> None:
    project = _project("""
        sourceRepos: ['*']
        destinations: [{server: '*', namespace: '*'}]
        sourceNamespaces: [team-*]
    """)
    assert projects.check(_app(app_namespace="team-a"), project) == []
    (violation,) = projects.check(_app(app_namespace="other"), project)
    assert violation.kind is ViolationKind.SOURCE_NAMESPACE
    assert projects.check(_app(app_namespace="other"), project, control_plane_namespace="other") == []


def test_violations_become_conditions() -> None:
    project = _project("sourceRepos: []\ndestinations: []")
    violations = projects.check(_app(), project, [NAMESPACE])
    conditions = projects.violation_conditions(violations, now="T")
    assert [(c["type"], c["lastTransitionTime"]) for c in conditions] == [
        ("InvalidSpecError", "T"),
        ("InvalidSpecError", "T"),
        ("SyncError", "T"),
    ]


def test_seed_applicationset_project_allows_its_applications() -> None:
    path = SHARED_DIR / "seed" / "examples" / "applicationset.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not checked out here)")
    template = yaml.safe_load(path.read_text())["spec"]["template"]
    app = {"metadata": {"name": "prod-us-east-1-platform", "namespace": "fleetops"}, "spec": template["spec"]}
    app["spec"] = {
        **app["spec"],
        "destination": {"server": "https://prod-us-east-1:6443", "namespace": "platform"},
    }
    project = _project("""
        sourceRepos: [https://github.com/org/gitops-config]
        destinations: [{name: 'prod-*', namespace: platform}, {server: 'https://prod-*', namespace: platform}]
    """)
    assert projects.check(app, project, [DEPLOYMENT]) == []


def test_unenforced_fields_are_reported() -> None:
    project = _project("""
        roles: [{name: ci, policies: ['p, proj:platform:ci, applications, sync, platform/*, allow']}]
        syncWindows: [{kind: deny, schedule: '0 22 * * *', duration: 1h}]
        orphanedResources: {}
    """)
    assert projects.unenforced_fields(project) == [
        "spec.roles: project roles and their JWT tokens (fleetops has no API server roles yet) "
        "not enforced by fleetops yet",
        "spec.syncWindows: sync windows not enforced by fleetops yet",
    ]
