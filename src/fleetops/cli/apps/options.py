"""Options every hub command takes: `--kubeconfig`, `--context`, `-n/--namespace`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fleetops.cli.apps.errors import CliError

if TYPE_CHECKING:
    from fleetops.adapters.kube import ClusterConfig

DEFAULT_NAMESPACE = "fleetops"

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


@dataclass(frozen=True)
class HubTarget:
    """Which kubeconfig, context and namespace the command works on."""

    kubeconfig: Path | None = None
    context: str | None = None
    namespace: str | None = None

    def resolve(self) -> tuple[ClusterConfig, str]:
        """The hub connection and the control-plane namespace (`-n`, else the context's, else
        `fleetops`)."""
        from fleetops.adapters.kube import read_kubeconfig  # noqa: PLC0415
        from fleetops.adapters.kube.kubeconfig import KubeconfigError, kubeconfig_paths  # noqa: PLC0415

        try:
            config = read_kubeconfig(kubeconfig_paths(self.kubeconfig))
            chosen = self.context or config.current_context
            cluster = config.cluster_config(chosen)
        except KubeconfigError as error:
            raise CliError(f"kubeconfig: {error}") from None
        context = config.contexts.get(chosen)
        namespace = self.namespace or (context.namespace if context else "") or DEFAULT_NAMESPACE
        return cluster, namespace
