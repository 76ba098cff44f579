"""The destination cluster of an Application, reached from the CLI: the hub itself for
`https://kubernetes.default.svc` / `in-cluster`, else the Argo CD cluster Secret naming it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.adapters.kube import ClusterSecretError, HttpKubeClient, config_from_cluster_secret
from fleetops.cli.apps.errors import CliError
from fleetops.cli.apps.hub import Hub
from fleetops.core import app as applications


async def destination_client(hub: Hub, app: Mapping[str, Any]) -> HttpKubeClient:
    """A new client for the application's destination (the caller closes it)."""
    destination = applications.destination(app)
    if destination.is_hub:
        return HttpKubeClient(hub.client.config)
    for secret in await hub.secrets("cluster"):
        try:
            config = config_from_cluster_secret(secret)
        except ClusterSecretError:
            continue
        if destination.server and config.server == destination.server.rstrip("/"):
            return HttpKubeClient(config)
        if not destination.server and config.name == destination.name:
            return HttpKubeClient(config)
    what = destination.server or destination.name or "(none)"
    raise CliError(f"there are no clusters with this URL or name: {what}", 2)
