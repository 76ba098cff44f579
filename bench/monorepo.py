"""A monorepo of N applications (`FLEETOPS_BENCH_APPS`, default 1000) on one kubesim cluster: the
hub (`fleetops.server.Hub`, as `fleetops controller` runs it) in this process's event loop,
kubesim on a background thread (workloads on, Events off, pods start in 50 ms), a Git repository
on disk reached through URL rewriting (file://), polling off (refreshes come from a signed GitHub
push webhook, as in production with webhooks).

The repository holds `apps/app-NNNN/` for every application: a kustomization with a ConfigMap
and a one-replica Deployment. Every Application (automated sync with prune and selfHeal,
destination the hub itself, `https://kubernetes.default.svc`) is created at once; we report:

- the time from the first create to all Synced, and to all Healthy (pods running);
- steady state: the process's CPU time over IDLE_SECONDS idle seconds (getrusage), split into
  kubesim's thread (from /proc/self/task/TID/stat) and the rest (the hub), and its RSS — kubesim
  shares the process, so RSS includes the simulated cluster's store;
- a commit touching ONE application's directory announced by the webhook: how many renders ran
  (the engine's `RenderCache.stats`: misses + invalidated entries; goal exactly 1), how many
  reconciles, and how long until the touched application is Synced at the new revision with the
  new ConfigMap live, and until every application reports the new revision.

Every wait has a deadline, so the run ends (within about 10 minutes) whatever happens.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import resource
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.drift_heal import (
    NAMESPACE,
    REPO_URL,
    LocalRepo,
    app_statuses,
    quiet_fleet,
    sim_config,
    start_hub,
    synced_healthy,
    wait_for,
)
from fleetops.adapters.kube import HttpKubeClient
from fleetops.kubesim.fleet import Fleet
from fleetops.model import GroupKind, GroupVersionKind
from fleetops.ports.kube import NotFound
from fleetops.server.hub import Hub

APPS = int(os.environ.get("FLEETOPS_BENCH_APPS", "1000"))
IDLE_SECONDS = 30.0
SYNC_DEADLINE = 360.0
REFRESH_DEADLINE = 120.0
TOTAL_DEADLINE = 600.0
SECRET = "bench-webhook"
IN_CLUSTER = "https://kubernetes.default.svc"
TARGET = "monorepo"
APPLICATION = GroupKind("argoproj.io", "Application")
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _name(index: int) -> str:
    return f"app-{index:04d}"


def _files(index: int, value: str = "v1") -> dict[str, str]:
    name = _name(index)
    return {
        f"apps/{name}/kustomization.yaml": (
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            "resources:\n  - configmap.yaml\n  - deployment.yaml\n"
        ),
        f"apps/{name}/configmap.yaml": (
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  value: {value}\n"
        ),
        f"apps/{name}/deployment.yaml": f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: app
          image: nginx:1.25
""",
    }


def _application(index: int) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": _name(index), "namespace": NAMESPACE},
        "spec": {
            "project": "default",
            "source": {"repoURL": REPO_URL, "targetRevision": "main", "path": f"apps/{_name(index)}"},
            "destination": {"server": IN_CLUSTER, "namespace": TARGET},
            "syncPolicy": {
                "automated": {"prune": True, "selfHeal": True},
                "syncOptions": ["CreateNamespace=true"],
            },
        },
    }


def _thread_cpu(native_id: int | None) -> float:
    if native_id is None:
        return 0.0
    fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _memory() -> str:
    status = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line
    )
    return f"RSS {status['VmRSS'].strip()}, peak {status['VmHWM'].strip()}"


def _counts(hub: Hub) -> tuple[int, int, int]:
    statuses = app_statuses(hub)
    return (
        len(statuses),
        sum(1 for s in statuses if synced_healthy(s)[0]),
        sum(1 for s in statuses if all(synced_healthy(s))),
    )


async def _push(hub: Hub, after: str) -> int:
    payload = {
        "ref": "refs/heads/main",
        "before": "0" * 40,
        "after": after,
        "repository": {
            "html_url": REPO_URL,
            "clone_url": REPO_URL + ".git",
            "full_name": "org/gitops-config",
        },
        "commits": [{"id": after, "added": [], "removed": [], "modified": []}],
    }
    body = json.dumps(payload).encode()
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": "bench",
        "X-Hub-Signature-256": f"sha256={digest}",
    }
    url = f"http://127.0.0.1:{hub.port}/api/webhook"
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as response:
        await response.read()
        return response.status


