"""A fleet of kubesim clusters driven by ApplicationSets: CLUSTERS spokes (default 50) x APPSETS
applications each (default 20), one hub, the controller as its own process (`fleetops
controller`, as in production), so its CPU and RSS are its own.

kubesim (the hub and every spoke; workloads on, Events off, pods start in 50 ms) runs on a
background thread of this process; the Git repository is on disk, reached through URL rewriting
(file://); polling is off, refreshes come from a signed GitHub push webhook. The repository:

    base/          kustomization, a ConfigMap `settings` and a one-replica Deployment reading it
    apps/app-NN/   kustomization: resources ../../base, commonLabels app: app-NN

and the hub holds one Argo CD cluster Secret per spoke (label `fleet: bench`). APPSETS
ApplicationSets `app-NN`, each a clusters generator over `fleet: bench` with the template
`{{name}}-app-NN` -> `apps/app-NN` on `{{server}}`, namespace `app-NN` (automated sync, prune,
selfHeal, CreateNamespace). We report, with 1 controller replica and — when `fleetops controller
--help` offers `--shards` — with 2 (`--shards auto`, each replica its own process):

- the time from creating the ApplicationSets to all CLUSTERS x APPSETS Applications Synced, and to
  all Synced and Healthy; the controllers' CPU seconds over that period and their RSS;
- steady state: CPU over IDLE_SECONDS idle seconds and RSS (VmRSS, and the peak VmHWM);
- a one-line change in the shared base (the ConfigMap's value), announced by the webhook: the time
  until every Application is Synced at the new revision, and then that every spoke serves the new
  value in all its application namespaces (read from the clusters).

Until the ApplicationSet controller exists (`fleetops.controller.appset_controller`), the
Applications are created by this script from `fleetops.core.appset.generate` over the same
ApplicationSets (it says so in its output); the ApplicationSets are created either way.

Sizes: `FLEETOPS_BENCH_CLUSTERS` / `FLEETOPS_BENCH_APPSETS`, or `--quick` (also
`FLEETOPS_BENCH_QUICK=1`): 10 x 5. `python -m bench.fleet_appsets [--quick]` runs it alone.
Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import importlib.util
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.drift_heal import LocalRepo, quiet_fleet, sim_config, wait_for
from fleetops.adapters.kube import HttpKubeClient
from fleetops.core import appset
from fleetops.core.crds import all_crds
from fleetops.embedded.bootstrap import default_project
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import AlreadyExists, Gone, KubeError, UnknownKind


def _quick() -> bool:
    return "--quick" in sys.argv[1:] or os.environ.get("FLEETOPS_BENCH_QUICK") == "1"


CLUSTERS = 50
APPSETS = 20
IDLE_SECONDS = 30.0
SYNC_DEADLINE = 900.0
CHANGE_DEADLINE = 300.0
STALL_SECONDS = 10.0
NAMESPACE = "fleetops"
REPO_URL = "https://github.com/org/fleet-config"
SECRET = "bench-webhook"
SELECTOR = {"fleet": "bench"}
FLEETOPS = Path(sys.executable).parent / "fleetops"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
APPLICATION = GroupVersionKind("argoproj.io", "v1alpha1", "Application")
APPLICATIONSET = GroupVersionKind("argoproj.io", "v1alpha1", "ApplicationSet")
SECRET_GVK = GroupVersionKind("", "v1", "Secret")
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")


def _spoke(index: int) -> str:
    return f"spoke-{index:02d}"


def _app(index: int) -> str:
    return f"app-{index:02d}"


def _base(value: str) -> dict[str, str]:
    return {
        "base/kustomization.yaml": (
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            "resources:\n  - configmap.yaml\n  - deployment.yaml\n"
        ),
        "base/configmap.yaml": (
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: {value}\n"
        ),
        "base/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {component: web}
  template:
    metadata:
      labels: {component: web}
    spec:
      containers:
        - name: web
          image: nginx:1.25
          envFrom:
            - configMapRef: {name: settings}
""",
    }


def _files() -> dict[str, str]:
    files = _base("v1")
    for index in range(APPSETS):
        files[f"apps/{_app(index)}/kustomization.yaml"] = (
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            f"resources:\n  - ../../base\ncommonLabels:\n  app: {_app(index)}\n"
        )
    return files


