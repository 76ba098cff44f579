"""`fleetops up`: embedded mode — a simulated hub and spokes, a sample config repository served
over HTTP, Applications, and the controllers, in the foreground until Ctrl-C / SIGTERM."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fleetops.embedded.runner import Running

__all__ = ["banner", "register"]


def register(app: typer.Typer) -> None:
    app.command("up")(up)


def up(
    *,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Keep clusters, repository and ports here across restarts (default: temporary).",
        ),
    ] = None,
    kubeconfig: Annotated[
        Path | None,
        typer.Option(
            "--kubeconfig",
            help="Where to write the kubeconfig (default: DATA_DIR/kubeconfig or ./fleetops.kubeconfig).",
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option("--port", help="Port of the webhook and /metrics on 127.0.0.1 (0: a free one, kept)."),
    ] = 8080,
    poll_interval: Annotated[
        float, typer.Option("--poll-interval", help="Seconds between Git refreshes of each application.")
    ] = 30.0,
) -> None:
    """Run fleetops with no cluster at all: kubesim hub + spokes, a sample repository, the
    controllers. Writes the kubeconfig once everything is ready."""
    import asyncio  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from fleetops.embedded.runner import EmbeddedConfig, run_embedded  # noqa: PLC0415
    from fleetops.embedded.signals import run_until_signalled  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="fleetops-up-") as scratch:
        directory = (data_dir or Path(scratch)).expanduser().absolute()
        target = (
            kubeconfig or (directory / "kubeconfig" if data_dir else Path("fleetops.kubeconfig"))
        ).absolute()
        config = EmbeddedConfig(data_dir=directory, kubeconfig=target, port=port, poll_interval=poll_interval)

        def ready(running: Running) -> None:
            typer.echo(banner(config.kubeconfig, running, config.data_dir))

        asyncio.run(run_until_signalled(run_embedded(config, echo=typer.echo, on_ready=ready)))
        typer.echo("fleetops stopped")


def banner(kubeconfig: Path, running: Running, data_dir: Path) -> str:
    from fleetops.embedded.fleet_layout import SEED_REPO_URL  # noqa: PLC0415
    from fleetops.embedded.state import STATE_FILE  # noqa: PLC0415

    kubectl = f"kubectl --kubeconfig {kubeconfig}"
    return "\n".join(
        [
            "",
            "fleetops is up.",
            f"  kubeconfig:  {kubeconfig}   (contexts: {', '.join(running.fleet.clusters)}; hub is current)",
            f"  repository:  {SEED_REPO_URL} -> {running.repo_url}",
            f"  metrics:     http://127.0.0.1:{running.port}/metrics",
            f"  webhook:     http://127.0.0.1:{running.port}/api/webhook",
            f"               (its secret is `webhook_secret` in {data_dir / STATE_FILE}; never printed)",
            "",
            "Try:",
            f"  export KUBECONFIG={kubeconfig}",
            "  fleetops app list",
            "  fleetops app get payment-service-prod-us-east-1",
            f"  {kubectl} --context prod-us-east-1 -n payments scale deployment payment-service --replicas 5",
            f"  {kubectl} --context prod-us-east-1 -n payments get deploy payment-service -w  # back to 4",
            f"  git clone {running.repo_url} gitops-config   # change it, push, watch it sync",
            "  fleetops app rollback payment-service-prod-us-east-1",
            "",
            "ApplicationSet platform-services (the seed's; clusters labelled environment=production):",
            f"  {kubectl} --context hub -n fleetops get applicationsets",
            "  fleetops app list   # prod-{us-east-1,us-west-2,eu-west-1}-platform",
            f"  {kubectl} --context hub -n fleetops get applicationset platform-services -o yaml"
            " > appset.yaml",
            "  fleetops appset generate appset.yaml --clusters-from hub   # a preview; applies nothing",
            f"  {kubectl} --context hub -n fleetops label secret --overwrite"
            " -l argocd.argoproj.io/secret-type=cluster,environment=staging environment=production",
            "      # staging-platform appears; project platform refuses it (its destinations are the",
            "      # prod-* clusters): fleetops app get staging-platform. Label it back to remove it.",
            "",
            "Ctrl-C stops everything.",
        ]
    )
