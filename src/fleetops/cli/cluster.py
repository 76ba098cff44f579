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
    """List clusters: server, name, version, connection status, cached resources, applications,
    the controller replica (shard) that owns it, labels (never credentials).

    Status, version and resources come from the controller (its `fleetops-cluster-info-*`
    ConfigMaps); for a cluster no controller has connected to yet they are probed from here."""
    import asyncio  # noqa: PLC0415

    from rich.table import Table  # noqa: PLC0415

    from fleetops.adapters.kube import ClusterSecretError, config_from_cluster_secret  # noqa: PLC0415
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.cli.apps.views import dump  # noqa: PLC0415
    from fleetops.core.app import IN_CLUSTER_NAME, IN_CLUSTER_SERVER  # noqa: PLC0415

    async def probe(config: ClusterConfig) -> dict[str, Any]:
        from fleetops.adapters.kube import HttpKubeClient  # noqa: PLC0415
        from fleetops.ports.kube import KubeError  # noqa: PLC0415

        try:
            async with HttpKubeClient(config) as client, asyncio.timeout(10):
                version = await client.server_version()
            return {"version": str(version.git_version or f"{version.major}.{version.minor}"),
                    "status": "Successful", "message": ""}  # fmt: skip
        except (KubeError, TimeoutError) as error:
            return {"version": "", "status": "Failed", "message": str(error) or "timed out"}

    async def work() -> None:
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            secrets = await hub.secrets("cluster")
            facts = await _controller_facts(hub)
            apps = await hub.apps()
            rows: list[dict[str, Any]] = []
            configs: dict[str, ClusterConfig] = {IN_CLUSTER_SERVER: hub.client.config}
            rows.append({"server": IN_CLUSTER_SERVER, "name": IN_CLUSTER_NAME, "labels": {}})
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
                server = config.server.rstrip("/")
                configs[server] = config
                rows.append({"server": server, "name": config.name, "labels": labels})
            unknown = [row for row in rows if row["server"] and row["server"] not in facts.info]
            probed = await asyncio.gather(*(probe(configs[row["server"]]) for row in unknown))
        for row, found in zip(unknown, probed, strict=True):
            row.update(found)
        for row in rows:
            info = facts.info.get(row["server"], {})
            if info:
                row.update(
                    version=str(info.get("serverVersion", "")),
                    status=str(info.get("connectionState", "")),
                    message=str(info.get("message", "")),
                    resources=info.get("resources"),
                )
            row.setdefault("resources", None)  # not known until a controller has connected
            row["applications"] = _count_apps(apps, row["server"], row["name"])
            row["shard"] = facts.holders.get(row["server"], "") or str(info.get("shard", ""))
        out = console()
        if output in ("json", "yaml"):
            out.print(dump(rows, output), markup=False, end="")
            return
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        columns = ("SERVER", "NAME", "VERSION", "STATUS", "RESOURCES", "APPS", "SHARD", "MESSAGE", "LABELS")
        for column in columns:
            table.add_column(column, no_wrap=True)
        for row in rows:
            shown = ",".join(f"{k}={v}" for k, v in sorted(row["labels"].items()))
            resources = row.get("resources")
            table.add_row(
                row["server"], row["name"], row.get("version", ""), row.get("status", ""),
                "" if resources is None else str(resources), str(row["applications"]), row["shard"],
                row.get("message", ""), shown,
            )  # fmt: skip
        out.print(table)

    run(work())


class _Facts:
    """What the controllers published: cluster info by server, Lease holders by server."""

    def __init__(self) -> None:
        self.info: dict[str, dict[str, Any]] = {}
        self.holders: dict[str, str] = {}


async def _controller_facts(hub: Any) -> _Facts:
    import datetime  # noqa: PLC0415

    from fleetops.controller.cluster_info import INFO_LABEL, parse_info  # noqa: PLC0415
    from fleetops.controller.leases import LEASE, ROLE_LABEL, LeaseRecord  # noqa: PLC0415
    from fleetops.model import GroupVersionKind  # noqa: PLC0415

    facts = _Facts()
    now = datetime.datetime.now(datetime.UTC)
    leases = await hub.client.list(LEASE, hub.namespace, label_selector=f"{ROLE_LABEL}=cluster")
    for lease in leases.items:
        record = LeaseRecord.parse(lease)
        try:
            renewed = datetime.datetime.fromisoformat(record.renew_time.replace("Z", "+00:00"))
        except ValueError:
            continue
        # Display only: the wall clock is good enough to hide a holder long gone.
        if record.holder and (now - renewed).total_seconds() < record.duration:
            facts.holders[record.server] = record.holder
    configmaps = await hub.client.list(
        GroupVersionKind("", "v1", "ConfigMap"), hub.namespace, label_selector=INFO_LABEL
    )
    candidates: dict[str, list[dict[str, Any]]] = {}
    for configmap in configmaps.items:
        for value in (configmap.get("data") or {}).values():
            info = parse_info(str(value))
            if info.get("server"):
                candidates.setdefault(str(info["server"]), []).append(info)
    for server, infos in candidates.items():
        holder = facts.holders.get(server)
        preferred = [info for info in infos if info.get("shard") == holder] or infos
        facts.info[server] = max(preferred, key=lambda info: str(info.get("updated", "")))
    return facts


