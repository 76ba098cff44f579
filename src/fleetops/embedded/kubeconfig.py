"""The kubeconfig embedded mode hands to users: one context per simulated cluster, the hub's
with the control-plane namespace as its default, written atomically (its appearance is the
signal that everything is ready)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import yaml

from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.kubeconfig import kubeconfig


def write_kubeconfig(path: Path, clusters: Sequence[SimCluster], *, hub: str, namespace: str) -> None:
    document = kubeconfig(clusters, current=hub)
    for context in document["contexts"]:
        if context["name"] == hub:
            context["context"]["namespace"] = namespace
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(yaml.safe_dump(document, sort_keys=False))
    tmp.chmod(0o600)
    tmp.replace(path)
