"""``fleetops sim up``: serve simulated Kubernetes clusters (kubesim) in the foreground."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

DEFAULT_CLUSTERS = "hub,dev,staging,prod-us-east-1,prod-us-west-2,prod-eu-west-1"

app = typer.Typer(
    name="sim",
    help="Simulated Kubernetes clusters (kubesim) for tests, demos and scale runs.",
    no_args_is_help=True,
)


@app.command("up")
def up(
    clusters: Annotated[str, typer.Option(help="Comma-separated cluster names.")] = DEFAULT_CLUSTERS,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Keep objects, resourceVersions, tokens and ports here (SQLite)."),
    ] = None,
    kubeconfig: Annotated[
        Path | None,
        typer.Option(
            "--kubeconfig",
            help="Where to write the kubeconfig (default: DATA_DIR/kubeconfig or ./kubesim.kubeconfig).",
        ),
    ] = None,
    tls: Annotated[
        bool, typer.Option("--tls/--no-tls", help="Serve HTTPS (kubectl sends tokens only over TLS).")
    ] = True,
    control_port: Annotated[
        int, typer.Option(help="Port of the JSON control endpoint (0: any free port).")
    ] = 0,
) -> None:
    """Run the clusters (with simulated nodes, controllers and kubelet) until SIGINT/SIGTERM; write a
    kubeconfig once every cluster answers."""
    import asyncio  # noqa: PLC0415 - keep `fleetops --help` light

    from fleetops.kubesim.serve import serve  # noqa: PLC0415

    names = [name.strip() for name in clusters.split(",") if name.strip()]
    if not names:
        raise typer.BadParameter("at least one cluster name is required", param_hint="--clusters")
    target = kubeconfig or ((data_dir / "kubeconfig") if data_dir else Path("kubesim.kubeconfig"))
    asyncio.run(
        serve(
            names, data_dir=data_dir, kubeconfig=target, tls=tls, control_port=control_port, echo=typer.echo
        )
    )
