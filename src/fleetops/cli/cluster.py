"""`fleetops cluster add | list`: destination clusters registered as Argo CD cluster Secrets in
the control-plane namespace. `add` creates a ServiceAccount with cluster-admin rights in the
target (`kube-system/fleetops-manager`, like `argocd cluster add`'s `argocd-manager`) and stores a
token requested for it; `--kubeconfig-credentials` stores the context's own credentials instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from fleetops.cli.apps import options
from fleetops.cli.apps.errors import CliError

if TYPE_CHECKING:
    from fleetops.adapters.kube import ClusterConfig, HttpKubeClient

__all__ = ["app"]

app = typer.Typer(name="cluster", help="Destination clusters (Argo CD cluster Secrets).")

MANAGER = "fleetops-manager"
MANAGER_NAMESPACE = "kube-system"
TOKEN_SECONDS = 10 * 365 * 24 * 3600


@app.command("add")
def add(
    target_context: Annotated[
        str, typer.Argument(metavar="CONTEXT", help="The cluster's kubeconfig context.")
    ],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    name: Annotated[str, typer.Option("--name", help="Cluster name (default: the context's).")] = "",
    label: Annotated[list[str] | None, typer.Option("--label", help="KEY=VALUE (repeatable).")] = None,
    kubeconfig_credentials: Annotated[
        bool,
        typer.Option("--kubeconfig-credentials", help="Store the context's credentials; no ServiceAccount."),
    ] = False,
) -> None:
    """Register the cluster of kubeconfig context CONTEXT with the hub."""
    from fleetops.adapters.kube import HttpKubeClient  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.options import HubTarget  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.embedded.cluster_secrets import cluster_secret  # noqa: PLC0415

    async def work() -> None:
        labels: dict[str, str] = {}
        for item in label or ():
            label_key, separator, value = item.partition("=")
            if not separator or not label_key:
                raise CliError(f"a label is KEY=VALUE, not {item!r}", 2)
            labels[label_key] = value
        spoke, _ = HubTarget(options.target(kubeconfig, None, None).kubeconfig, target_context).resolve()
        out = console()
        async with HttpKubeClient(spoke) as client:
            if kubeconfig_credentials:
                token = spoke.token
                cert, key = spoke.client_cert_pem, spoke.client_key_pem
            else:
                token = await _service_account_token(client)
                cert, key = None, None
                out.print(
                    f"ServiceAccount {MANAGER_NAMESPACE}/{MANAGER} ready in {target_context}", markup=False
                )
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            secret_obj = cluster_secret(
                name=name or target_context,
                server=spoke.server,
                namespace=hub.namespace,
                token=token,
                ca_pem=spoke.ca_pem,
                cert_pem=cert,
                key_pem=key,
                insecure=spoke.insecure_skip_tls_verify,
                labels=labels,
            )
            await hub.apply(secret_obj)
        out.print(f"cluster {spoke.server} added as {name or target_context}", markup=False)

    run(work())


async def _service_account_token(client: HttpKubeClient) -> str:
    """Create (or update) the manager ServiceAccount, its ClusterRole and binding; a new token."""
    from fleetops.adapters.kube.paths import resource_path  # noqa: PLC0415
    from fleetops.model import GroupVersionKind  # noqa: PLC0415

    role = f"{MANAGER}-role"
    objects: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": MANAGER, "namespace": MANAGER_NAMESPACE},
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": role},
            "rules": [
                {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                {"nonResourceURLs": ["*"], "verbs": ["*"]},
            ],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": f"{role}-binding"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": [{"kind": "ServiceAccount", "name": MANAGER, "namespace": MANAGER_NAMESPACE}],
        },
    ]
    for obj in objects:
        await client.apply(obj, field_manager="fleetops-cli", force=True)
    info = await client.resource_for(GroupVersionKind("", "v1", "ServiceAccount"))
    request = {
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenRequest",
        "metadata": {"name": MANAGER, "namespace": MANAGER_NAMESPACE},
        "spec": {"expirationSeconds": TOKEN_SECONDS},
    }
    path = resource_path(info, MANAGER_NAMESPACE, MANAGER, "token")
    answer = await client.transport.request("POST", path, body=request) or {}
    token = str((answer.get("status") or {}).get("token") or "")
    if not token:
        raise CliError("the cluster returned no token for the ServiceAccount")
    return token


@app.command("list")
def list_clusters(
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    output: options.Output = "table",
) -> None:
    """List clusters: server, name, version, connection status, labels (never credentials)."""
    import asyncio  # noqa: PLC0415

    from rich.table import Table  # noqa: PLC0415

    from fleetops.adapters.kube import ClusterSecretError, config_from_cluster_secret  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.cli.apps.views import dump  # noqa: PLC0415

    async def probe(config: ClusterConfig) -> tuple[str, str, str]:
        from fleetops.adapters.kube import HttpKubeClient  # noqa: PLC0415
        from fleetops.ports.kube import KubeError  # noqa: PLC0415

        try:
            async with HttpKubeClient(config) as client, asyncio.timeout(10):
                version = await client.server_version()
            return str(version.git_version or f"{version.major}.{version.minor}"), "Successful", ""
        except (KubeError, TimeoutError) as error:
            return "", "Failed", str(error) or "timed out"

    async def work() -> None:
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            secrets = await hub.secrets("cluster")
            rows: list[dict[str, Any]] = []
            configs: list[ClusterConfig] = [hub.client.config]
            rows.append({"server": "https://kubernetes.default.svc", "name": "in-cluster", "labels": {}})
            for secret in secrets:
                labels = {
                    k: v
                    for k, v in (secret.get("metadata", {}).get("labels") or {}).items()
                    if k != "argocd.argoproj.io/secret-type"
                }
                try:
                    config = config_from_cluster_secret(secret)
                except ClusterSecretError as error:
                    rows.append({"server": "", "name": secret["metadata"]["name"], "labels": labels,
                                 "status": "Failed", "message": str(error)})  # fmt: skip
                    continue
                configs.append(config)
                rows.append({"server": config.server, "name": config.name, "labels": labels})
            probed = await asyncio.gather(*(probe(c) for c in configs))
        for row, (version, status, message) in zip(
            (r for r in rows if "status" not in r), probed, strict=False
        ):
            row.update(version=version, status=status, message=message)
        out = console()
        if output in ("json", "yaml"):
            out.print(dump(rows, output), markup=False, end="")
            return
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        for column in ("SERVER", "NAME", "VERSION", "STATUS", "MESSAGE", "LABELS"):
            table.add_column(column, no_wrap=True)
        for row in rows:
            shown = ",".join(f"{k}={v}" for k, v in sorted(row["labels"].items()))
            table.add_row(
                row["server"], row["name"], row.get("version", ""), row.get("status", ""),
                row.get("message", ""), shown,
            )  # fmt: skip
        out.print(table)

    run(work())
