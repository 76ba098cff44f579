"""Server-side apply benchmark: applies per second on a typical 3-container Deployment.

Scenarios (Kubernetes 1.32 schema, one core, in process):
- create: the first apply of the Deployment (no live object);
- re-apply: the same configuration again by the same manager (a GitOps sync with no drift);
- change: a new image tag applied onto the live object that two managers share;
- conflict: a non-forced apply of replicas that another manager owns (reports the conflict).

Run: `.venv/bin/python -m bench ssa_apply` (a report, not a timed test). Aim: ≥ 1,000 applies/s.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from bench._timing import rate, report
from fleetops.core.schema import load_schema
from fleetops.core.structured import apply, from_schema_node, update
from fleetops.model import GroupVersionKind

DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")


def _container(name: str, image: str, port: int) -> dict[str, Any]:
    return {
        "name": name,
        "image": image,
        "args": ["--port", str(port), "--log-level=info"],
        "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}],
        "env": [{"name": "MODE", "value": "production"}, {"name": "REGION", "value": "eu-west-1"}],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": port}, "periodSeconds": 5},
        "volumeMounts": [{"name": "config", "mountPath": f"/etc/{name}"}],
    }


def deployment(image: str = "web:1.0.0", replicas: int = 3) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "shop",
            "labels": {"app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "shop"},
            "annotations": {"fleetops.io/tracking-id": "shop:apps/Deployment:shop/web"},
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": {"app.kubernetes.io/name": "web"}},
                "spec": {
                    "containers": [
                        _container("web", image, 8080),
                        _container("metrics", "exporter:2.1", 9100),
                        _container("proxy", "envoy:1.30", 15001),
                    ],
                    "volumes": [{"name": "config", "configMap": {"name": "web-config"}}],
                    "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web"}],
                },
            },
        },
    }


def main() -> None:
    type_ref = from_schema_node(load_schema("1.32").node_for(DEPLOYMENT))
    config = deployment()
    live = apply(None, config, manager="fleetops", type_ref=type_ref, now="T0").object
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 5
    shared = update(live, scaled, manager="kube-controller-manager", type_ref=type_ref, now="T1")
    changed = deployment(image="web:1.0.1", replicas=5)

    def create() -> object:
        return apply(None, config, manager="fleetops", type_ref=type_ref, now="T2")

    def reapply() -> object:
        return apply(live, config, manager="fleetops", type_ref=type_ref, now="T2")

    def change() -> object:
        result = apply(shared, changed, manager="fleetops", type_ref=type_ref, now="T2")
        assert result.ok
        return result

    def conflict() -> object:
        result = apply(shared, config, manager="fleetops", type_ref=type_ref, now="T2")
        assert not result.ok
        return result

    for name, fn in (("create", create), ("re-apply", reapply), ("change", change), ("conflict", conflict)):
        print(report(f"server-side apply, 3-container Deployment, {name}", rate(fn, 1.0), unit="applies/s"))
        print(f"    per CPU-second of this process (steadier when busy): {cpu_rate(fn):,.1f} applies/s")
    print("aim: >= 1,000 applies/s on one core")


def cpu_rate(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Calls per second of CPU time used by this process (not wall time)."""
    calls = 0
    started = time.process_time()
    while (used := time.process_time() - started) < seconds:
        for _ in range(50):
            fn()
        calls += 50
    return calls / used


if __name__ == "__main__":
    main()
