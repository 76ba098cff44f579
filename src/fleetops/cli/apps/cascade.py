"""Cascade deletion from the CLI: once the Application is gone (so no sync recreates them), the
resources its last status listed are deleted from its destination, in reverse order, hooks
excluded (Argo CD's foreground cascade, done by the client instead of a finalizer)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.cli.apps.destination import destination_client
from fleetops.cli.apps.hub import Hub
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import KubeError, NotFound


async def delete_resources(hub: Hub, app: Mapping[str, Any]) -> list[str]:
    """Delete the application's resources; one line per resource saying what happened."""
    status = app.get("status") or {}
    entries = [e for e in status.get("resources") or () if isinstance(e, Mapping) and not e.get("hook")]
    if not entries:
        return []
    lines: list[str] = []
    client = await destination_client(hub, app)
    try:
        for entry in reversed(entries):
            gvk = GroupVersionKind(
                str(entry.get("group") or ""), str(entry.get("version") or "v1"), str(entry["kind"])
            )
            name, namespace = str(entry.get("name", "")), str(entry.get("namespace") or "") or None
            what = f"{entry['kind']}/{name}" + (f" in {namespace}" if namespace else "")
            try:
                await client.delete(gvk, name, namespace, propagation_policy="Foreground")
                lines.append(f"deleted {what}")
            except NotFound:
                lines.append(f"already gone: {what}")
            except KubeError as error:
                lines.append(f"cannot delete {what}: {error}")
    finally:
        await client.close()
    return lines
