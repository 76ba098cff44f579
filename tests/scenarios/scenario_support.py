"""The scenario harness: start the hub, drive kubectl, wait for causes, read kubesim's write log."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from tests.support.gitserver import BareRepo, GitServer
from tests.support.shared import SHARED_DIR

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import NotFound
from fleetops.server.hub import Hub
from fleetops.server.wiring import HubConfig

SEED_DIR = SHARED_DIR / "seed" / "examples"
SEED_URL = "https://github.com/org/gitops-config"
PRIVATE_URL = "https://github.com/org/private-config"
"""Served by a Git server that requires basic auth as `fleetops` / `s3cret-password`."""
DEADLINE = 60.0

APPLICATION = GroupVersionKind("argoproj.io", "v1alpha1", "Application")
DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")
SECRET = GroupVersionKind("", "v1", "Secret")
EVENT = GroupVersionKind("", "v1", "Event")


def seed_repository_files() -> dict[str, str]:
    """The seed's Kustomize base and overlays, laid out as apps/payment-service/{base,overlays}."""
    files: dict[str, str] = {}
    root = SEED_DIR / "kustomize"
    for path in sorted(root.rglob("*")):
        if path.is_file():
            files[f"apps/payment-service/{path.relative_to(root)}"] = path.read_text()
    return files


def cluster_config(fleet: Fleet, name: str) -> ClusterConfig:
    sim = fleet[name]
    return ClusterConfig(server=sim.url, name=name, ca_pem=sim.ca_pem, token=sim.token)


def kubectl_path() -> Path:
    return (
        Path(os.environ.get("VIRTUAL_ENV", "")) / "bin" / "kubectl"
        if os.environ.get("VIRTUAL_ENV")
        else (Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kubectl")
    )


class Scenario:
    def __init__(
        self,
        fleet: Fleet,
        git: GitServer,
        repo: BareRepo,
        tmp_path: Path,
        *,
        webhook_secret: str,
        private_git: GitServer | None = None,
    ) -> None:
        self.fleet = fleet
        self.git = git
        self.repo = repo
        self.tmp_path = tmp_path
        self.webhook_secret = webhook_secret
        self.private_git = private_git
        self.kubeconfig = tmp_path / "kubeconfig"
        write_kubeconfig(self.kubeconfig, [fleet["hub"], fleet["spoke"]], current="hub")
        self.hub_process: Hub | None = None
        self.clients: dict[str, HttpKubeClient] = {}

    async def start(self, *, url_rewrites: dict[str, str], poll_interval: float | None = None) -> None:
        for name in ("hub", "spoke"):
            self.clients[name] = HttpKubeClient(cluster_config(self.fleet, name))
        config = HubConfig(
            cluster=cluster_config(self.fleet, "hub"),
            git_cache_dir=self.tmp_path / "git-cache",
            url_rewrites=url_rewrites,
            webhook_secrets=(self.webhook_secret,),
            port=0,
            poll_interval=poll_interval,
            workers=4,
        )
        self.hub_process = Hub(config)
        await self.hub_process.start()

    async def stop(self) -> None:
        if self.hub_process is not None:
            await self.hub_process.stop()
        for client in self.clients.values():
            await client.close()

    @property
    def private_repo(self) -> BareRepo:
        assert self.private_git is not None
        return self.private_git.create_repo("private-config")

    @property
    def hub(self) -> HttpKubeClient:
        return self.clients["hub"]

    @property
    def spoke(self) -> HttpKubeClient:
        return self.clients["spoke"]

    @property
    def url(self) -> str:
        assert self.hub_process is not None
        return f"http://127.0.0.1:{self.hub_process.port}"

    @property
    def triggers(self) -> list[tuple[tuple[str, str], str]]:
        assert self.hub_process is not None and self.hub_process.controller is not None
        return list(self.hub_process.controller.trigger_log)

    # -- kubectl ----------------------------------------------------------------------------

    async def kubectl(self, *args: str, stdin: str | None = None, check: bool = True) -> str:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.tmp_path),
            "KUBECONFIG": str(self.kubeconfig),
        }
        process = await asyncio.create_subprocess_exec(
            str(kubectl_path()),
            *args,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(stdin.encode() if stdin else None), 120)
        if check:
            assert process.returncode == 0, f"kubectl {' '.join(args)}: {err.decode()}"
        return out.decode()

    # -- the cluster's view -------------------------------------------------------------------

    async def app(self, name: str) -> dict[str, Any]:
        return await self.hub.get(APPLICATION, name, "fleetops")

    async def get(
        self, cluster: str, gvk: GroupVersionKind, name: str, namespace: str | None
    ) -> dict[str, Any] | None:
        try:
            return await self.clients[cluster].get(gvk, name, namespace)
        except NotFound:
            return None

    async def writes(self, cluster: str) -> list[dict[str, Any]]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{self.fleet.control.url}/clusters/{cluster}/writes") as response,
        ):
            assert response.status == 200
            body = await response.json()
            return list(body["writes"])

    async def events(self, name: str) -> list[dict[str, Any]]:
        listed = await self.hub.list(EVENT, "fleetops")
        return [e for e in listed.items if e.get("involvedObject", {}).get("name") == name]

    async def register_spoke(self, *, server: str | None = None, name: str = "spoke") -> str:
        """An Argo CD cluster Secret for the spoke (or for `server`); returns the server URL."""
        sim = self.fleet["spoke"]
        url = server or sim.url
        config = {
            "bearerToken": sim.token,
            "tlsClientConfig": {"caData": base64.b64encode(sim.ca_pem).decode()},
        }
        await self.hub.create(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {
                    "name": f"cluster-{name}",
                    "namespace": "fleetops",
                    "labels": {"argocd.argoproj.io/secret-type": "cluster"},
                },
                "stringData": {"name": name, "server": url, "config": json.dumps(config)},
            }
        )
        return url

    async def create_app(self, name: str, *, server: str, namespace: str, path: str, **policy: Any) -> None:
        await self.hub.create(application(name, server=server, namespace=namespace, path=path, **policy))

    # -- webhooks ----------------------------------------------------------------------------

    async def github_push(self, after: str, *, secret: str | None) -> aiohttp.ClientResponse:
        payload = {
            "ref": "refs/heads/main",
            "before": "0" * 40,
            "after": after,
            "repository": {
                "html_url": SEED_URL,
                "clone_url": SEED_URL + ".git",
                "full_name": "org/gitops-config",
            },
            "commits": [{"id": after, "added": [], "removed": [], "modified": []}],
        }
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "X-GitHub-Event": "push", "X-GitHub-Delivery": "1"}
        if secret is not None:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature-256"] = f"sha256={digest}"
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.url}/api/webhook", data=body, headers=headers) as response,
        ):
            await response.read()
            return response