def _count_apps(apps: list[dict[str, Any]], server: str, name: str) -> int:
    count = 0
    for application in apps:
        destination = (application.get("spec") or {}).get("destination") or {}
        if (server and str(destination.get("server", "")).rstrip("/") == server) or (
            name and not destination.get("server") and destination.get("name") == name
        ):
            count += 1
    return count


async def _find_secret(hub: Any, cluster: str) -> dict[str, Any]:
    """The cluster Secret whose server URL or name is `cluster`."""
    from fleetops.controller.clusters import secret_field  # noqa: PLC0415

    for secret in await hub.secrets("cluster"):
        server, name = secret_field(secret, "server").rstrip("/"), secret_field(secret, "name")
        if cluster.rstrip("/") in (server, name):
            return dict(secret)
    raise CliError(f"no cluster with server URL or name {cluster!r}")


def _label_patch(changes: list[str]) -> dict[str, str | None]:
    """`kubectl label` syntax: KEY=VALUE sets, KEY- removes (a merge patch of the labels)."""
    patch: dict[str, str | None] = {}
    for change in changes:
        key, separator, value = change.partition("=")
        if separator and key:
            patch[key] = value
        elif not separator and change.endswith("-") and len(change) > 1:
            patch[change[:-1]] = None
        else:
            raise CliError(f"a label change is KEY=VALUE or KEY-, not {change!r}", 2)
    if "argocd.argoproj.io/secret-type" in patch:
        raise CliError(
            "the label argocd.argoproj.io/secret-type marks the Secret as a cluster: not changed", 2
        )
    return patch


@app.command("set-labels")
def set_labels(
    cluster: Annotated[str, typer.Argument(metavar="SERVER/NAME", help="The cluster's server URL or name.")],
    changes: Annotated[list[str], typer.Argument(metavar="KEY=VALUE|KEY-", help="Labels to set or remove.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
) -> None:
    """Set (KEY=VALUE) or remove (KEY-) labels of a cluster Secret, as `kubectl label` does.
    ApplicationSet cluster generators see the change at once (the Secret's watch event)."""
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.model import GroupVersionKind  # noqa: PLC0415

    async def work() -> None:
        patch = _label_patch(changes)
        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            secret = await _find_secret(hub, cluster)
            await hub.client.patch(
                GroupVersionKind("", "v1", "Secret"),
                secret["metadata"]["name"],
                {"metadata": {"labels": patch}},
                hub.namespace,
                field_manager="fleetops-cli",
            )
        console().print(f"cluster {cluster} labels updated", markup=False)

    run(work())


@app.command("rm")
def remove(
    cluster: Annotated[str, typer.Argument(metavar="SERVER/NAME", help="The cluster's server URL or name.")],
    *,
    kubeconfig: options.Kubeconfig = None,
    context: options.Context = None,
    namespace: options.Namespace = None,
    force: Annotated[
        bool, typer.Option("--force", help="Remove it even though applications still target it.")
    ] = False,
) -> None:
    """Remove a cluster: delete its cluster Secret (as `argocd cluster rm`). Applications that
    still target it are not deleted and nothing is removed from the cluster: they go to sync and
    health Unknown with a "no clusters with this URL or name" condition. Refused while
    applications target it, unless --force."""
    from fleetops.cli.apps.hub import Hub  # noqa: PLC0415
    from fleetops.cli.apps.runner import console, run  # noqa: PLC0415
    from fleetops.core.app import IN_CLUSTER_NAME, IN_CLUSTER_SERVER  # noqa: PLC0415
    from fleetops.model import GroupVersionKind  # noqa: PLC0415

    async def work() -> None:
        from fleetops.adapters.kube import config_from_cluster_secret  # noqa: PLC0415

        if cluster in (IN_CLUSTER_NAME, IN_CLUSTER_SERVER):
            raise CliError("the hub's own cluster (in-cluster) cannot be removed", 2)

        async with Hub.open(options.target(kubeconfig, context, namespace)) as hub:
            secret = await _find_secret(hub, cluster)
            config = config_from_cluster_secret(secret)
            targeting = [
                str(a["metadata"]["name"])
                for a in await hub.apps()
                if _count_apps([a], config.server.rstrip("/"), config.name)
            ]
            if targeting and not force:
                raise CliError(
                    f"applications still target cluster {cluster}: {', '.join(sorted(targeting))} "
                    "(--force removes it anyway; they will show sync and health Unknown)"
                )
            await hub.client.delete(
                GroupVersionKind("", "v1", "Secret"), secret["metadata"]["name"], hub.namespace
            )
        out = console()
        out.print(f"cluster {cluster} removed", markup=False)
        if targeting:
            out.print(
                f"{len(targeting)} application(s) still target it and will show Unknown: "
                + ", ".join(sorted(targeting)),
                markup=False,
            )

    run(work())
