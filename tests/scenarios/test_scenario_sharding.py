"""Three `fleetops controller --shards auto` processes against 30 kubesim spokes: every cluster is
written by one replica at a time (kubesim's write logs, each replica writing as
`fleetops/<identity>`), `kill -9` of one moves its clusters to the others once its Leases expire,
and they keep reconciling — a change made after the kill lands on the moved clusters."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import aiohttp
import pytest
from scenario_support import APPLICATION, CONFIGMAP, SEED_URL, application, cluster_config, eventually
from tests.support.gitserver import GitServer

from fleetops.adapters.kube import HttpKubeClient
from fleetops.controller.leases import LEASE, ROLE_LABEL, LeaseRecord, cluster_lease_name
from fleetops.core import sharding
from fleetops.core.app import IN_CLUSTER_SERVER
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.ports.kube import NotFound

SPOKES = [f"spoke-{index:02d}" for index in range(30)]
REPLICAS = ["c-0", "c-1", "c-2"]
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  color: {color}\n"
FLEETOPS = Path(sys.executable).with_name("fleetops")


@pytest.fixture
def big_fleet() -> Iterator[Fleet]:
    with BackgroundFleet(["hub", *SPOKES], watch_history=5000) as running:
        yield running


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Replicas:
    """The controller processes this test started (stopped by their own pids only)."""

    def __init__(self, tmp_path: Path, kubeconfig: Path, git_url: str) -> None:
        self.tmp_path = tmp_path
        self.kubeconfig = kubeconfig
        self.git_url = git_url
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.ports: dict[str, int] = {}

    def start(self, identity: str) -> None:
        port = self.ports[identity] = free_port()
        with (self.tmp_path / f"{identity}.log").open("wb") as log:
            self.processes[identity] = self._spawn(identity, port, log)

    def _spawn(self, identity: str, port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                str(FLEETOPS),
                "controller",
                "--kubeconfig",
                str(self.kubeconfig),
                "--namespace",
                "fleetops",
                "--port",
                str(port),
                "--shards",
                "auto",
                "--shard",
                identity,
                "--lease-duration",
                "3",
                "--lease-renew-deadline",
                "2",
                "--lease-retry-period",
                "1",
                "--cluster-info-interval",
                "0.5",
                "--poll-interval",
                "0",
                "--rewrite",
                f"{SEED_URL}={self.git_url}",
                "--git-cache-dir",
                str(self.tmp_path / f"git-{identity}"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HOME": str(self.tmp_path)},
        )

    def kill(self, identity: str) -> None:
        process = self.processes.pop(identity)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        self.processes.clear()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-3000:]}" for path in sorted(self.tmp_path.glob("c-*.log"))
        )


async def holders(hub: HttpKubeClient) -> dict[str, str]:
    listed = await hub.list(LEASE, "fleetops", label_selector=f"{ROLE_LABEL}=cluster")
    records = [LeaseRecord.parse(item) for item in listed.items]
    return {r.server: r.holder for r in records if r.holder}


async def write_log(fleet: Fleet, cluster: str) -> list[dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{fleet.control.url}/clusters/{cluster}/writes") as response,
    ):
        body = await response.json()
    assert body["total"] == len(body["writes"]), "the write ring dropped records"
    return list(body["writes"])


def _replica(write: dict[str, Any]) -> str:
    agent = str(write["user_agent"])
    return agent.removeprefix("fleetops/") if agent.startswith("fleetops/c-") else ""


def ownership_periods(hub_writes: list[dict[str, Any]], lease: str) -> list[tuple[str, str, str]]:
    """(holder, from, until) for each run of writes of one cluster Lease by one replica: a
    replica owns the cluster from its first write (the acquisition) until another replica
    writes the Lease (kubesim's times come from one clock, RFC 3339 with microseconds)."""
    runs: list[tuple[str, str]] = []
    for write in hub_writes:
        if write["resource"] == "leases.coordination.k8s.io" and write["name"] == lease:
            writer = _replica(write)
            if not runs or runs[-1][0] != writer:
                runs.append((writer, str(write["time"])))
    return [
        (holder, start, runs[i + 1][1] if i + 1 < len(runs) else "9999")
        for i, (holder, start) in enumerate(runs)
    ]


async def _change(repo: Any, hub: HttpKubeClient, color: str) -> None:
    """Commit a new color and ask every application to refresh (polling is off)."""
    repo.commit({"probe/cm.yaml": CM.format(color=color)}, color)
    refresh = {"metadata": {"annotations": {"argocd.argoproj.io/refresh": "normal"}}}
    for name in SPOKES:
        await hub.patch(APPLICATION, f"probe-{name}", refresh, "fleetops")


async def test_three_replicas_share_thirty_clusters_and_survive_a_kill(
    big_fleet: Fleet, git_server: GitServer, tmp_path: Path
) -> None:
    repo = git_server.create_repo("gitops-config")
    repo.commit(
        {"probe/kustomization.yaml": "resources:\n- cm.yaml\n", "probe/cm.yaml": CM.format(color="blue")}
    )
    kubeconfig = tmp_path / "kubeconfig"
    write_kubeconfig(kubeconfig, [big_fleet["hub"]], current="hub")
    servers = {big_fleet[name].url: name for name in SPOKES}
    every_server = [*servers, IN_CLUSTER_SERVER]
    spokes = {name: HttpKubeClient(cluster_config(big_fleet, name)) for name in SPOKES}
    replicas = Replicas(tmp_path, kubeconfig, git_server.url_for("gitops-config"))
    async with HttpKubeClient(cluster_config(big_fleet, "hub")) as hub:
        try:
            await hub.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fleetops"}})
            for name in SPOKES:
                sim = big_fleet[name]
                await hub.create(
                    cluster_secret(
                        name=name, server=sim.url, namespace="fleetops", token=sim.token, ca_pem=sim.ca_pem
                    )
                )
            for identity in REPLICAS:
                replicas.start(identity)
            three = sharding.assign(every_server, REPLICAS)
            await eventually(
                lambda: _matches(hub, three), "the three replicas hold the Leases the ring gives them", 60
            )
            for name in SPOKES:
                await hub.create(
                    application(
                        f"probe-{name}",
                        server=big_fleet[name].url,
                        namespace="probe",
                        path="probe",
                        automated={},
                    )
                )

            async def all_colored(color: str) -> bool:
                found = await asyncio.gather(*(_color(client) for client in spokes.values()))
                return all(value == color for value in found)

            await eventually(lambda: all_colored("blue"), "every spoke synced by its replica", 60)

            # SIGSTOP c-1 in the middle of a change: the others take its clusters once its
            # Leases expire; when it wakes up, its guard has closed: it writes nothing there.
            await _change(repo, hub, "yellow")
            paused = replicas.processes["c-1"]
            os.kill(paused.pid, signal.SIGSTOP)
            try:
                without_c1 = sharding.assign(every_server, ["c-0", "c-2"])
                await eventually(
                    lambda: _matches(hub, without_c1), "c-1's clusters taken over while paused", 60
                )
                await eventually(lambda: all_colored("yellow"), "the change lands on c-1's clusters too", 60)
            finally:
                os.kill(paused.pid, signal.SIGCONT)
            await eventually(lambda: _matches(hub, three), "c-1 back: the ring gives it its share again", 60)
            before = await holders(hub)

            replicas.kill("c-2")
            orphaned = {server for server, holder in before.items() if holder == "c-2"}
            await _change(repo, hub, "green")
            two = sharding.assign(every_server, REPLICAS[:2])
            await eventually(
                lambda: _matches(hub, two), "c-2's clusters taken over once its Leases expired", 60
            )
            await eventually(
                lambda: all_colored("green"), "the change lands everywhere, moved clusters too", 60
            )
            after = await holders(hub)
            moved = {server for server in every_server if before.get(server) != after.get(server)}
            print(
                f"\n3->2 replicas: {len(orphaned)} clusters of the killed replica, {len(moved)} moved "
                f"of {len(every_server)} (ring: {len(sharding.moved(three, two))})"
            )
            assert orphaned <= moved

            # The write logs: every write to a spoke falls in an ownership period of its writer
            # (from its first write of the cluster's Lease until another replica writes it).
            lease_writes = await write_log(big_fleet, "hub")
            for name in SPOKES:
                periods = ownership_periods(lease_writes, cluster_lease_name(big_fleet[name].url))
                spoke_writes = [w for w in await write_log(big_fleet, name) if _replica(w)]
                assert spoke_writes, f"{name} was written by a replica"
                for write in spoke_writes:
                    assert any(
                        holder == _replica(write) and start <= write["time"] < end
                        for holder, start, end in periods
                    ), f"{name}: {write} outside its writer's ownership {periods}"
            moved_spokes = [servers[s] for s in orphaned if s in servers]
            assert moved_spokes, "c-2 owned spokes"
            for name in moved_spokes:
                assert {_replica(w) for w in await write_log(big_fleet, name)} >= {
                    "c-2",
                    after[big_fleet[name].url],
                }

            # Where the shard is visible: `fleetops cluster list` and /metrics.
            await eventually(lambda: _listed(kubeconfig, after), "cluster list shows SHARD and status", 60)
            survivor = after[big_fleet[moved_spokes[0]].url]
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"http://127.0.0.1:{replicas.ports[survivor]}/metrics") as response,
            ):
                text = await response.text()
            assert f'shard="{survivor}"' in text and "fleetops_cluster_shard" in text
        except BaseException:
            print(replicas.logs())
            raise
        finally:
            replicas.stop_all()
            for client in spokes.values():
                await client.close()


async def _matches(hub: HttpKubeClient, expected: dict[str, str]) -> bool:
    return await holders(hub) == expected


async def _color(client: HttpKubeClient) -> str:
    try:
        found = await client.get(CONFIGMAP, "probe", "probe")
    except NotFound:
        return ""
    return str((found.get("data") or {}).get("color", ""))


async def _listed(kubeconfig: Path, owners: dict[str, str]) -> bool:
    args = ["cluster", "list", "-o", "json", "--kubeconfig", str(kubeconfig), "--namespace", "fleetops"]
    process = await asyncio.create_subprocess_exec(
        str(FLEETOPS), *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        return False
    rows: list[dict[str, Any]] = json.loads(out)
    spokes = [row for row in rows if row["name"].startswith("spoke-")]
    return len(spokes) == len(SPOKES) and all(
        row["shard"] == owners[row["server"]] and row["status"] == "Successful" and row["applications"] == 1
        for row in spokes
    )