async def _run(fleet: Fleet, root: Path, kubesim_thread: int | None) -> None:
    repo = LocalRepo(root / "gitops-config.git")
    files: dict[str, str] = {}
    for index in range(APPS):
        files.update(_files(index))
    repo.commit(files, f"{APPS} applications")
    hub = await start_hub(fleet, root, repo, webhook_secret=SECRET)
    try:
        controller = hub.controller
        assert controller is not None
        stats = controller.env.render_cache.stats
        print(f"{APPS} applications (FLEETOPS_BENCH_APPS), {len(files)} files in the repository")

        started = time.monotonic()
        async with HttpKubeClient(sim_config(fleet, "hub")) as client:
            for index in range(APPS):
                await client.create(_application(index))
        created = time.monotonic() - started
        print(f"created {APPS} Applications in {created:.1f} s")
        synced_at: float | None = None

        def all_synced() -> bool:
            nonlocal synced_at
            total, synced, healthy = _counts(hub)
            if synced_at is None and total == APPS and synced == APPS:
                synced_at = time.monotonic() - started
            return total == APPS and healthy == APPS

        last_report = time.monotonic()

        async def progress() -> bool:
            nonlocal last_report
            if all_synced():
                return True
            if time.monotonic() - last_report > 30:
                last_report = time.monotonic()
                total, synced, healthy = _counts(hub)
                print(
                    f"  ... {time.monotonic() - started:.0f} s: {synced} Synced, {healthy} Healthy of {total}"
                )
            return False

        healthy = await wait_for(progress, SYNC_DEADLINE, step=0.2)
        total, synced, healthy_count = _counts(hub)
        if synced_at is not None:
            print(f"all {APPS} Synced after {synced_at:.1f} s (from the first create)")
        else:
            print(f"not all Synced within {SYNC_DEADLINE:g} s: {synced} Synced of {total}")
        if healthy:
            print(f"all {APPS} Synced and Healthy after {time.monotonic() - started:.1f} s")
        else:
            print(f"not all Healthy within {SYNC_DEADLINE:g} s: {healthy_count} Healthy of {total}")
        print(
            f"renders so far: {stats.misses + stats.invalidated} (cache misses {stats.misses}, "
            f"invalidated {stats.invalidated}, hits {stats.hits}); reconciles {controller.reconciles}"
        )

        await asyncio.sleep(5)  # let the last operations and health checks settle
        reconciles = controller.reconciles
        cpu, kubesim_cpu = _process_cpu(), _thread_cpu(kubesim_thread)
        await asyncio.sleep(IDLE_SECONDS)
        cpu, kubesim_cpu = _process_cpu() - cpu, _thread_cpu(kubesim_thread) - kubesim_cpu
        print(
            f"steady state over {IDLE_SECONDS:g} s idle (polling off): process CPU {cpu:.2f} s "
            f"({cpu / IDLE_SECONDS * 100:.1f}% of one core; kubesim thread {kubesim_cpu:.2f} s, "
            f"hub and the rest {cpu - kubesim_cpu:.2f} s), {controller.reconciles - reconciles} reconciles; "
            f"{_memory()} (hub + kubesim in one process)"
        )

        touched = 7 % APPS
        name = _name(touched)
        before = (stats.misses, stats.invalidated, stats.hits)
        reconciles = controller.reconciles
        sha = repo.commit(_files(touched, "v2"), f"change {name}")
        pushed = time.monotonic()
        status = await _push(hub, sha)
        touched_at: float | None = None

        async def touched_live() -> bool:
            nonlocal touched_at
            if touched_at is not None:
                return True
            statuses = {
                (a.get("metadata") or {}).get("name"): dict(a.get("status") or {})
                for a in controller.hub_cache.objects(APPLICATION)
            }
            mine = statuses.get(name, {})
            sync = mine.get("sync") or {}
            if sync.get("revision") != sha or sync.get("status") != "Synced":
                return False
            async with HttpKubeClient(sim_config(fleet, "hub")) as client:
                try:
                    live = await client.get(CONFIGMAP, name, TARGET)
                except NotFound:
                    return False
            if (live.get("data") or {}).get("value") == "v2":
                touched_at = time.monotonic() - pushed
                return True
            return False

        def every_revision() -> bool:
            return all((s.get("sync") or {}).get("revision") == sha for s in app_statuses(hub))

        ok_touched = await wait_for(touched_live, REFRESH_DEADLINE, step=0.02)
        ok_all = await wait_for(every_revision, REFRESH_DEADLINE, step=0.05)
        all_at = time.monotonic() - pushed
        await wait_for(lambda: len(controller.queue) == 0, 30)  # the refresh's reconciles have run
        await asyncio.sleep(2)
        misses, invalidated, hits = (
            stats.misses - before[0],
            stats.invalidated - before[1],
            stats.hits - before[2],
        )
        renders = misses + invalidated
        print(f"commit touching {name} only, announced by a signed GitHub push webhook (HTTP {status}):")
        print(
            f"  renders: {renders} (invalidated {invalidated}, misses {misses}; cache hits {hits}); "
            f"goal exactly 1 -> {'met' if renders == 1 else 'missed'}; "
            f"{controller.reconciles - reconciles} reconciles"
        )
        if ok_touched and touched_at is not None:
            print(
                f"  {name} Synced at the new revision, new ConfigMap live, after {touched_at * 1000:.0f} ms"
            )
        else:
            print(f"  {name} not Synced at the new revision within {REFRESH_DEADLINE:g} s")
        if ok_all:
            print(f"  all {APPS} applications report the new revision after {all_at:.2f} s")
        else:
            print(f"  not every application reports the new revision within {REFRESH_DEADLINE:g} s")
    finally:
        await hub.stop()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="fleetops-bench-monorepo-") as tmp:
        background = quiet_fleet(["hub"])
        with background as fleet:
            kubesim_thread = next(
                (t.native_id for t in threading.enumerate() if t.name == "kubesim"),
                None,
            )
            asyncio.run(asyncio.wait_for(_run(fleet, Path(tmp), kubesim_thread), TOTAL_DEADLINE))


if __name__ == "__main__":
    main()
