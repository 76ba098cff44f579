"""`fleetops appset generate FILE`: the Applications an ApplicationSet file would produce, printed
as YAML and never applied. Cluster Secrets come from a YAML file (`--cluster-secrets`) or from the
hub (`--clusters-from CONTEXT`); git generators read a local checkout (`--repo-dir`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from fleetops.cli.apps import options
from fleetops.cli.apps.errors import CliError

__all__ = ["LocalRepoTree", "app"]

app = typer.Typer(
    name="appset", help="ApplicationSets: preview what they generate, list, show, pause and resume rollouts."
)


class LocalRepoTree:
    """A checkout on disk as the git generators' tree (any repoURL and revision: the checkout)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _walk(self) -> tuple[list[str], list[str]]:
        directories: list[str] = []
        files: list[str] = []
        for current, subdirs, names in os.walk(self.root):
            subdirs[:] = sorted(d for d in subdirs if d != ".git")
            relative = Path(current).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else f"{relative}/"
            directories.extend(f"{prefix}{d}" for d in subdirs)
            files.extend(f"{prefix}{n}" for n in sorted(names))
        return directories, files

    def directories(self, repo_url: str, revision: str) -> Sequence[str]:
        return self._walk()[0]

    def files(self, repo_url: str, revision: str) -> Sequence[str]:
        return self._walk()[1]

    def read(self, repo_url: str, revision: str, path: str) -> bytes:
        return (self.root / path).read_bytes()


def _documents(path: Path) -> list[dict[str, Any]]:
    from fleetops.core.yamlio import YamlReadError, load_documents  # noqa: PLC0415

    try:
        documents = load_documents(path.read_bytes(), string_keys=True)
    except (OSError, YamlReadError) as error:
        raise CliError(f"{path}: {error}") from None
    found: list[dict[str, Any]] = []
    for document in documents:
        if isinstance(document, dict) and document.get("kind") == "List":
            found.extend(item for item in document.get("items") or [] if isinstance(item, dict))
        elif isinstance(document, dict):
            found.append(document)
    return found


async def _hub_cluster_secrets(target: options.HubTarget) -> list[dict[str, Any]]:
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415

    async with Hub.open(target) as hub:
        return [dict(secret) for secret in await hub.secrets("cluster")]


@app.command("generate")
def generate_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A YAML file with ApplicationSets.")],
    *,
    clusters_from: Annotated[
        str | None,
        typer.Option("--clusters-from", metavar="CONTEXT", help="Read cluster Secrets from this hub."),
    ] = None,
    cluster_secrets: Annotated[
        Path | None, typer.Option("--cluster-secrets", help="A YAML file of Argo CD cluster Secrets.")
    ] = None,
    repo_dir: Annotated[
        Path | None, typer.Option("--repo-dir", help="A local checkout for git generators.")
    ] = None,
    in_cluster: Annotated[
        bool, typer.Option("--in-cluster/--no-in-cluster", help="Whether the hub is a destination.")
    ] = True,
    kubeconfig: options.Kubeconfig = None,
    namespace: options.Namespace = None,
) -> None:
    """Print, as YAML, the Applications the ApplicationSets in FILE would produce (nothing applied)."""
    from fleetops.cli.apps.runner import run  # noqa: PLC0415

    async def work() -> None:
        if clusters_from is not None and cluster_secrets is not None:
            raise CliError("--clusters-from and --cluster-secrets are mutually exclusive", 2)
        if repo_dir is not None and not repo_dir.is_dir():
            raise CliError(f"--repo-dir {repo_dir}: not a directory", 2)
        secrets: list[dict[str, Any]] = []
        if cluster_secrets is not None:
            secrets = _documents(cluster_secrets)
        elif clusters_from is not None:
            secrets = await _hub_cluster_secrets(options.target(kubeconfig, clusters_from, namespace))
        tree = LocalRepoTree(repo_dir) if repo_dir is not None else None
        _print_generated(file, secrets, tree, in_cluster=in_cluster, namespace=namespace)

    run(work())


def _print_generated(
    file: Path,
    secrets: list[dict[str, Any]],
    tree: LocalRepoTree | None,
    *,
    in_cluster: bool,
    namespace: str | None,
) -> None:
    from fleetops.core import appset  # noqa: PLC0415
    from fleetops.core.yamlio import dump_documents  # noqa: PLC0415

    inputs = appset.GenerationInputs(cluster_secrets=secrets, include_in_cluster=in_cluster, repo=tree)
    appsets = [d for d in _documents(file) if d.get("kind") == "ApplicationSet"]
    if not appsets:
        raise CliError(f"{file}: no ApplicationSet found")
    applications: list[dict[str, Any]] = []
    for document in appsets:
        metadata = document.setdefault("metadata", {})
        metadata.setdefault("namespace", namespace or options.DEFAULT_NAMESPACE)
        try:
            applications.extend(appset.generate(document, inputs))
        except appset.AppSetError as error:
            raise CliError(str(error)) from None
    if applications:
        typer.echo(dump_documents(applications), nl=False)


# -- list, get, pause, resume ------------------------------------------------------------------

PAUSED_ANNOTATION = "fleetops.io/paused"
"""`fleetops appset pause NAME` sets it to "true": a RollingSync starts no further sync (the
Applications already syncing finish); `resume` removes it."""


async def _appsets(target: options.HubTarget, name: str | None = None) -> list[dict[str, Any]]:
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.core.app.kinds import APPLICATIONSET  # noqa: PLC0415
    from fleetops.ports.kube import NotFound  # noqa: PLC0415

    gvk = APPLICATIONSET
    async with Hub.open(target) as hub:
        if name is None:
            listed = await hub.client.list(gvk, hub.namespace)
            return sorted((dict(a) for a in listed.items), key=lambda a: str(a["metadata"]["name"]))
        try:
            return [dict(await hub.client.get(gvk, name, hub.namespace))]
        except NotFound:
            raise CliError(f'applicationset "{name}" not found in namespace "{hub.namespace}"') from None


