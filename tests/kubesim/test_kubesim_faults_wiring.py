"""Fault knobs wired end to end: the control endpoint's `/clusters/NAME/faults` routes and the
fault flags of `fleetops sim up`, observed with the real kubectl (1.37.1)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.kubesim_clients import Kubectl, RawApi

from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.serve import cluster_settings
from fleetops.kubesim.workloads import WorkloadExtension, WorkloadSettings, workload_extensions

CLUSTER = "sim"
EXTENSIONS: dict[str, WorkloadExtension] = {}
PULL_FAILURES = {"ErrImagePull", "ImagePullBackOff"}

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def kubesim_fleet() -> Iterator[Fleet]:
    """Overrides the kubesim fixture: the cluster runs the simulated workloads (with faults)."""
    factory = workload_extensions(
        lambda _name: WorkloadSettings(pod_startup_seconds=0.1, image_pull_backoff_seconds=0.3),
        registry=EXTENSIONS,
    )
    with BackgroundFleet([CLUSTER], watch_history=2000, extensions=factory) as fleet:
        yield fleet


@pytest.fixture
def control(kubesim_fleet: Fleet) -> Iterator[Callable[..., tuple[int, Any]]]:
    """`control(method, path, body=None)` against the fleet's control endpoint; faults healed after."""

    def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return _request(f"{kubesim_fleet.control.url}{path}", method, body)

    yield call
    EXTENSIONS[CLUSTER].faults.reset()


def _request(url: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


def deployment(name: str, image: str) -> str:
    return textwrap.dedent(f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}}}
        spec:
          replicas: 2
          selector: {{matchLabels: {{app: {name}}}}}
          template:
            metadata: {{labels: {{app: {name}}}}}
            spec:
              containers: [{{name: app, image: "{image}"}}]
        """)


def wait_for_pull_failures(kube: Kubectl, namespace: str, app: str, timeout: float = 30) -> set[str]:
    """The waiting reasons of the app's containers, once every pod has failed to pull."""
    deadline = time.monotonic() + timeout
    reasons: set[str] = set()
    while time.monotonic() < deadline:
        pods = kube.json("get", "-n", namespace, "pods", "-l", f"app={app}")["items"]
        reasons = {
            status.get("state", {}).get("waiting", {}).get("reason", "")
            for pod in pods
            for status in pod.get("status", {}).get("containerStatuses", [])
        }
        if pods and reasons <= PULL_FAILURES and reasons:
            return reasons
        time.sleep(0.1)
    raise AssertionError(f"pods of {app} did not fail to pull: {reasons}")


# -- the control endpoint --------------------------------------------------------------------------


def test_faults_routes_show_change_and_heal(control: Callable[..., tuple[int, Any]]) -> None:
    status, body = control("GET", f"/clusters/{CLUSTER}/faults")
    assert status == 200 and body["deniedTags"] == [] and body["unreachable"] == ""
    status, body = control(
        "PATCH", f"/clusters/{CLUSTER}/faults", {"deniedTags": ["bad"], "latencySeconds": 0}
    )
    assert status == 200 and body["deniedTags"] == ["bad"]
    assert EXTENSIONS[CLUSTER].faults.denied_tags == {"bad"}
    status, body = control("PUT", f"/clusters/{CLUSTER}/faults", {"crashImages": ["busybox"]})
    assert status == 200 and body["deniedTags"] == [] and body["crashImages"] == ["busybox"]
    status, body = control("PATCH", f"/clusters/{CLUSTER}/faults", {"noSuchKnob": 1})
    assert status == 400 and "noSuchKnob" in body["error"]
    assert control("GET", "/clusters/nowhere/faults")[0] == 404
    status, body = control("DELETE", f"/clusters/{CLUSTER}/faults")
    assert status == 200 and body["crashImages"] == []


def test_denied_tag_set_through_the_control_endpoint_fails_pulls(
    control: Callable[..., tuple[int, Any]], kube: Kubectl, namespace: str
) -> None:
    assert control("PATCH", f"/clusters/{CLUSTER}/faults", {"deniedTags": ["bad"]})[0] == 200
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=deployment("pull", "nginx:bad"))
    assert wait_for_pull_failures(kube, namespace, "pull")
    described = kube.ok("describe", "-n", namespace, "pods", "-l", "app=pull")
    assert re.search(r"State:\s+Waiting\s+Reason:\s+(ErrImagePull|ImagePullBackOff)", described), described
    assert control("DELETE", f"/clusters/{CLUSTER}/faults")[0] == 200
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=deployment("fine", "nginx:1.27"))
    kube.ok("rollout", "status", "-n", namespace, "deployment/fine", "--timeout=60s")


def test_error_rate_answers_status_errors_before_authentication(
    control: Callable[..., tuple[int, Any]], kube: Kubectl, raw_api: RawApi
) -> None:
    assert control("PATCH", f"/clusters/{CLUSTER}/faults", {"errorRate": 1.0, "errorCodes": [500]})[0] == 200
    done = kube.run("get", "namespace", "default", "--request-timeout=10s")
    assert done.returncode == 1
    assert "Error from server (InternalError)" in done.stderr, done.stderr
    assert "Unauthorized" not in done.stderr
    status, body = raw_api.request("GET", "/api/v1/namespaces", token=None)  # no credentials at all
    assert status == 500
    assert body["kind"] == "Status" and body["reason"] == "InternalError" and body["code"] == 500

    assert control("DELETE", f"/clusters/{CLUSTER}/faults")[0] == 200
    assert kube.json("get", "namespace", "default")["metadata"]["name"] == "default"
    assert raw_api.request("GET", "/api/v1/namespaces", token=None)[0] == 401


