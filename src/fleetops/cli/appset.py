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

app = typer.Typer(name="appset", help="ApplicationSets: preview the Applications they generate.")


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
