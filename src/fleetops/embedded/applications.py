"""The Applications embedded mode starts with: the seed's application.yaml unchanged (payment
service, production overlay, on the hub itself), every application on staging and on each
production spoke, and each spoke's cluster base (`clusters/<spoke>`); and the seed's
`platform-services` ApplicationSet (unchanged) with the `platform` AppProject it names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from fleetops.embedded.fleet_layout import APPS, CONTROL_NAMESPACE, SEED_REPO_URL, SPOKES, Spoke
from fleetops.embedded.sample_repo import PLATFORM_NAMESPACE, seed_application, seed_applicationset

SYNC_POLICY: dict[str, Any] = {
    "automated": {"prune": True, "selfHeal": True},
    "syncOptions": ["CreateNamespace=true"],
    "retry": {"limit": 5, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}},
}
"""The seed's sync policy, for every generated application."""


def _application(
    name: str, path: str, spoke: Spoke, namespace: str, labels: dict[str, str]
) -> dict[str, Any]:
    destination: dict[str, Any] = {"name": spoke.name}
    if namespace:
        destination["namespace"] = namespace
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": CONTROL_NAMESPACE, "labels": labels},
        "spec": {
            "project": "default",
            "source": {"repoURL": SEED_REPO_URL, "targetRevision": "main", "path": path},
            "destination": destination,
            "syncPolicy": yaml.safe_load(yaml.safe_dump(SYNC_POLICY)),
        },
    }


def seed() -> dict[str, Any]:
    loaded = yaml.safe_load(seed_application())
    assert isinstance(loaded, dict)
    loaded.setdefault("metadata", {})["namespace"] = CONTROL_NAMESPACE
    return loaded


def platform_applicationset() -> dict[str, Any]:
    """The seed's `platform-services` ApplicationSet, its text unchanged; like `kubectl apply -n`,
    it goes into the control-plane namespace (the seed names none)."""
    loaded = yaml.safe_load(seed_applicationset())
    assert isinstance(loaded, dict)
    loaded.setdefault("metadata", {}).setdefault("namespace", CONTROL_NAMESPACE)
    return loaded


PLATFORM_PROJECT = "platform"


def platform_project(namespace: str, production_servers: Sequence[str]) -> dict[str, Any]:
    """The AppProject the seed's ApplicationSet names: the sample repository, the production
    clusters' namespace `platform` (by server URL), and the `platform` Namespace itself as the
    only cluster-scoped kind."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": PLATFORM_PROJECT, "namespace": namespace},
        "spec": {
            "description": "Platform services on every production cluster (ApplicationSet platform-services)",
            "sourceRepos": [SEED_REPO_URL],
            "destinations": [
                {"server": server, "namespace": PLATFORM_NAMESPACE} for server in production_servers
            ],
            "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
        },
    }


def applications() -> list[dict[str, Any]]:
    """Every Application of the sample fleet, the seed's first."""
    out = [seed()]
    for spoke in SPOKES:
        labels = {"cluster": spoke.name, **spoke.labels}
        out.append(_application(f"cluster-{spoke.name}", f"clusters/{spoke.name}", spoke, "", labels))
        if spoke.overlay is None:
            continue
        for app, namespace in APPS.items():
            path = f"apps/{app}/overlays/{spoke.overlay}"
            out.append(_application(f"{app}-{spoke.name}", path, spoke, namespace, {"app": app, **labels}))
    return out