async def _set_paused(target: options.HubTarget, name: str, paused: bool) -> None:
    from fleetops.cli.apps.hub import CLI_MANAGER, Hub  # noqa: PLC0415
    from fleetops.core.app.kinds import APPLICATIONSET  # noqa: PLC0415
    from fleetops.ports.kube import NotFound  # noqa: PLC0415

    gvk = APPLICATIONSET
    patch = {"metadata": {"annotations": {PAUSED_ANNOTATION: "true" if paused else None}}}
    async with Hub.open(target) as hub:
        try:
            await hub.client.patch(gvk, name, patch, hub.namespace, field_manager=CLI_MANAGER)
        except NotFound:
            raise CliError(f'applicationset "{name}" not found in namespace "{hub.namespace}"') from None


def _condition(appset: dict[str, Any], kind: str) -> dict[str, Any]:
    for condition in (appset.get("status") or {}).get("conditions") or []:
        if isinstance(condition, dict) and condition.get("type") == kind:
            return condition
    return {}


def _rollout_summary(appset: dict[str, Any]) -> str:
    rollout = (appset.get("status") or {}).get("rollout")
    if not isinstance(rollout, dict):
        return "-"
    if rollout.get("complete"):
        return "complete"
    where = f"step {rollout.get('step')}/{rollout.get('steps')}"
    if rollout.get("halted"):
        return f"{where} halted"
    if rollout.get("paused"):
        return f"{where} paused"
    return f"{where} waiting"


def _health(appset: dict[str, Any]) -> str:
    error = _condition(appset, "ErrorOccurred")
    if error.get("status") == "True":
        return f"Error ({error.get('reason', '')})"
    return str(_condition(appset, "ResourcesUpToDate").get("reason") or "Unknown")


@app.command("list")
def list_cmd(
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
) -> None:
    """List ApplicationSets: their Applications, status and rollout."""
    from fleetops.cli.apps.runner import run  # noqa: PLC0415

    async def work() -> None:
        rows = [("NAME", "APPLICATIONS", "STATUS", "ROLLOUT")]
        for appset in await _appsets(options.target(kubeconfig, context, namespace)):
            resources = (appset.get("status") or {}).get("resources") or []
            rows.append(
                (appset["metadata"]["name"], str(len(resources)), _health(appset), _rollout_summary(appset))
            )
        _print_table(rows)

    run(work())


@app.command("get")
def get_cmd(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
) -> None:
    """Show an ApplicationSet: conditions, Applications, and the rollout step by step."""
    from fleetops.cli.apps.runner import run  # noqa: PLC0415

    async def work() -> None:
        (appset,) = await _appsets(options.target(kubeconfig, context, namespace), name)
        typer.echo(_describe(appset), nl=False)

    run(work())


def _describe(appset: dict[str, Any]) -> str:
    status = appset.get("status") or {}
    metadata = appset["metadata"]
    lines = [f"Name:       {metadata['name']}", f"Namespace:  {metadata.get('namespace', '')}"]
    if (metadata.get("annotations") or {}).get(PAUSED_ANNOTATION) == "true":
        lines.append(f"Paused:     yes ({PAUSED_ANNOTATION})")
    lines.append("Conditions:")
    for condition in status.get("conditions") or []:
        lines.append(
            f"  {condition.get('type')}={condition.get('status')} {condition.get('reason', '')}: "
            f"{condition.get('message', '')} (since {condition.get('lastTransitionTime', '?')})"
        )
    rollout = status.get("rollout")
    if isinstance(rollout, dict):
        lines.append(f"Rollout:    {_rollout_summary(appset)} since {rollout.get('since', '?')}")
        if rollout.get("halted"):
            lines.append(f"  halted: {rollout['halted']}")
        if rollout.get("waitingFor") and not rollout.get("complete"):
            lines.append(f"  waiting for: {', '.join(rollout['waitingFor'])}")
    rows = [("APPLICATION", "SYNC", "HEALTH", "STEP", "ROLLOUT", "SINCE")]
    steps = {
        str(e.get("application")): e for e in status.get("applicationStatus") or [] if isinstance(e, dict)
    }
    for resource in status.get("resources") or []:
        entry = steps.get(str(resource.get("name")), {})
        rows.append((
            str(resource.get("name")),
            str(resource.get("status", "")),
            str((resource.get("health") or {}).get("status", "")),
            str(entry.get("step", "-")),
            str(entry.get("status", "-")),
            str(entry.get("lastTransitionTime", "-")),
        ))  # fmt: skip
    lines.append("Applications:")
    lines.extend("  " + line for line in _table(rows))
    return "\n".join(lines) + "\n"


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _print_table(rows: Sequence[tuple[str, ...]]) -> None:
    for line in _table(rows):
        typer.echo(line)


@app.command("pause")
def pause_cmd(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
) -> None:
    """Pause an ApplicationSet's RollingSync (annotation fleetops.io/paused: "true"): no new syncs."""
    from fleetops.cli.apps.runner import run  # noqa: PLC0415

    run(_set_paused(options.target(kubeconfig, context, namespace), name, True))
    typer.echo(f"applicationset {name} paused")


@app.command("resume")
def resume_cmd(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
) -> None:
    """Resume a paused ApplicationSet's RollingSync (removes the annotation)."""
    from fleetops.cli.apps.runner import run  # noqa: PLC0415

    run(_set_paused(options.target(kubeconfig, context, namespace), name, False))
    typer.echo(f"applicationset {name} resumed")
