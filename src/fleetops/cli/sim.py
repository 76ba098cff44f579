"""``fleetops sim up``: serve simulated Kubernetes clusters (kubesim) in the foreground."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

DEFAULT_CLUSTERS = "hub,dev,staging,prod-us-east-1,prod-us-west-2,prod-eu-west-1"

_SCALAR = "All clusters, or one as NAME:VALUE (overrides the value for all)."
_MANY = "Repeatable; all clusters, or one as NAME:VALUE."

app = typer.Typer(
    name="sim",
    help="Simulated Kubernetes clusters (kubesim) for tests, demos and scale runs.",
    no_args_is_help=True,
)


@app.command("up")
def up(
    *,
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
    pod_startup_seconds: Annotated[
        list[str] | None,
        typer.Option(
            "--pod-startup-seconds",
            metavar="[NAME:]SECONDS",
            help="Simulated pod start-up delay (default 0.2). " + _SCALAR,
        ),
    ] = None,
    nodes: Annotated[
        list[str] | None,
        typer.Option("--nodes", metavar="[NAME:]N", help="Simulated nodes (default 3). " + _SCALAR),
    ] = None,
    deny_tag: Annotated[
        list[str] | None,
        typer.Option("--deny-tag", metavar="[NAME:]TAG", help="Image tags that fail to pull. " + _MANY),
    ] = None,
    deny_image: Annotated[
        list[str] | None,
        typer.Option("--deny-image", metavar="[NAME:]IMAGE", help="Images that fail to pull. " + _MANY),
    ] = None,
    allow_registry: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-registry",
            metavar="[NAME:]REGISTRY",
            help="Only images from these registries pull (default: all). " + _MANY,
        ),
    ] = None,
    crash_image: Annotated[
        list[str] | None,
        typer.Option("--crash-image", metavar="[NAME:]IMAGE", help="Images that crash-loop. " + _MANY),
    ] = None,
    readiness_delay: Annotated[
        list[str] | None,
        typer.Option(
            "--readiness-delay",
            metavar="[NAME:]IMAGE=SECONDS",
            help="Seconds a container of IMAGE runs before it is ready. " + _MANY,
        ),
    ] = None,
    latency: Annotated[
        list[str] | None,
        typer.Option(
            "--latency", metavar="[NAME:]SECONDS", help="Seconds added to every API request. " + _SCALAR
        ),
    ] = None,
    error_rate: Annotated[
        list[str] | None,
        typer.Option(
            "--error-rate", metavar="[NAME:]FRACTION", help="Share (0-1) of API requests failing. " + _SCALAR
        ),
    ] = None,
    error_code: Annotated[
        list[str] | None,
        typer.Option(
            "--error-code", metavar="[NAME:]CODE", help="Codes of those errors (default 500, 429). " + _MANY
        ),
    ] = None,
    unreachable: Annotated[
        list[str] | None,
        typer.Option(
            "--unreachable",
            metavar="[NAME:]hang|reset",
            help="The API never answers (hang) or closes connections (reset). " + _SCALAR,
        ),
    ] = None,
) -> None:
    """Run the clusters (with simulated nodes, controllers and kubelet) until SIGINT/SIGTERM; write a
    kubeconfig once every cluster answers. Workload and fault flags apply to every cluster, or to
    one when the value starts with `NAME:`; faults can be changed later through the control endpoint."""
    import asyncio  # noqa: PLC0415 - keep `fleetops --help` light

    from fleetops.kubesim.serve import cluster_settings, serve  # noqa: PLC0415

    names = [name.strip() for name in clusters.split(",") if name.strip()]
    if not names:
        raise typer.BadParameter("at least one cluster name is required", param_hint="--clusters")
    flags = {
        "--pod-startup-seconds": pod_startup_seconds,
        "--nodes": nodes,
        "--deny-tag": deny_tag,
        "--deny-image": deny_image,
        "--allow-registry": allow_registry,
        "--crash-image": crash_image,
        "--readiness-delay": readiness_delay,
        "--latency": latency,
        "--error-rate": error_rate,
        "--error-code": error_code,
        "--unreachable": unreachable,
    }
    try:
        settings = cluster_settings(names, {flag: values for flag, values in flags.items() if values})
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    target = kubeconfig or ((data_dir / "kubeconfig") if data_dir else Path("kubesim.kubeconfig"))
    asyncio.run(
        serve(
            names,
            data_dir=data_dir,
            kubeconfig=target,
            tls=tls,
            control_port=control_port,
            echo=typer.echo,
            settings=settings,
        )
    )
