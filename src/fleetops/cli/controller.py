"""`fleetops controller`: run the hub runtime (controllers, webhook, /metrics) against a hub
cluster until SIGINT/SIGTERM."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleetops.cli.apps import options
from fleetops.cli.apps.errors import CliError

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("controller")(controller)


def controller(
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    host: Annotated[str, typer.Option("--host", help="Address of the HTTP server.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port of webhook, /metrics, /healthz (0: any).")] = 8080,
    webhook_secret: Annotated[
        list[str] | None,
        typer.Option(
            "--webhook-secret",
            envvar="FLEETOPS_WEBHOOK_SECRET",
            help="Secret verifying push webhooks (repeatable; none: every webhook is refused).",
        ),
    ] = None,
    poll_interval: Annotated[
        float, typer.Option("--poll-interval", help="Seconds between refreshes (0: webhooks and drift only).")
    ] = 120.0,
    poll_jitter: Annotated[float, typer.Option("--poll-jitter", help="Up to this many seconds more.")] = 60.0,
    rewrite: Annotated[
        list[str] | None,
        typer.Option("--rewrite", help="Repository URL rewrite FROM=TO (repeatable; adds to fleetops-cm)."),
    ] = None,
    git_cache_dir: Annotated[
        Path, typer.Option("--git-cache-dir", help="Where fetched repositories are kept.")
    ] = Path("~/.cache/fleetops/git"),
    workers: Annotated[int, typer.Option("--workers", help="Applications reconciled at once.")] = 8,
    kustomize_remote_bases: Annotated[
        bool,
        typer.Option(
            "--kustomize-remote-bases",
            help="Let Kustomize sources use remote bases (Git URLs in resources:); refused otherwise.",
        ),
    ] = False,
    shard: Annotated[
        str,
        typer.Option("--shard", help="This controller's identity (default with --shards auto: host-pid)."),
    ] = "",
    shards: Annotated[
        str,
        typer.Option(
            "--shards",
            help="'auto': one of N replicas sharing the clusters through Leases in the hub; "
            "a number N: static sharding (with --shard-index, no failover).",
        ),
    ] = "",
    shard_index: Annotated[
        int, typer.Option("--shard-index", help="This replica's index with --shards N (0 to N-1).")
    ] = 0,
    lease_duration: Annotated[
        int, typer.Option("--lease-duration", help="Seconds a Lease lasts without renewal.")
    ] = 15,
    lease_renew_deadline: Annotated[
        float,
        typer.Option("--lease-renew-deadline", help="Stop writing a cluster after this long unrenewed."),
    ] = 10.0,
    lease_retry_period: Annotated[
        float, typer.Option("--lease-retry-period", help="Seconds between lease rounds.")
    ] = 2.0,
    cluster_workers: Annotated[
        int | None,
        typer.Option(
            "--cluster-workers", help="Reconciles at once per cluster (default: a quarter of --workers)."
        ),
    ] = None,
    cluster_timeout: Annotated[
        float | None,
        typer.Option("--cluster-timeout", help="Seconds a request to a spoke may take (default 60)."),
    ] = None,
    cluster_info_interval: Annotated[
        float, typer.Option("--cluster-info-interval", help="Seconds between cluster status publications.")
    ] = 5.0,
) -> None:
    """Run the Application controller, the webhook and /metrics against the hub."""
    import asyncio  # noqa: PLC0415

    from fleetops.cli.apps.hub import Hub, parse_rewrites  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.embedded.signals import run_until_signalled  # noqa: PLC0415
    from fleetops.server import HubConfig, run_hub  # noqa: PLC0415

    target = options.target(kubeconfig, context, namespace)

    async def work() -> None:
        from fleetops.controller.sharding import LeaseTimings  # noqa: PLC0415
        from fleetops.server.shards import static_shards  # noqa: PLC0415

        probe = HubConfig(shards=shards, shard_index=shard_index)
        try:
            static_shards(probe)
            LeaseTimings(float(lease_duration), lease_renew_deadline, lease_retry_period)
        except ValueError as error:
            raise CliError(str(error), 2) from error
        rules = parse_rewrites(rewrite or [])
        async with Hub.open(target) as hub:
            chosen_namespace = hub.namespace
            rules = {**await hub.url_rewrites(), **rules}
        config = HubConfig(
            kubeconfig=target.kubeconfig,
            context=target.context,
            namespace=chosen_namespace,
            git_cache_dir=git_cache_dir.expanduser(),
            url_rewrites=rules,
            webhook_secrets=tuple(webhook_secret or ()),
            host=host,
            port=port,
            poll_interval=poll_interval or None,
            poll_jitter=poll_jitter,
            shard=shard,
            workers=workers,
            kustomize_remote_bases=kustomize_remote_bases,
            cluster_workers=cluster_workers,
            cluster_request_timeout=cluster_timeout,
            shards=shards,
            shard_index=shard_index,
            lease_duration=float(lease_duration),
            lease_renew_deadline=lease_renew_deadline,
            lease_retry_period=lease_retry_period,
            cluster_info_interval=cluster_info_interval,
        )
        ready = asyncio.Event()
        out = console(stderr=True)

        async def announce() -> None:
            await ready.wait()
            out.print(
                f"fleetops controller: namespace {chosen_namespace}, http://{host}:{port}", markup=False
            )

        await run_until_signalled(run_hub(config, ready=ready), announce())

    run(work())
