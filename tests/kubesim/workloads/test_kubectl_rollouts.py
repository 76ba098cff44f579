"""The real kubectl (1.37.1) against a kubesim cluster with simulated workloads: `rollout status`,
`rollout restart`, `wait`, and faults seen through the API server."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads import WorkloadExtension, WorkloadSettings, workload_extensions

CLUSTER = "sim"
EXTENSIONS: dict[str, WorkloadExtension] = {}

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def kubesim_fleet() -> Iterator[Fleet]:
    """Overrides the kubesim fixture: the cluster runs the simulated workloads."""
    factory = workload_extensions(
        lambda _name: WorkloadSettings(pod_startup_seconds=0.1), registry=EXTENSIONS
    )
    with BackgroundFleet([CLUSTER], watch_history=2000, extensions=factory) as fleet:
        yield fleet


@pytest.fixture
def extension(kubesim_fleet: Fleet) -> Iterator[WorkloadExtension]:
    found = EXTENSIONS[CLUSTER]
    yield found
    found.faults.reset()


def deployment(name: str, image: str = "nginx:1.27", replicas: int = 3, deadline: int = 600) -> str:
    return textwrap.dedent(f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}}}
        spec:
          replicas: {replicas}
          progressDeadlineSeconds: {deadline}
          selector: {{matchLabels: {{app: {name}}}}}
          template:
            metadata: {{labels: {{app: {name}}}}}
            spec:
              containers: [{{name: app, image: "{image}"}}]
        """)


def test_rollout_status_waits_for_the_deployment(kube: Any, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=deployment("web"))
    out = kube.ok("rollout", "status", "-n", namespace, "deployment/web", "--timeout=60s")
    assert 'deployment "web" successfully rolled out' in out
    live = kube.json("get", "-n", namespace, "deployment", "web")
    assert live["status"]["readyReplicas"] == 3 and live["status"]["updatedReplicas"] == 3
    pods = kube.json("get", "-n", namespace, "pods", "-l", "app=web")["items"]
    assert len(pods) == 3 and all(p["status"]["phase"] == "Running" for p in pods)
    assert (
        kube.ok("scale", "-n", namespace, "deployment/web", "--replicas=5").strip()
        == "deployment.apps/web scaled"
    )
    kube.ok("rollout", "status", "-n", namespace, "deployment/web", "--timeout=60s")
    assert kube.json("get", "-n", namespace, "deployment", "web")["status"]["availableReplicas"] == 5
    described = kube.ok("describe", "-n", namespace, "deployment", "web")
    assert "ScalingReplicaSet" in described and "Scaled up replica set web-" in described
    assert "Started container app" in kube.ok("describe", "-n", namespace, "pod", pods[0]["metadata"]["name"])


def test_rollout_undo_returns_to_the_previous_template(kube: Any, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=deployment("back", replicas=1))
    kube.ok("rollout", "status", "-n", namespace, "deployment/back", "--timeout=60s")
    kube.ok("set", "image", "-n", namespace, "deployment/back", "app=nginx:1.28")
    kube.ok("rollout", "status", "-n", namespace, "deployment/back", "--timeout=60s")
    assert (
        kube.ok("rollout", "undo", "-n", namespace, "deployment/back").strip()
        == "deployment.apps/back rolled back"
    )
    kube.ok("rollout", "status", "-n", namespace, "deployment/back", "--timeout=60s")
    live = kube.json("get", "-n", namespace, "deployment", "back")
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert live["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    sets = kube.json("get", "-n", namespace, "replicasets", "-l", "app=back")["items"]
    assert len(sets) == 2


def test_rollout_restart_rolls_new_pods(kube: Any, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=deployment("api", replicas=2))
    kube.ok("rollout", "status", "-n", namespace, "deployment/api", "--timeout=60s")
    before = {
        p["metadata"]["name"] for p in kube.json("get", "-n", namespace, "pods", "-l", "app=api")["items"]
    }
    assert (
        kube.ok("rollout", "restart", "-n", namespace, "deployment/api").strip()
        == "deployment.apps/api restarted"
    )
    out = kube.ok("rollout", "status", "-n", namespace, "deployment/api", "--timeout=60s")
    assert 'deployment "api" successfully rolled out' in out
    sets = kube.json("get", "-n", namespace, "replicasets", "-l", "app=api")["items"]
    assert sorted(rs["spec"]["replicas"] for rs in sets) == [0, 2]
    after = {
        p["metadata"]["name"] for p in kube.json("get", "-n", namespace, "pods", "-l", "app=api")["items"]
    }
    assert len(after) == 2 and not before & after
    history = kube.ok("rollout", "history", "-n", namespace, "deployment/api")
    assert "1 " in history and "2 " in history


def test_rollout_status_fails_past_the_progress_deadline(kube: Any, namespace: str, extension: Any) -> None:
    extension.faults.denied_tags.add("missing")
    kube.ok(
        "apply", "-n", namespace, "-f", "-", stdin=deployment("bad", "nginx:missing", replicas=1, deadline=2)
    )
    done = kube.run("rollout", "status", "-n", namespace, "deployment/bad", "--timeout=60s")
    assert done.returncode == 1
    assert 'deployment "bad" exceeded its progress deadline' in done.stderr
    pod = kube.json("get", "-n", namespace, "pods", "-l", "app=bad")["items"][0]
    waiting = pod["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["reason"] in ("ErrImagePull", "ImagePullBackOff")


def test_statefulset_daemonset_and_job(kube: Any, namespace: str) -> None:
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=textwrap.dedent("""\
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "postgres:17"}]}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: "busybox:1.36"}]}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: once, image: "busybox:1.36"}]
        """),
    )
    out = kube.ok("rollout", "status", "-n", namespace, "statefulset/db", "--timeout=60s")
    assert "partitioned roll out complete: 2 new pods have been updated..." in out
    assert 'daemon set "agent" successfully rolled out' in kube.ok(
        "rollout", "status", "-n", namespace, "daemonset/agent", "--timeout=60s"
    )
    assert kube.ok(
        "wait", "-n", namespace, "--for=condition=complete", "job/once", "--timeout=60s"
    ).strip() == ("job.batch/once condition met")


def test_api_errors_reach_kubectl(kube: Any, extension: Any) -> None:
    extension.faults.update({"errorRate": 1, "errorCodes": [500]})
    done = kube.run("get", "namespace", "default", "-o", "json", "--request-timeout=10s")
    assert done.returncode != 0
    assert "Error from server (InternalError)" in done.stderr
    extension.faults.reset()
    assert json.loads(kube.ok("get", "namespace", "default", "-o", "json"))["metadata"]["name"] == "default"
