"""`fleetops app diff` (exit 1 when there is a difference, 2 on error, as `argocd app diff`) and
`fleetops app manifests` (`--source git|live`). Secret values are never shown."""

from __future__ import annotations

from typing import Annotated

import typer

from fleetops.cli.apps import options

__all__ = ["register"]

Rewrite = Annotated[
    list[str] | None,
    typer.Option("--rewrite", help="Repository URL rewrite FROM=TO, on top of the hub's (repeatable)."),
]
Revision = Annotated[
    str, typer.Option("--revision", help="Compare with this revision (default: the target).")
]


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_app)
    app.command("manifests")(app_manifests)


def diff_app(
    name: Annotated[str, typer.Argument(help="The application's name.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    revision: Revision = "",
    rewrite: Rewrite = None,
) -> None:
    """Show what a sync would change (desired from Git against live); exit 1 if anything differs."""
    from fleetops.cli.apps.hub import Hub, parse_rewrites  # noqa: PLC0415
    from fleetops.cli.apps.local_state import compare  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415

    async def work() -> int:
        rules = parse_rewrites(rewrite or [])
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            app = await hub.app(name)
            _, comparison = await compare(hub, app, rules, revision=revision)
        err = console(stderr=True)
        for item in comparison.errors():
            err.print(f"error: {item.error}", markup=False)
        text = comparison.render_diff()
        if text:
            console().print(text, markup=False, end="" if text.endswith("\n") else "\n")
        if comparison.errors():
            return 2
        return 1 if text or comparison.sync_status == "OutOfSync" else 0

    code = run(work(), error_code=2)
    if code:
        raise typer.Exit(code)


def app_manifests(
    name: Annotated[str, typer.Argument(help="The application's name.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    source: Annotated[str, typer.Option("--source", help="git (rendered) or live.")] = "git",
    revision: Revision = "",
    rewrite: Rewrite = None,
) -> None:
    """Print the application's manifests as rendered from Git, or as they are live (Secret values
    masked)."""
    from fleetops.cli.apps.errors import CliError  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub, parse_rewrites  # noqa: PLC0415
    from fleetops.cli.apps.local_state import desired_state, git_source, live_state  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.core.schema import load_schema  # noqa: PLC0415

    async def work() -> None:
        import yaml  # noqa: PLC0415

        from fleetops.core.diff import mask_secret  # noqa: PLC0415

        if source not in ("git", "live"):
            raise CliError("--source must be git or live", 2)
        rules = parse_rewrites(rewrite or [])
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            app = await hub.app(name)
            git = await git_source(hub, rules)
            desired = await desired_state(hub, app, git, revision=revision, schema=load_schema())
            if source == "git":
                objects = desired.objects
            else:
                objects = list((await live_state(hub, app, desired.objects)).values())
                for item in objects:
                    item.get("metadata", {}).pop("managedFields", None)
        text = yaml.safe_dump_all([mask_secret(obj) for obj in objects], sort_keys=False)
        console().print(text, markup=False, end="")

    run(work())
