"""`fleetops app rollback APP [--to REVISION] | --history ID`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from fleetops.cli.apps import options
from fleetops.cli.apps.errors import CliError

if TYPE_CHECKING:
    from rich.console import Console

    from fleetops.cli.apps.hub import Hub
    from fleetops.model.manifest import Manifest

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("rollback")(rollback_app)


def rollback_app(
    name: Annotated[str, typer.Argument(help="The application's name.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    to: Annotated[
        str, typer.Option("--to", help="Revision to restore (default: the previous history entry's).")
    ] = "",
    history_id: Annotated[
        int | None, typer.Option("--history", help="Argo CD history rollback to this entry (auto-sync off).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be undone; push nothing.")
    ] = False,
    rewrite: Annotated[
        list[str] | None, typer.Option("--rewrite", help="Repository URL rewrite FROM=TO (repeatable).")
    ] = None,
    is_async: Annotated[bool, typer.Option("--async", help="With --history: do not wait.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait (--history).")] = 300,
) -> None:
    """Roll an application back: one Git commit restoring its source path(s) as they were at an
    earlier revision (works with auto-sync on), or Argo CD's history rollback with --history."""
    from fleetops.cli.apps.hub import Hub, parse_rewrites  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415

    async def work() -> int:
        out = console()
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            app = await hub.app(name)
            if history_id is not None:
                if to:
                    raise CliError("give --to or --history, not both", 2)
                return await _history_rollback(hub, app, history_id, out, is_async=is_async, timeout=timeout)
            return await _git_rollback(hub, app, parse_rewrites(rewrite or []), out, to=to, dry_run=dry_run)

    code = run(work())
    if code:
        raise typer.Exit(code)


async def _git_rollback(
    hub: Hub, app: Manifest, rules: dict[str, str], out: Console, *, to: str, dry_run: bool
) -> int:
    from fleetops.cli.apps import rollback  # noqa: PLC0415
    from fleetops.cli.apps.local_state import git_source  # noqa: PLC0415

    name = str(app["metadata"]["name"])
    git = await git_source(hub, rules)
    plan = await rollback.plan_rollback(git, app, to)
    if not plan.undone:
        out.print(f"{name}: {', '.join(plan.paths)} already as at {plan.target[:12]}: nothing to roll back")
        return 0
    out.print(f"Rolling back {name} ({', '.join(plan.paths)}) to {plan.target[:12]}, undoing:", markup=False)
    for line in rollback.undone_lines(plan.undone):
        out.print(f"  {line}", markup=False)
    if dry_run:
        return 0
    result = await rollback.push_rollback(git, name, plan)
    if not result.created:
        out.print("the paths already match: no commit was needed", markup=False)
        return 0
    out.print(f"pushed {result.commit[:12]} to {plan.branch} of {plan.repo}", markup=False)
    await hub.refresh(name)
    return 0


async def _history_rollback(
    hub: Hub, app: Manifest, history_id: int, out: Console, *, is_async: bool, timeout: float
) -> int:
    from fleetops.cli.apps import rollback, views  # noqa: PLC0415
    from fleetops.cli.apps.sync_request import sync_operation  # noqa: PLC0415
    from fleetops.cli.apps.waiting import operation_state, wait_until  # noqa: PLC0415

    name = str(app["metadata"]["name"])
    if app.get("operation"):
        raise CliError(f"another operation is already in progress on {name}")
    entry = rollback.history_entry(app, history_id)
    source = entry.get("source")
    operation = sync_operation(
        revision=str(entry.get("revision") or ""), source=dict(source) if isinstance(source, dict) else None
    )
    written = await hub.patch_app(name, {"operation": operation})
    out.print(f"application {name}: rollback to history {history_id} ({entry.get('revision', '')}) requested")
    if is_async:
        return 0
    finished = await wait_until(
        hub, name, lambda current: not current.get("operation"), timeout=timeout, console=out, since=written
    )
    phase = str(operation_state(finished).get("phase") or "Unknown")
    out.print(f"Operation: Sync {phase}")
    out.print(views.resources_table(finished))
    return 0 if phase == "Succeeded" else 1