def _applicationset(index: int) -> dict[str, Any]:
    name = _app(index)
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": name, "namespace": NAMESPACE},
        "spec": {
            "generators": [{"clusters": {"selector": {"matchLabels": dict(SELECTOR)}}}],
            "template": {
                "metadata": {"name": f"{{{{name}}}}-{name}"},
                "spec": {
                    "project": "default",
                    "source": {"repoURL": REPO_URL, "targetRevision": "main", "path": f"apps/{name}"},
                    "destination": {"server": "{{server}}", "namespace": name},
                    "syncPolicy": {
                        "automated": {"prune": True, "selfHeal": True},
                        "syncOptions": ["CreateNamespace=true"],
                    },
                },
            },
        },
    }


def appset_controller_available() -> bool:
    try:
        return importlib.util.find_spec("fleetops.controller.appset_controller") is not None
    except ModuleNotFoundError:
        return False


def shards_available() -> bool:
    help_text = subprocess.run(
        [str(FLEETOPS), "controller", "--help"], capture_output=True, text=True, check=False
    ).stdout
    return "--shards" in help_text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the controller processes ------------------------------------------------------------------


@dataclass
class Controller:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime

    def memory_kib(self) -> tuple[int, int]:
        status = dict(
            line.split(":", 1)
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
            if ":" in line
        )
        return int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])


def start_controllers(root: Path, kubeconfig: Path, repo: LocalRepo, replicas: int) -> list[Controller]:
    controllers = []
    for replica in range(replicas):
        port = _free_port()
        command = [
            str(FLEETOPS),
            "controller",
            "--kubeconfig",
            str(kubeconfig),
            "--context",
            "hub",
            "--namespace",
            NAMESPACE,
            "--port",
            str(port),
            "--poll-interval",
            "0",
            "--webhook-secret",
            SECRET,
            "--rewrite",
            f"{REPO_URL}={repo.url}",
            "--git-cache-dir",
            str(root / f"git-cache-{replica}"),
            "--shard",
            f"bench-{replica}",
        ]
        if replicas > 1:
            command += ["--shards", "auto"]
        log = root / f"controller-{replica}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        controllers.append(Controller(process, port, log))
    return controllers


async def wait_healthy(controllers: list[Controller]) -> None:
    async def up(controller: Controller) -> bool:
        if controller.process.poll() is not None:
            raise RuntimeError(f"the controller exited: {controller.log.read_text()[-2000:]}")
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"http://127.0.0.1:{controller.port}/healthz") as answer,
            ):
                return answer.status == 200
        except aiohttp.ClientError:
            return False

    for controller in controllers:
        if not await wait_for(lambda c=controller: up(c), 120, step=0.2):  # type: ignore[misc]
            raise RuntimeError(f"the controller on port {controller.port} did not become healthy")


def stop_controllers(controllers: list[Controller]) -> None:
    for controller in controllers:
        if controller.process.poll() is None:
            controller.process.send_signal(signal.SIGTERM)
    for controller in controllers:
        try:
            controller.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            controller.process.kill()
            controller.process.wait()


# -- the hub -----------------------------------------------------------------------------------


async def _create(client: HttpKubeClient, obj: Mapping[str, Any]) -> None:
    for _ in range(300):
        try:
            with contextlib.suppress(AlreadyExists):
                await client.create(dict(obj), field_manager="bench")
            return
        except UnknownKind:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"cannot create {obj.get('kind')}")


async def prepare_hub(fleet: Fleet, spokes: list[str]) -> None:
    async with HttpKubeClient(sim_config(fleet, "hub")) as client:
        await client.apply(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}},
            field_manager="bench",
            force=True,
        )
        for crd in all_crds():
            await client.apply(dict(crd), field_manager="bench", force=True)
        await _create(client, default_project(NAMESPACE))
        for name in spokes:
            sim = fleet[name]
            secret = cluster_secret(
                name=name,
                server=sim.url,
                namespace=NAMESPACE,
                token=sim.token,
                ca_pem=sim.ca_pem or None,
                labels={**SELECTOR, "index": name.rsplit("-", 1)[1]},
            )
            await client.apply(secret, field_manager="bench", force=True)


