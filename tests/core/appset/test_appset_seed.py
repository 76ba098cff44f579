"""The seed's ApplicationSet, unchanged, over three production clusters plus dev and staging."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from fleetops.core.appset import GenerationInputs, generate

SecretFactory = Callable[..., dict[str, Any]]
SEED = Path("/work/shared/seed/examples/applicationset.yaml")
PROD = ("prod-us-east-1", "prod-us-west-2", "prod-eu-west-1")


def _fleet(cluster_secret: SecretFactory) -> list[dict[str, Any]]:
    secrets = [
        cluster_secret(n, f"https://{n}.example:6443", labels={"environment": "production"}) for n in PROD
    ]
    secrets.append(cluster_secret("dev", "https://dev.example:6443", labels={"environment": "development"}))
    secrets.append(
        cluster_secret("staging", "https://staging.example:6443", labels={"environment": "staging"})
    )
    return secrets


def test_seed_applicationset_targets_production_clusters_only(cluster_secret: SecretFactory) -> None:
    appset = yaml.safe_load(SEED.read_text())
    apps = generate(appset, GenerationInputs(cluster_secrets=_fleet(cluster_secret)))
    assert [a["metadata"]["name"] for a in apps] == [f"{n}-platform" for n in PROD]
    for app, cluster in zip(apps, PROD, strict=True):
        assert app["apiVersion"] == "argoproj.io/v1alpha1"
        assert app["kind"] == "Application"
        assert app["spec"]["project"] == "platform"
        assert app["spec"]["source"] == {
            "repoURL": "https://github.com/org/gitops-config",
            "path": f"clusters/{cluster}/platform",
        }
        assert app["spec"]["destination"] == {
            "server": f"https://{cluster}.example:6443",
            "namespace": "platform",
        }
