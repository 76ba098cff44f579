"""`fleetops app sync --dry-run`: what a sync would do, computed by the CLI (desired from Git
against live, as `app diff`), with nothing written — not even an operation, since the controller
does not implement `operation.sync.dryRun` yet."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from fleetops.cli.apps.hub import Hub
from fleetops.cli.apps.local_state import compare


async def preview(hub: Hub, name: str, *, revision: str, prune: bool, out: Console) -> int:
    app = await hub.app(name)
    desired, comparison = await compare(hub, app, {}, revision=revision)
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in ("GROUP", "KIND", "NAMESPACE", "NAME", "STATUS", "ACTION"):
        table.add_column(column, no_wrap=True)
    for item in comparison.resources:
        if item.requires_pruning:
            action = "prune" if prune else "ignored (needs --prune)"
        elif item.error:
            action = f"error: {item.error}"
        elif item.status == "OutOfSync":
            action = "create" if item.diff is not None and item.diff.missing else "apply"
        else:
            action = "unchanged"
        key = item.key
        table.add_row(key.group, key.kind, key.namespace, key.name, item.status, action)
    out.print(f"Dry run of {name} at {desired.revision[:12]} (nothing written):", markup=False)
    out.print(table)
    return 2 if comparison.errors() else 0