@dataclass
class Statuses:
    """Every Application's (sync status, health, revision), kept by a watch on the hub. When the
    figures stall for STALL_SECONDS before the goal, the watcher re-lists (a dropped watch event
    would otherwise hold a wait until its deadline)."""

    apps: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    relist: asyncio.Event = field(default_factory=asyncio.Event)
    relists: int = 0
    _seen: tuple[int, ...] = ()
    _since: float = 0.0

    def record(self, app: Mapping[str, Any]) -> None:
        status = app.get("status") or {}
        sync = status.get("sync") or {}
        self.apps[str(app["metadata"]["name"])] = (
            str(sync.get("status") or ""),
            str((status.get("health") or {}).get("status") or ""),
            str(sync.get("revision") or ""),
        )

    def counts(self) -> tuple[int, int, int]:
        values = list(self.apps.values())
        synced = sum(1 for s, _, _ in values if s == "Synced")
        both = sum(1 for s, h, _ in values if s == "Synced" and h == "Healthy")
        return len(values), synced, both

    def at(self, revision: str) -> int:
        return sum(1 for s, _, r in self.apps.values() if s == "Synced" and r == revision)

    def stalled(self, figures: tuple[int, ...]) -> None:
        """Called by a wait that has not reached its goal: re-list when `figures` stood still."""
        now = time.monotonic()
        if figures != self._seen:
            self._seen, self._since = figures, now
        elif now - self._since > STALL_SECONDS:
            self._since = now
            self.relists += 1
            self.relist.set()


async def _follow(client: HttpKubeClient, statuses: Statuses, resource_version: str) -> None:
    async for event in client.watch(
        APPLICATION, NAMESPACE, resource_version=resource_version, timeout_seconds=300
    ):
        if event.type == "DELETED":
            statuses.apps.pop(str(event.object["metadata"]["name"]), None)
        elif event.type in {"ADDED", "MODIFIED"}:
            statuses.record(event.object)


async def watch_statuses(client: HttpKubeClient, statuses: Statuses) -> None:
    while True:
        try:
            listed = await client.list(APPLICATION, NAMESPACE)
            statuses.relist.clear()
            statuses.apps.clear()
            for app in listed.items:
                statuses.record(app)
            stream = asyncio.ensure_future(_follow(client, statuses, listed.resource_version))
            asked = asyncio.ensure_future(statuses.relist.wait())
            try:
                await asyncio.wait([stream, asked], return_when=asyncio.FIRST_COMPLETED)
            finally:
                stream.cancel()
                asked.cancel()
                await asyncio.gather(stream, asked, return_exceptions=True)
            if not stream.cancelled() and stream.exception() is not None:
                raise stream.exception()  # type: ignore[misc]
        except Gone:
            continue
        except KubeError:
            await asyncio.sleep(0.5)


async def create_appsets(client: HttpKubeClient, *, with_controller: bool) -> None:
    for index in range(APPSETS):
        await _create(client, _applicationset(index))
    if with_controller:
        return
    secrets = (
        await client.list(SECRET_GVK, NAMESPACE, label_selector="argocd.argoproj.io/secret-type=cluster")
    ).items
    inputs = appset.GenerationInputs(cluster_secrets=secrets, include_in_cluster=False)
    for index in range(APPSETS):
        for app in appset.generate(_applicationset(index), inputs):
            await client.create(app, field_manager="bench")


async def announce(controllers: list[Controller], after: str) -> list[int]:
    payload = {
        "ref": "refs/heads/main",
        "before": "0" * 40,
        "after": after,
        "repository": {"html_url": REPO_URL, "clone_url": REPO_URL + ".git", "full_name": "org/fleet-config"},
        "commits": [{"id": after, "added": [], "removed": [], "modified": ["base/configmap.yaml"]}],
    }
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": "bench",
        "X-Hub-Signature-256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
    }
    answers = []
    async with aiohttp.ClientSession() as session:
        for controller in controllers:
            url = f"http://127.0.0.1:{controller.port}/api/webhook"
            async with session.post(url, data=body, headers=headers) as answer:
                answers.append(answer.status)
    return answers


