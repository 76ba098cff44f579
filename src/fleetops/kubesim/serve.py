"""The foreground loop of `fleetops sim up` (and `make up`): start the fleet, wait until every
cluster answers, write the kubeconfig, then serve until SIGINT or SIGTERM.

`cluster_settings` turns `sim up`'s workload and fault flags into one `WorkloadSettings` per
cluster. API faults (unreachable, latency, error rate) are held back until every cluster has
answered `/readyz`, then applied just before the kubeconfig is written: an unreachable cluster
would otherwise never get a kubeconfig.
"""

from __future__ import annotations

import asyncio
import json
import signal
import ssl
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp

from fleetops.kubesim.faults import ClusterFaults
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.kubesim.workloads.extension import WorkloadExtension, workload_extensions
from fleetops.kubesim.workloads.settings import WorkloadSettings

API_FAULTS = ("unreachable", "latencySeconds", "errorRate", "errorCodes")
"""The `ClusterFaults.to_dict` keys applied only once every cluster answers."""


def _seconds(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError("must not be negative")
    return number


def _nodes(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must not be negative")
    return number


def _readiness_delay(faults: ClusterFaults, value: str) -> None:
    image, equals, seconds = value.rpartition("=")
    if not equals or not image:
        raise ValueError("expected IMAGE=SECONDS")
    faults.readiness_delays[image] = _seconds(seconds)


def _error_code(faults: ClusterFaults, value: str) -> None:
    code = int(value)
    if not 400 <= code <= 599:
        raise ValueError("expected an HTTP error code (4xx or 5xx)")
    if code not in faults.error_codes:
        faults.error_codes = (*faults.error_codes, code)


Setter = Callable[[WorkloadSettings, str], None]

FLAGS: dict[str, Setter] = {
    "--pod-startup-seconds": lambda s, v: setattr(s, "pod_startup_seconds", _seconds(v)),
    "--nodes": lambda s, v: setattr(s, "node_count", _nodes(v)),
    "--deny-tag": lambda s, v: s.faults.denied_tags.add(v),
    "--deny-image": lambda s, v: s.faults.denied_images.add(v),
    "--allow-registry": lambda s, v: s.faults.allowed_registries.add(v),
    "--crash-image": lambda s, v: s.faults.crash_images.add(v),
    "--readiness-delay": lambda s, v: _readiness_delay(s.faults, v),
    "--latency": lambda s, v: s.faults.update({"latencySeconds": v}),
    "--error-rate": lambda s, v: s.faults.update({"errorRate": v}),
    "--error-code": lambda s, v: _error_code(s.faults, v),
    "--unreachable": lambda s, v: s.faults.update({"unreachable": v}),
}
"""`sim up`'s per-cluster flags and how each sets a cluster's `WorkloadSettings`."""


def cluster_settings(names: Sequence[str], flags: Mapping[str, Sequence[str]]) -> dict[str, WorkloadSettings]:
    """One `WorkloadSettings` per cluster from `sim up` flag values (keys of `FLAGS`).

    A value applies to every cluster, or to one when prefixed with `NAME:` where NAME is one of
    `names` (`prod:bad`; `nginx:1.27` stays an image unless a cluster is named `nginx`). Values
    for one cluster are applied after those for all, so they override single-valued settings.
    Raises `ValueError` naming the flag and value that is not valid.
    """
    settings = {name: WorkloadSettings() for name in names}
    unknown = sorted(set(flags) - set(FLAGS))
    if unknown:
        raise ValueError(f"unknown flags: {', '.join(unknown)}")
    scoped: list[tuple[str, str, str | None]] = []
    for flag, values in flags.items():
        for value in values:
            prefix, colon, rest = value.partition(":")
            if colon and prefix in settings:
                scoped.append((flag, rest, prefix))
            else:
                scoped.append((flag, value, None))
    ordered = [item for item in scoped if item[2] is None] + [item for item in scoped if item[2] is not None]
    for flag, _value, only in ordered:
        if flag == "--error-code":  # the codes given replace the default (500, 429)
            for name in [only] if only is not None else names:
                settings[name].faults.error_codes = ()
    for flag, value, only in ordered:
        for name in [only] if only is not None else names:
            try:
                FLAGS[flag](settings[name], value)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{flag} {value!r}: {exc}") from exc
    return settings


async def _answers(url: str, ca_pem: bytes) -> bool:
    context: ssl.SSLContext | bool = False
    if ca_pem:
        context = ssl.create_default_context(cadata=ca_pem.decode())
    try:
        async with aiohttp.ClientSession() as session, session.get(f"{url}/readyz", ssl=context) as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


def _hold_api_faults(faults: ClusterFaults) -> dict[str, Any]:
    """Switch the API faults off for now; returns them for `ClusterFaults.update` later."""
    held = {key: value for key, value in faults.to_dict().items() if key in API_FAULTS}
    faults.update({"unreachable": "", "latencySeconds": 0, "errorRate": 0})
    return held


def _faults_line(faults: ClusterFaults) -> str:
    """The faults that differ from a healthy cluster's, as JSON (empty when healthy)."""
    healthy = ClusterFaults().to_dict()
    changed = {key: value for key, value in faults.to_dict().items() if value != healthy[key]}
    return json.dumps(changed) if changed else ""


async def serve(
    names: list[str],
    *,
    data_dir: Path | None,
    kubeconfig: Path,
    tls: bool,
    control_port: int,
    echo: Callable[[str], None],
    settings: Mapping[str, WorkloadSettings] | None = None,
) -> None:
    """Serve `names` until SIGINT/SIGTERM; `settings` (by cluster name, e.g. from `cluster_settings`)
    configure each cluster's simulated workloads and faults (default: `WorkloadSettings()`)."""
    chosen = dict(settings or {})
    extensions: dict[str, WorkloadExtension] = {}
    fleet = Fleet(
        names,
        data_dir=data_dir,
        tls=tls,
        control_port=control_port,
        extensions=workload_extensions(
            lambda name: chosen.get(name) or WorkloadSettings(), registry=extensions
        ),
    )
    held = {name: _hold_api_faults(chosen[name].faults) for name in names if name in chosen}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await fleet.start()
    try:
        for cluster in fleet.clusters.values():
            while not await _answers(cluster.url, cluster.ca_pem):
                await asyncio.sleep(0.05)
        for name, api_faults in held.items():
            extensions[name].faults.update(api_faults)
        write_kubeconfig(kubeconfig, list(fleet.clusters.values()))
        for cluster in fleet.clusters.values():
            echo(f"cluster {cluster.name}: {cluster.url}")
            changed = _faults_line(extensions[cluster.name].faults)
            if changed:
                echo(f"faults {cluster.name}: {changed}")
        echo(f"kubeconfig: {kubeconfig}")
        echo(f"control endpoint: {fleet.control.url}")
        echo("serving until SIGINT/SIGTERM")
        await stop.wait()
    finally:
        echo("stopping")
        await fleet.stop()