def application(name: str, *, server: str, namespace: str, path: str, **policy: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "project": "default",
            "source": {"repoURL": SEED_URL, "targetRevision": "main", "path": path},
            "destination": {"server": server, "namespace": namespace},
            "syncPolicy": {"syncOptions": ["CreateNamespace=true"], **policy},
        },
    }


async def eventually(check: Callable[[], Awaitable[bool]], what: str, deadline: float = DEADLINE) -> None:
    """Wait until `check()` holds (a generous deadline: never a timing assertion)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not await check():
        if loop.time() > end:
            pytest.fail(f"not within {deadline:g}s: {what}")
        await asyncio.sleep(0.05)


PROBE_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  color: {color}\n"
"""The isolation scenarios' probe: a ConfigMap whose `color` a commit changes."""


async def probe_color(client: HttpKubeClient, namespace: str) -> str:
    """The `color` of the probe ConfigMap in `namespace` ("" while there is none)."""
    try:
        found = await client.get(CONFIGMAP, "probe", namespace)
    except NotFound:
        return ""
    return str((found.get("data") or {}).get("color", ""))


async def set_faults(fleet: Fleet, cluster: str, faults: dict[str, str] | None) -> None:
    """Set (or, with None, clear) a kubesim cluster's faults through the control endpoint."""
    url = f"{fleet.control.url}/clusters/{cluster}/faults"
    async with aiohttp.ClientSession() as session:
        request = session.delete(url) if faults is None else session.patch(url, json=faults)
        async with request as response:
            assert response.status == 200, await response.text()


def probe_hub(
    git_server: GitServer, fleet: Fleet, tmp_path: Path, *, request_timeout: float
) -> tuple[BareRepo, HubConfig]:
    """A repository whose `probe/` holds the probe ConfigMap (color blue), and the configuration
    of an in-process hub on `fleet`'s `hub` cluster reading it under the seed's URL: polling off,
    4 workers, spoke requests timing out after `request_timeout` seconds."""
    repo = git_server.create_repo("gitops-config")
    repo.commit(
        {
            "probe/kustomization.yaml": "resources:\n- cm.yaml\n",
            "probe/cm.yaml": PROBE_CM.format(color="blue"),
        }
    )
    config = HubConfig(
        cluster=cluster_config(fleet, "hub"),
        git_cache_dir=tmp_path / "git-cache",
        url_rewrites={SEED_URL: git_server.url_for("gitops-config")},
        port=0,
        poll_interval=None,
        workers=4,
        cluster_request_timeout=request_timeout,
    )
    return repo, config


async def register_clusters(hub: HttpKubeClient, fleet: Fleet, names: list[str]) -> None:
    """Create the Argo CD cluster Secret of each named kubesim cluster in the hub's `fleetops`."""
    for name in names:
        sim = fleet[name]
        await hub.create(
            cluster_secret(
                name=name, server=sim.url, namespace="fleetops", token=sim.token, ca_pem=sim.ca_pem
            )
        )
