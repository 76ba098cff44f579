"""`fleetops repo add | list`: Argo CD repository Secrets (`argocd.argoproj.io/secret-type:
repository`) in the control-plane namespace. `list` never prints a credential."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleetops.cli.apps import options

__all__ = ["app", "repository_secret"]

app = typer.Typer(name="repo", help="Repositories the hub may fetch from (Argo CD repository Secrets).")


def repository_secret(
    url: str,
    namespace: str,
    *,
    username: str = "",
    password: str = "",
    ssh_private_key: str = "",
    insecure: bool = False,
    name: str = "",
    project: str = "",
    credential_template: bool = False,
) -> dict[str, object]:
    """The Secret `argocd repo add` writes (named `repo-<hash of the URL>`)."""
    import hashlib  # noqa: PLC0415

    from fleetops.core.source import normalize_url  # noqa: PLC0415

    kind = "repo-creds" if credential_template else "repository"
    digest = hashlib.sha256(normalize_url(url).encode()).hexdigest()[:10]
    data = {"url": url, "type": "git"}
    for key, value in (
        ("name", name),
        ("project", project),
        ("username", username),
        ("password", password),
        ("sshPrivateKey", ssh_private_key),
    ):
        if value:
            data[key] = value
    if insecure:
        data["insecure"] = "true"
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": f"{'creds' if credential_template else 'repo'}-{digest}",
            "namespace": namespace,
            "labels": {"argocd.argoproj.io/secret-type": kind},
        },
        "stringData": data,
    }


@app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="Repository URL (https://, http://, ssh://, git@host:…).")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    username: Annotated[str, typer.Option("--username", help="User name (https).")] = "",
    password: Annotated[
        str, typer.Option("--password", envvar="FLEETOPS_REPO_PASSWORD", help="Password or token (https).")
    ] = "",
    ssh_private_key_path: Annotated[
        Path | None, typer.Option("--ssh-private-key-path", help="File with an SSH private key.")
    ] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure-skip-server-verification", help="Skip TLS / host key checks.")
    ] = False,
    name: Annotated[str, typer.Option("--name", help="A display name.")] = "",
    project: Annotated[str, typer.Option("--project", help="Restrict to this AppProject.")] = "",
    credential_template: Annotated[
        bool, typer.Option("--creds-template", help="A repo-creds template for every URL under this prefix.")
    ] = False,
) -> None:
    """Register a repository (and its credentials) with the hub."""
    from fleetops.cli.apps.errors import CliError  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415

    async def work() -> None:
        key = ""
        if ssh_private_key_path is not None:
            try:
                key = ssh_private_key_path.read_text()
            except OSError as error:
                raise CliError(f"cannot read {ssh_private_key_path}: {error.strerror}", 2) from None
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            secret = repository_secret(
                url,
                hub.namespace,
                username=username,
                password=password,
                ssh_private_key=key,
                insecure=insecure,
                name=name,
                project=project,
                credential_template=credential_template,
            )
            await hub.apply(secret)
        console().print(f"repository {url} added", markup=False)

    run(work())


@app.command("list")
def list_repos(
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    output: options.Output = "table",
) -> None:
    """List repositories: type, name, URL, whether TLS is skipped and credentials are set
    (never the credentials themselves)."""
    from rich.table import Table  # noqa: PLC0415

    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.cli.apps.views import dump  # noqa: PLC0415
    from fleetops.core.source import credentials_from_secret  # noqa: PLC0415

    async def work() -> None:
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            secrets = [*await hub.secrets("repository"), *await hub.secrets("repo-creds")]
        rows = []
        for secret in secrets:
            found = credentials_from_secret(secret)
            if found is None:
                continue
            rows.append(
                {
                    "type": found.type,
                    "name": found.name,
                    "repo": found.url,
                    "kind": found.kind,
                    "insecure": found.insecure,
                    "username": found.username,
                    "creds": found.has_credentials,
                    "project": found.project,
                }
            )
        out = console()
        if output in ("json", "yaml"):
            out.print(dump(rows, output), markup=False, end="")
            return
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        for column in ("TYPE", "NAME", "REPO", "KIND", "INSECURE", "CREDS", "PROJECT"):
            table.add_column(column, no_wrap=True)
        for row in rows:
            table.add_row(
                str(row["type"]),
                str(row["name"]),
                str(row["repo"]),
                str(row["kind"]),
                str(row["insecure"]).lower(),
                str(row["creds"]).lower(),
                str(row["project"]),
            )
        out.print(table)

    run(work())
