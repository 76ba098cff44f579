"""`fleetops app create | delete`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleetops.cli.apps import options

__all__ = ["register"]

RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io"
"""Argo CD's cascade finalizer: removed before deleting (the CLI deletes the resources itself)."""


def register(app: typer.Typer) -> None:
    app.command("create")(create_app)
    app.command("delete")(delete_app)


def create_app(
    name: Annotated[str | None, typer.Argument(help="The application's name (not with -f).")] = None,
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Application manifest(s) ('-': stdin).")
    ] = None,
    repo: Annotated[str, typer.Option("--repo", help="Repository URL.")] = "",
    path: Annotated[str, typer.Option("--path", help="Directory in the repository.")] = "",
    revision: Annotated[str, typer.Option("--revision", help="Branch, tag or commit (default HEAD).")] = "",
    dest_server: Annotated[str, typer.Option("--dest-server", help="Destination API server URL.")] = "",
    dest_name: Annotated[str, typer.Option("--dest-name", help="Destination cluster name.")] = "",
    dest_namespace: Annotated[str, typer.Option("--dest-namespace", help="Destination namespace.")] = "",
    project: Annotated[str, typer.Option("--project", help="AppProject.")] = "default",
    sync_policy: Annotated[str, typer.Option("--sync-policy", help="automated or none.")] = "",
    self_heal: Annotated[bool, typer.Option("--self-heal", help="Revert drift (automated).")] = False,
    auto_prune: Annotated[
        bool, typer.Option("--auto-prune", help="Prune automatically (automated).")
    ] = False,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="Allow syncing to nothing.")] = False,
    sync_option: Annotated[
        list[str] | None, typer.Option("--sync-option", help="e.g. CreateNamespace=true (repeatable).")
    ] = None,
    label: Annotated[list[str] | None, typer.Option("--label", "-l", help="KEY=VALUE (repeatable).")] = None,
    upsert: Annotated[bool, typer.Option("--upsert", help="Update the application if it exists.")] = False,
) -> None:
    """Create an application from flags or from a file."""
    from fleetops.cli.apps.errors import CliError  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.cli.apps.spec_from_flags import AppFlags, from_file, from_flags  # noqa: PLC0415
    from fleetops.ports.kube import AlreadyExists  # noqa: PLC0415

    async def work() -> None:
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            if file is not None:
                if name is not None or repo:
                    raise CliError("give either -f FILE or a name and flags, not both", 2)
                wanted = from_file(file, hub.namespace)
            elif name is None:
                raise CliError("an application name (or -f FILE) is required", 2)
            else:
                flags = AppFlags(
                    name=name,
                    repo=repo,
                    path=path,
                    revision=revision,
                    dest_server=dest_server,
                    dest_name=dest_name,
                    dest_namespace=dest_namespace,
                    project=project,
                    sync_policy=sync_policy,
                    self_heal=self_heal,
                    auto_prune=auto_prune,
                    allow_empty=allow_empty,
                    sync_options=tuple(sync_option or ()),
                    labels=tuple(label or ()),
                )
                wanted = [from_flags(flags, hub.namespace)]
            for item in wanted:
                app_name = item["metadata"]["name"]
                try:
                    await hub.client.create(item, field_manager="fleetops-cli")
                    verb = "created"
                except AlreadyExists:
                    if not upsert:
                        raise CliError(
                            f'application "{app_name}" already exists (use --upsert to update it)'
                        ) from None
                    await hub.apply(item)
                    verb = "updated"
                console().print(f"application {app_name} {verb}", markup=False)

    run(work())


def delete_app(
    names: Annotated[list[str], typer.Argument(help="The applications' names.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    cascade: Annotated[
        bool, typer.Option("--cascade/--no-cascade", help="Also delete the application's resources.")
    ] = True,
) -> None:
    """Delete applications; with --cascade (the default) also the resources they manage."""
    from fleetops.cli.apps.cascade import delete_resources  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.core.app.kinds import APPLICATION  # noqa: PLC0415

    async def work() -> None:
        out = console()
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            for name in names:
                current = await hub.app(name)
                finalizers = list(current.get("metadata", {}).get("finalizers") or [])
                if any(f.startswith(RESOURCES_FINALIZER) for f in finalizers):
                    kept = [f for f in finalizers if not f.startswith(RESOURCES_FINALIZER)]
                    await hub.patch_app(name, {"metadata": {"finalizers": kept}})
                await hub.client.delete(APPLICATION, name, hub.namespace)
                out.print(f"application {name} deleted", markup=False)
                if cascade:
                    for line in await delete_resources(hub, current):
                        out.print(f"  {line}", markup=False)

    run(work())
