"""`fleetops app …`: Applications on the hub through the kubeconfig (like `argocd --core`).

Each module registers its commands on the `app` sub-application; heavy imports (adapters, engine,
rich) stay inside the command functions."""

from __future__ import annotations

import typer

from fleetops.cli.apps import diff_cmds, read_cmds, rollback_cmd, sync_cmds, write_cmds

__all__ = ["app"]

app = typer.Typer(
    name="app",
    help="Manage Argo CD Applications on the hub (list, get, diff, sync, wait, rollback, …).",
    no_args_is_help=True,
)

for _module in (read_cmds, write_cmds, sync_cmds, diff_cmds, rollback_cmd):
    _module.register(app)
