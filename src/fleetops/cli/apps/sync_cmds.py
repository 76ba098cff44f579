"""`fleetops app sync` (writes `operation.sync` as Argo CD does) and `fleetops app wait`."""

from __future__ import annotations

from typing import Annotated

import typer

from fleetops.cli.apps import options

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("sync")(sync_app)
    app.command("wait")(wait_app)


def sync_app(
    name: Annotated[str, typer.Argument(help="The application's name.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    revision: Annotated[str, typer.Option("--revision", help="Sync to this revision.")] = "",
    prune: Annotated[bool, typer.Option("--prune", help="Delete what is no longer in Git.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what a sync would change; write nothing.")
    ] = False,
    resource: Annotated[
        list[str] | None,
        typer.Option(
            "--resource", help="Sync only GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME (repeatable)."
        ),
    ] = None,
    sync_option: Annotated[
        list[str] | None, typer.Option("--sync-option", help="A sync option, e.g. Replace=true (repeatable).")
    ] = None,
    is_async: Annotated[bool, typer.Option("--async", help="Do not wait for the sync to finish.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait (0: no limit).")] = 300,
) -> None:
    """Sync an application: write `operation.sync` and (unless --async) wait until it finishes."""
    from fleetops.cli.apps import views  # noqa: PLC0415
    from fleetops.cli.apps.errors import CliError  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.cli.apps.sync_preview import preview  # noqa: PLC0415
    from fleetops.cli.apps.sync_request import sync_operation  # noqa: PLC0415
    from fleetops.cli.apps.waiting import operation_state, wait_until  # noqa: PLC0415

    async def work() -> int:
        operation = sync_operation(
            revision=revision,
            prune=prune,
            dry_run=dry_run,
            resources=resource or [],
            sync_options=sync_option or [],
        )
        out = console()
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            if dry_run:
                return await preview(hub, name, revision=revision, prune=prune, out=out)
            current = await hub.app(name)
            if current.get("operation"):
                raise CliError(f"another operation is already in progress on {name}")
            written = await hub.patch_app(name, {"operation": operation})
            out.print(f"application {name}: sync requested", markup=False)
            if is_async:
                return 0
            finished = await wait_until(
                hub, name, lambda app: not app.get("operation"), timeout=timeout, console=out, since=written
            )
        state = operation_state(finished)
        phase = str(state.get("phase") or "Unknown")
        out.print(f"Operation: Sync {phase}" + (f": {state['message']}" if state.get("message") else ""))
        out.print(views.resources_table(finished))
        return 0 if phase == "Succeeded" else 1

    code = run(work())
    if code:
        raise typer.Exit(code)


def wait_app(
    names: Annotated[list[str], typer.Argument(help="The applications' names.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    sync: Annotated[bool, typer.Option("--sync", help="Wait until Synced.")] = False,
    health: Annotated[bool, typer.Option("--health", help="Wait until Healthy.")] = False,
    operation: Annotated[bool, typer.Option("--operation", help="Wait until no operation runs.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait (0: no limit).")] = 600,
) -> None:
    """Wait until applications are synced, healthy and idle (all three unless some are chosen);
    exits 1 on timeout."""
    import time  # noqa: PLC0415

    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.cli.apps.waiting import WaitFor, wait_until  # noqa: PLC0415

    wanted = WaitFor(sync=sync, health=health, operation=operation).normalized()

    async def work() -> None:
        out = console()
        deadline = time.monotonic() + timeout
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            for name in names:
                left = max(deadline - time.monotonic(), 0.001) if timeout > 0 else 0
                await wait_until(
                    hub,
                    name,
                    lambda app: not wanted.unmet(app),
                    timeout=left,
                    console=out,
                    what=lambda app: ", ".join(wanted.unmet(app)) or "done",
                )
                out.print(f"application {name}: done", markup=False)

    run(work())