async def _explain_laggards(hub: HttpKubeClient, sha: str, most: int = 5) -> None:
    """What the applications not Synced at `sha` report (read fresh from the hub)."""
    laggards = [
        app
        for app in (await hub.list(APPLICATION, NAMESPACE)).items
        if ((app.get("status") or {}).get("sync") or {}).get("revision") != sha
        or ((app.get("status") or {}).get("sync") or {}).get("status") != "Synced"
    ]
    print(f"  {len(laggards)} application(s) not Synced at {sha[:12]} (read from the hub):")
    for app in laggards[:most]:
        status = app.get("status") or {}
        operation = status.get("operationState") or {}
        print(
            f"    {app['metadata']['name']}: sync {status.get('sync')}, health {status.get('health')}, "
            f"operation {operation.get('phase')} {str(operation.get('message'))[:200]!r}, "
            f"conditions {status.get('conditions')}, reconciledAt {status.get('reconciledAt')}"
        )


async def live_values(fleet: Fleet, spokes: list[str]) -> dict[str, int]:
    """Spoke -> how many application namespaces serve `settings` with value v2."""
    found: dict[str, int] = {}
    for name in spokes:
        async with HttpKubeClient(sim_config(fleet, name)) as client:
            items = (await client.list(CONFIGMAP)).items
        found[name] = sum(
            1
            for item in items
            if item["metadata"]["name"] == "settings" and (item.get("data") or {}).get("value") == "v2"
        )
    return found


# -- one run -----------------------------------------------------------------------------------


@dataclass
class Result:
    replicas: int
    synced_s: float | None = None
    healthy_s: float | None = None
    sync_cpu_s: float = 0.0
    idle_cpu_s: float = 0.0
    rss_kib: list[int] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    change_s: float | None = None
    change_live: int = 0
    change_cpu_s: float = 0.0


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _seconds(value: float | None, otherwise: str, digits: int = 1) -> str:
    return otherwise if value is None else f"{value:.{digits}f} s"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


async def run_once(replicas: int, root: Path, fleet: Fleet, spokes: list[str], repo: LocalRepo) -> Result:
    result = Result(replicas)
    total = CLUSTERS * APPSETS
    kubeconfig = root / "kubeconfig"
    write_kubeconfig(kubeconfig, [fleet["hub"]], current="hub")
    await prepare_hub(fleet, spokes)
    controllers = start_controllers(root, kubeconfig, repo, replicas)
    statuses = Statuses()
    async with HttpKubeClient(sim_config(fleet, "hub")) as hub:
        watcher = asyncio.ensure_future(watch_statuses(hub, statuses))
        try:
            await wait_healthy(controllers)
            with_controller = appset_controller_available()
            cpu_before = sum(c.cpu() for c in controllers)
            own_before = _own_cpu()
            started = time.monotonic()
            await create_appsets(hub, with_controller=with_controller)
            how = "by the ApplicationSet controller" if with_controller else "by this script (no controller)"
            print(
                f"[{replicas} replica(s)] created {APPSETS} ApplicationSets in "
                f"{time.monotonic() - started:.1f} s; Applications generated {how}"
            )
            last = time.monotonic()

            def progress() -> bool:
                nonlocal last
                count, synced, both = statuses.counts()
                if result.synced_s is None and count == total and synced == total:
                    result.synced_s = time.monotonic() - started
                if time.monotonic() - last > 30:
                    last = time.monotonic()
                    print(
                        f"  ... {time.monotonic() - started:.0f} s: {count} apps, {synced} Synced, "
                        f"{both} Healthy"
                    )
                for controller in controllers:
                    if controller.process.poll() is not None:
                        raise RuntimeError(f"a controller exited: {controller.log.read_text()[-2000:]}")
                done = count == total and both == total
                if not done:
                    statuses.stalled((count, synced, both))
                return done

            if await wait_for(progress, SYNC_DEADLINE, step=0.1):
                result.healthy_s = time.monotonic() - started
            result.sync_cpu_s = sum(c.cpu() for c in controllers) - cpu_before
            own = _own_cpu() - own_before
            count, synced, both = statuses.counts()
            print(
                f"  {count}/{total} Applications; all Synced after "
                f"{_seconds(result.synced_s, f'NOT ({synced} of {total})')}; all Synced and Healthy after "
                f"{_seconds(result.healthy_s, f'NOT ({both} of {total})')}; "
                f"controller CPU {result.sync_cpu_s:.1f} s over that time (this process, kubesim: "
                f"{own:.1f} s); the bench's watch re-listed {statuses.relists} time(s) after a "
                f"{STALL_SECONDS:g} s stall"
            )

            await asyncio.sleep(5)  # the last health checks settle
            cpu_before = sum(c.cpu() for c in controllers)
            await asyncio.sleep(IDLE_SECONDS)
            result.idle_cpu_s = sum(c.cpu() for c in controllers) - cpu_before
            memory = [c.memory_kib() for c in controllers]
            result.rss_kib = [m[0] for m in memory]
            result.peak_kib = [m[1] for m in memory]
            print(
                f"  idle {IDLE_SECONDS:g} s: CPU {result.idle_cpu_s:.2f} s "
                f"({result.idle_cpu_s / IDLE_SECONDS * 100:.1f}% of one core); RSS "
                + ", ".join(f"{_mib(r)} (peak {_mib(p)})" for r, p in memory)
            )

            sha = repo.commit(_base("v2"), "base: settings value v2")
            cpu_before = sum(c.cpu() for c in controllers)
            pushed = time.monotonic()
            answers = await announce(controllers, sha)

            def changed() -> bool:
                done = statuses.at(sha) == total
                if not done:
                    statuses.stalled((statuses.at(sha),))
                return done

            if await wait_for(changed, CHANGE_DEADLINE, step=0.05):
                result.change_s = time.monotonic() - pushed
            result.change_cpu_s = sum(c.cpu() for c in controllers) - cpu_before
            if result.change_s is None:
                await _explain_laggards(hub, sha)
            live = await live_values(fleet, spokes)
            result.change_live = sum(1 for n in live.values() if n == APPSETS)
            took = _seconds(result.change_s, f"NOT ({statuses.at(sha)} of {total})", 2)
            print(
                f"  one-line change in base/configmap.yaml (webhook HTTP {answers}): all {total} Synced"
                f" at the new revision after {took}; {result.change_live}/{CLUSTERS} clusters serve the new"
                f" value in all {APPSETS} namespaces; controller CPU {result.change_cpu_s:.1f} s"
            )
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            stop_controllers(controllers)
    return result


