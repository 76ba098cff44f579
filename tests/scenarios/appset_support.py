"""ApplicationSet scenarios: a hub and four spokes on kubesim, the seed's cluster names in the
cluster Secrets, the AppProject `platform`, and `clusters/<name>/platform` in the Git repository."""

from __future__ import annotations

import base64
import json
from typing import Any

from scenario_support import SEED_URL, Scenario, cluster_config

from fleetops.adapters.kube import HttpKubeClient
from fleetops.model import GroupVersionKind

APPLICATIONSET = GroupVersionKind("argoproj.io", "v1alpha1", "ApplicationSet")
APPPROJECT = GroupVersionKind("argoproj.io", "v1alpha1", "AppProject")
NAMESPACE = GroupVersionKind("", "v1", "Namespace")
APPSET_KEY = ("fleetops", "platform-services")

SPOKES = {
    # cluster name in its Secret -> kubesim cluster serving it
    "prod-us-east-1": "spoke",
    "prod-us-west-2": "west",
    "prod-eu-west-1": "eu",
    "prod-ap-south-1": "ap",
}
PROD = ("prod-us-east-1", "prod-us-west-2", "prod-eu-west-1")
FLEET = ["hub", *SPOKES.values()]


def sim_client(scenario: Scenario, sim: str) -> HttpKubeClient:
    """A client of kubesim cluster `sim` (closed by `scenario.stop()`)."""
    if sim not in scenario.clients:
        scenario.clients[sim] = HttpKubeClient(cluster_config(scenario.fleet, sim))
    return scenario.clients[sim]


def platform_files(cluster: str, *, image: str = "nginx:1.27", deadline: int | None = None) -> dict[str, str]:
    """A monitoring agent: ConfigMap + Deployment (optionally with a short progress deadline)."""
    progress = f"  progressDeadlineSeconds: {deadline}\n" if deadline is not None else ""
    return {
        f"clusters/{cluster}/platform/configmap.yaml": (
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent-config\ndata:\n  cluster: {cluster}\n"
        ),
        f"clusters/{cluster}/platform/deployment.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: monitoring-agent\n"
            f"spec:\n{progress}  replicas: 1\n  selector:\n    matchLabels: {{app: monitoring-agent}}\n"
            "  template:\n    metadata:\n      labels: {app: monitoring-agent}\n"
            f"    spec:\n      containers:\n      - name: agent\n        image: {image}\n"
        ),
    }


def cluster_secret(scenario: Scenario, name: str, *, sim: str | None, environment: str) -> dict[str, Any]:
    """An Argo CD cluster Secret for kubesim cluster `sim` (None: an address nothing serves)."""
    if sim is None:
        server, config = f"https://{name}.invalid:6443", {}
    else:
        cluster = scenario.fleet[sim]
        server = cluster.url
        config = {
            "bearerToken": cluster.token,
            "tlsClientConfig": {"caData": base64.b64encode(cluster.ca_pem).decode()},
        }
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": f"cluster-{name}",
            "namespace": "fleetops",
            "labels": {"argocd.argoproj.io/secret-type": "cluster", "environment": environment},
        },
        "stringData": {"name": name, "server": server, "config": json.dumps(config)},
    }


def platform_project(*, destinations: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "platform", "namespace": "fleetops"},
        "spec": {
            "sourceRepos": [SEED_URL],
            "destinations": destinations or [{"server": "*", "namespace": "platform"}],
        },
    }


async def prepare_fleet(scenario: Scenario) -> None:
    """Cluster Secrets (three production spokes, ap-south-1 as staging, dev and staging at
    addresses nothing serves), the `platform` project and namespace, and the repository content."""
    await scenario.hub.create(platform_project())
    for name, sim in SPOKES.items():
        environment = "production" if name in PROD else "staging"
        await scenario.hub.create(cluster_secret(scenario, name, sim=sim, environment=environment))
    await scenario.hub.create(cluster_secret(scenario, "dev", sim=None, environment="development"))
    await scenario.hub.create(cluster_secret(scenario, "staging", sim=None, environment="staging"))
    for sim in SPOKES.values():
        await sim_client(scenario, sim).create(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "platform"}}
        )
    files: dict[str, str] = {}
    for name in SPOKES:
        files.update(platform_files(name))
    scenario.repo.commit(files, "platform for every spoke")
