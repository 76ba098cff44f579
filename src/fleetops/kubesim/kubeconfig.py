"""Kubeconfig files for simulated clusters: one cluster, user and context per cluster."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from fleetops.kubesim.cluster import SimCluster


def kubeconfig(clusters: Sequence[SimCluster], current: str | None = None) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    contexts: list[dict[str, Any]] = []
    for cluster in clusters:
        server: dict[str, Any] = {"server": cluster.url}
        if cluster.ca_pem:
            server["certificate-authority-data"] = base64.b64encode(cluster.ca_pem).decode()
        entries.append({"name": cluster.name, "cluster": server})
        user: dict[str, Any] = {"token": cluster.token}
        if cluster.credentials is not None and cluster.tls:
            user["client-certificate-data"] = base64.b64encode(cluster.credentials.client_cert_pem).decode()
            user["client-key-data"] = base64.b64encode(cluster.credentials.client_key_pem).decode()
        users.append({"name": cluster.name, "user": user})
        contexts.append({"name": cluster.name, "context": {"cluster": cluster.name, "user": cluster.name}})
    chosen = current or (clusters[0].name if clusters else "")
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": entries,
        "users": users,
        "contexts": contexts,
        "current-context": chosen,
    }


def write_kubeconfig(path: Path, clusters: Sequence[SimCluster], current: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(yaml.safe_dump(kubeconfig(clusters, current), sort_keys=False))
    tmp.chmod(0o600)
    tmp.replace(path)
