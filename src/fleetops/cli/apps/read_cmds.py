"""`fleetops app list | get | history`."""

from __future__ import annotations

from typing import Annotated

import typer

from fleetops.cli.apps import options

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("list")(list_apps)
    app.command("get")(get_app)
    app.command("history")(app_history)


def list_apps(
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    output: options.Output = "table",
    selector: Annotated[str, typer.Option("--selector", "-l", help="Label selector.")] = "",
) -> None:
    """List applications (NAME, CLUSTER, NAMESPACE, PROJECT, STATUS, HEALTH, SYNCPOLICY, …)."""
    from fleetops.cli.apps import views  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415

    _check_output(output)

    async def work() -> None:
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            apps = await hub.apps(selector)
        out = console()
        if output in ("json", "yaml"):
            out.print(views.dump(apps, output), markup=False, end="")
        elif output == "name":
            for item in apps:
                out.print(item["metadata"]["name"], markup=False)
        else:
            out.print(views.app_table(apps, wide=output == "wide"))

    run(work())


def get_app(
    name: Annotated[str, typer.Argument(help="The application's name.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    output: options.Output = "table",
    refresh: Annotated[bool, typer.Option("--refresh", help="Ask the controller to refresh first.")] = False,
) -> None:
    """Show one application: its fields, conditions and resources."""
    from fleetops.cli.apps import views  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415

    _check_output(output)

    async def work() -> None:
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            if refresh:
                await hub.refresh(name)
            found = await hub.app(name)
        out = console()
        if output in ("json", "yaml"):
            out.print(views.dump(found, output), markup=False, end="")
            return
        if output == "name":
            out.print(name, markup=False)
            return
        for label, value in views.get_fields(found):
            out.print(f"{label + ':':<16}{value}", markup=False)
        out.print()
        out.print(views.resources_table(found))

    run(work())


def app_history(
    name: Annotated[str, typer.Argument(help="The application's name.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    output: options.Output = "table",
) -> None:
    """The application's deployment history (status.history): ID, date, revision."""
    from fleetops.cli.apps import views  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415

    _check_output(output)

    async def work() -> None:
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            found = await hub.app(name)
        out = console()
        if output in ("json", "yaml"):
            out.print(views.dump(views.history(found), output), markup=False, end="")
        else:
            out.print(views.history_table(found))

    run(work())


def _check_output(output: str) -> None:
    from fleetops.cli.apps.views import OUTPUTS  # noqa: PLC0415

    if output not in OUTPUTS:
        raise typer.BadParameter(f"must be one of {', '.join(OUTPUTS)}", param_hint="--output")
