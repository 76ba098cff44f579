"""Options every hub command takes: `--kubeconfig`, `--context`, `-n/--namespace`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleetops.cli.apps.hub import HubTarget

Kubeconfig = Annotated[
    Path | None,
    typer.Option("--kubeconfig", envvar="KUBECONFIG", help="The hub's kubeconfig (default: ~/.kube/config)."),
]
Context = Annotated[
    str | None, typer.Option("--context", help="The hub's context (default: the current one).")
]
Namespace = Annotated[
    str | None,
    typer.Option(
        "--namespace", "-n", help="The control-plane namespace (default: the context's, else fleetops)."
    ),
]
Output = Annotated[str, typer.Option("--output", "-o", help="table, wide, json, yaml or name.")]


def target(kubeconfig: Path | None, context: str | None, namespace: str | None) -> HubTarget:
    # KUBECONFIG may list several files: only a single path is taken as --kubeconfig.
    if kubeconfig is not None and ":" in str(kubeconfig):
        return HubTarget(None, context, namespace)
    return HubTarget(kubeconfig, context, namespace)