def test_unreachable_set_through_the_control_endpoint(
    control: Callable[..., tuple[int, Any]], kube: Kubectl
) -> None:
    assert control("PATCH", f"/clusters/{CLUSTER}/faults", {"unreachable": "reset"})[0] == 200
    # `get --raw`: resource commands retry discovery on EOF for about 25 seconds before failing alike.
    done = kube.run("get", "--raw", "/api/v1/namespaces", "--request-timeout=10s")
    assert done.returncode == 1 and "Unable to connect to the server" in done.stderr, done.stderr
    assert control("DELETE", f"/clusters/{CLUSTER}/faults")[0] == 200
    kube.ok("get", "namespace", "default")


# -- fleetops sim up flags -------------------------------------------------------------------------


class SimUp:
    """`fleetops sim up` in a subprocess, with its output in a file."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.kubeconfig = tmp_path / "kubeconfig"
        self.output = tmp_path / "sim-up.log"
        fleetops = Path(sys.executable).parent / "fleetops"
        with self.output.open("w") as log:
            self.process = subprocess.Popen(
                [
                    str(fleetops),
                    "sim",
                    "up",
                    "--data-dir",
                    str(tmp_path / "data"),
                    "--kubeconfig",
                    str(self.kubeconfig),
                    *args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )

    def wait_until_serving(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.output.read_text()
            if self.kubeconfig.exists() and "serving until" in text:
                return text
            assert self.process.poll() is None, text
            time.sleep(0.05)
        raise AssertionError(f"sim up did not start: {self.output.read_text()}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def kubectl_for(kubectl: Path, sim: SimUp, tmp_path: Path, context: str) -> Kubectl:
    home = tmp_path / f"home-{context}"
    home.mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(sim.kubeconfig)}
    return Kubectl(kubectl, env, tmp_path)


def test_sim_up_deny_tag_flag_fails_pulls(kubectl: Path, tmp_path: Path) -> None:
    sim = SimUp(tmp_path, "--clusters", "one", "--deny-tag", "bad", "--pod-startup-seconds", "0.1")
    try:
        output = sim.wait_until_serving()
        assert 'faults one: {"deniedTags": ["bad"]}' in output
        kube = kubectl_for(kubectl, sim, tmp_path, "one")
        kube.ok("create", "namespace", "flags")
        kube.ok("apply", "-n", "flags", "-f", "-", stdin=deployment("pull", "nginx:bad"))
        assert wait_for_pull_failures(kube, "flags", "pull")
        control = re.search(r"control endpoint: (http://\S+)", output)
        assert control is not None
        status, body = _request(f"{control.group(1)}/clusters/one/faults")
        assert status == 200 and body["deniedTags"] == ["bad"]
    finally:
        assert sim.stop() == 0


def test_sim_up_unreachable_flag_for_one_cluster(kubectl: Path, tmp_path: Path) -> None:
    sim = SimUp(tmp_path, "--clusters", "down,up", "--unreachable", "down:reset")
    try:
        output = sim.wait_until_serving()
        assert 'faults down: {"unreachable": "reset"}' in output and "faults up:" not in output
        down = kubectl_for(kubectl, sim, tmp_path, "down")
        done = down.run("--context", "down", "get", "--raw", "/api/v1/namespaces", "--request-timeout=10s")
        assert done.returncode == 1 and "Unable to connect to the server" in done.stderr, done.stderr
        up = kubectl_for(kubectl, sim, tmp_path, "up")
        assert "namespace/default" in up.ok("--context", "up", "get", "namespaces", "-o", "name").split()
        control = re.search(r"control endpoint: (http://\S+)", output)
        assert control is not None
        assert _request(f"{control.group(1)}/clusters/down/faults", "DELETE")[0] == 200
        down.ok("--context", "down", "get", "namespaces")
    finally:
        assert sim.stop() == 0


def test_sim_up_rejects_bad_fault_flags(tmp_path: Path) -> None:
    fleetops = Path(sys.executable).parent / "fleetops"
    done = subprocess.run(
        [
            str(fleetops),
            "sim",
            "up",
            "--clusters",
            "one",
            "--readiness-delay",
            "nginx",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "expected IMAGE=SECONDS" in done.stderr


def test_flag_values_for_all_clusters_and_for_one() -> None:
    settings = cluster_settings(
        ["hub", "prod"],
        {
            "--deny-tag": ["bad", "prod:worse"],
            "--latency": ["prod:2", "0.5"],
            "--crash-image": ["nginx:1.27"],
            "--readiness-delay": ["prod:redis=3"],
            "--error-code": ["503"],
            "--nodes": ["prod:5"],
        },
    )
    hub, prod = settings["hub"], settings["prod"]
    assert hub.faults.denied_tags == {"bad"} and prod.faults.denied_tags == {"bad", "worse"}
    assert hub.faults.latency_seconds == 0.5 and prod.faults.latency_seconds == 2.0
    assert hub.faults.crash_images == {"nginx:1.27"}  # not a cluster named nginx: an image
    assert hub.faults.readiness_delays == {} and prod.faults.readiness_delays == {"redis": 3.0}
    assert hub.faults.error_codes == (503,)
    assert (hub.node_count, prod.node_count) == (3, 5)
    with pytest.raises(ValueError, match="--error-rate '2'"):
        cluster_settings(["hub"], {"--error-rate": ["2"]})
