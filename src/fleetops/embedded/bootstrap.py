"""Preparing the hub for embedded mode: the control-plane namespace, the Argo CD CRDs, the
settings ConfigMap (URL rewriting, read by the CLI), a cluster Secret per spoke, the `default`
and `platform` AppProjects and — on the first start only — the sample Applications and the seed's
ApplicationSet."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from fleetops.adapters.kube import HttpKubeClient
from fleetops.core.crds import all_crds
from fleetops.embedded.applications import applications, platform_applicationset, platform_project
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.embedded.fleet_layout import SPOKES
from fleetops.kubesim.cluster import SimCluster
from fleetops.ports.kube import AlreadyExists, UnknownKind

MANAGER = "fleetops-embedded"
SETTINGS_CONFIG_MAP = "fleetops-cm"
REWRITES_KEY = "url.rewrites"
CRD_WAIT_ATTEMPTS = 300


async def _apply(client: HttpKubeClient, obj: Mapping[str, Any]) -> None:
    await client.apply(dict(obj), field_manager=MANAGER, force=True)


async def _create(client: HttpKubeClient, obj: Mapping[str, Any]) -> None:
    """Create `obj` unless it exists; waits (bounded) for a CRD that was just created to serve."""
    for attempt in range(CRD_WAIT_ATTEMPTS):
        try:
            with contextlib.suppress(AlreadyExists):
                await client.create(dict(obj), field_manager=MANAGER)
            return
        except UnknownKind:
            if attempt == CRD_WAIT_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.1)


def default_project(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "default", "namespace": namespace},
        "spec": {
            "sourceRepos": ["*"],
            "destinations": [{"server": "*", "namespace": "*"}],
            "clusterResourceWhitelist": [{"group": "*", "kind": "*"}],
        },
    }


async def prepare_hub(
    client: HttpKubeClient,
    *,
    namespace: str,
    spokes: Mapping[str, SimCluster],
    rewrites: Mapping[str, str],
) -> None:
    """Everything but the Applications; safe to run on every start (ports may have changed)."""
    await _apply(client, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    for crd in all_crds():
        await _apply(client, crd)
    await _apply(
        client,
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": SETTINGS_CONFIG_MAP, "namespace": namespace},
            "data": {REWRITES_KEY: "".join(f"{source}={target}\n" for source, target in rewrites.items())},
        },
    )
    for spoke in SPOKES:
        cluster = spokes[spoke.name]
        await _apply(
            client,
            cluster_secret(
                name=spoke.name,
                server=cluster.url,
                namespace=namespace,
                token=cluster.token,
                ca_pem=cluster.ca_pem or None,
                labels=spoke.labels,
            ),
        )
    await _create(client, default_project(namespace))
    production = [spokes[s.name].url for s in SPOKES if s.environment == "production"]
    await _apply(client, platform_project(namespace, production))  # the servers' ports may change


async def create_applications(
    client: HttpKubeClient, apps: Sequence[Mapping[str, Any]] | None = None
) -> None:
    """The sample Applications and the seed's ApplicationSet (or just `apps`)."""
    for app in [*applications(), platform_applicationset()] if apps is None else apps:
        await _create(client, app)
