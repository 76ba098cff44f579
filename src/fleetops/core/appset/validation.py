"""Validation of generated Applications before anything is written: their destination must be a
known cluster (the hub or a cluster Secret) and their project must exist (Argo CD's
``ApplicationValidationError``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from fleetops.core.appset.generators.clusters import secret_field
from fleetops.core.appset.inputs import IN_CLUSTER_NAME, IN_CLUSTER_SERVER
from fleetops.core.project.defaults import DEFAULT_PROJECT

__all__ = ["destination_known", "known_clusters", "validate_applications"]


def known_clusters(
    cluster_secrets: Sequence[Mapping[str, Any]], *, include_in_cluster: bool = True
) -> dict[str, str]:
    """server URL → cluster name of every destination (the hub as ``in-cluster``)."""
    known = {IN_CLUSTER_SERVER: IN_CLUSTER_NAME} if include_in_cluster else {}
    for secret in cluster_secrets:
        server = secret_field(secret, "server").rstrip("/")
        if server:
            metadata = secret.get("metadata") or {}
            known[server] = secret_field(secret, "name") or str(metadata.get("name", "")) or server
    return known


def destination_known(app: Mapping[str, Any], clusters: Mapping[str, str]) -> bool:
    destination = (app.get("spec") or {}).get("destination") or {}
    server = str(destination.get("server") or "").rstrip("/")
    name = str(destination.get("name") or "")
    if server:
        return server in clusters
    return bool(name) and name in clusters.values()


def validate_applications(
    apps: Sequence[Mapping[str, Any]],
    clusters: Mapping[str, str],
    *,
    projects: Collection[str] | None = None,
) -> list[str]:
    """One message per invalid Application (empty: all valid); `projects` None skips that check.
    The project ``default`` always exists (fleetops' implicit one, as Argo CD's)."""
    errors: list[str] = []
    for app in apps:
        name = str((app.get("metadata") or {}).get("name", ""))
        spec = app.get("spec") or {}
        destination = spec.get("destination") or {}
        if not destination_known(app, clusters):
            what = destination.get("server") or destination.get("name") or "(none)"
            errors.append(
                f"application {name}: the destination is invalid: "
                f"there are no clusters with this URL or name: {what}"
            )
        project = str(spec.get("project") or "")
        if projects is not None and project not in projects and project != DEFAULT_PROJECT:
            errors.append(f"application {name} references project {project or '(none)'} which does not exist")
    return errors
