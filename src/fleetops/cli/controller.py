"""`fleetops controller`: run the hub runtime (controllers, webhook, /metrics) against a hub
cluster until SIGINT/SIGTERM."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleetops.cli.apps import options

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
    shard: Annotated[str, typer.Option("--shard", help="This controller's identity.")] = "",
) -> None:
    """Run the Application controller, the webhook and /metrics against the hub."""
    import asyncio  # noqa: PLC0415

    from fleetops.cli.apps.hub import Hub, parse_rewrites  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.embedded.signals import run_until_signalled  # noqa: PLC0415
    from fleetops.server import HubConfig, run_hub  # noqa: PLC0415

    target = options.target(kubeconfig, context, namespace)

    async def work() -> None:
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