def _one(replicas: int) -> Result:
    spokes = [_spoke(i) for i in range(CLUSTERS)]
    with tempfile.TemporaryDirectory(prefix="fleetops-bench-appsets-") as tmp:
        root = Path(tmp)
        repo = LocalRepo(root / "fleet-config.git")
        repo.commit(_files(), f"{APPSETS} applications over a shared base")
        with quiet_fleet(["hub", *spokes]) as fleet:
            return asyncio.run(asyncio.wait_for(run_once(replicas, root, fleet, spokes, repo), 1800))


def main() -> None:
    global CLUSTERS, APPSETS, IDLE_SECONDS  # noqa: PLW0603  (sizes are read when the run starts)
    quick = _quick()
    CLUSTERS = int(os.environ.get("FLEETOPS_BENCH_CLUSTERS", "10" if quick else "50"))
    APPSETS = int(os.environ.get("FLEETOPS_BENCH_APPSETS", "5" if quick else "20"))
    IDLE_SECONDS = 10.0 if quick else 30.0
    print(
        f"{CLUSTERS} kubesim clusters x {APPSETS} applications ({CLUSTERS * APPSETS}) from {APPSETS} "
        f"ApplicationSets (clusters generator); controller: `fleetops controller` in its own process"
        f"{' (quick size)' if quick else ''}"
    )
    if not appset_controller_available():
        print(
            "ApplicationSet controller: not available — Applications come from fleetops.core.appset.generate"
        )
    results = [_one(1)]
    if shards_available():
        results.append(_one(2))
    else:
        print("2 shards: not available (sharding not implemented)")
    print("\nsummary:")
    print(
        "| replicas | all Synced | all Synced+Healthy | CPU to sync | idle CPU | RSS "
        "| base change to all clusters (CPU) |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.replicas} | {r.synced_s or float('nan'):.1f} s | {r.healthy_s or float('nan'):.1f} s | "
            f"{r.sync_cpu_s:.1f} s | {r.idle_cpu_s / IDLE_SECONDS * 100:.1f}% | "
            f"{' + '.join(_mib(k) for k in r.rss_kib)} (peak {' + '.join(_mib(k) for k in r.peak_kib)}) | "
            f"{r.change_s or float('nan'):.2f} s ({r.change_live}/{CLUSTERS} clusters; "
            f"CPU {r.change_cpu_s:.1f} s) |"
        )


if __name__ == "__main__":
    main()
