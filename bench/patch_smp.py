"""Strategic merge patch benchmark: patches per second on a typical 3-container Deployment.

Scenarios (Kubernetes 1.37 schema, one core, in process):
- image bump: one container's image (the common GitOps/promotion patch);
- env + order: an env var added with `$setElementOrder`, a label changed;
- two-way: a patch from `create_strategic_merge_patch` (image, env, finalizer, volume changes)
  applied — what `kubectl apply` sends;
- create: computing that two-way patch.
The reference is `kubectl patch --local --type strategic` (one process per patch, so it measures
start-up too; the ratio is reported for scale, not as a like-for-like comparison).

Run: `.venv/bin/python -m bench patch_smp` (a report, not a timed test). Aim: ≥ 2,000 patches/s.
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._timing import median_time, rate, report
from fleetops.core.patch import apply_strategic_merge_patch, create_strategic_merge_patch
from fleetops.core.schema import load_schema


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


def deployment() -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "shop",
            "labels": {"app": "web", "team": "storefront"},
            "annotations": {"example.com/owner": "storefront"},
            "finalizers": ["example.com/protect"],
        },
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        _container("web", "registry.example/web:1.0.0", 8080),
                        _container("sidecar", "registry.example/envoy:1.30", 9901),
                        _container("metrics", "registry.example/exporter:0.9", 9100),
                    ],
                    "volumes": [{"name": "config", "configMap": {"name": "web-config"}}],
                    "tolerations": [
                        {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}
                    ],
                },
            },
        },
    }


IMAGE_BUMP = {
    "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "registry.example/web:1.1.0"}]}}}
}
ENV_AND_ORDER = {
    "metadata": {"labels": {"release": "canary"}},
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "sidecar",
                        "env": [{"name": "TRACE", "value": "1"}],
                        "$setElementOrder/env": [{"name": "TRACE"}, {"name": "MODE"}, {"name": "REGION"}],
                    }
                ]
            }
        }
    },
}


def _modified(obj: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(obj)
    spec = new["spec"]["template"]["spec"]
    spec["containers"][0]["image"] = "registry.example/web:2.0.0"
    spec["containers"][1]["env"].insert(0, {"name": "TRACE", "value": "1"})
    spec["containers"].reverse()
    spec["volumes"] = [{"name": "config", "secret": {"secretName": "web-config"}}]
    new["metadata"]["finalizers"].append("example.com/audit")
    new["spec"]["strategy"] = {"type": "Recreate"}
    return new


def _kubectl_rate(obj: dict[str, Any], patch: dict[str, Any]) -> float | None:
    kubectl = Path(sys.executable).parent / "kubectl"
    if not kubectl.exists():
        return None
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "obj.json"
        path.write_text(json.dumps(obj))
        command = [str(kubectl), "patch", "--local", "-f", str(path), "-p", json.dumps(patch)]
        seconds = median_time([*command, "--type", "strategic", "-o", "json"], runs=5, warmup=1)
    return 1.0 / seconds


def _cpu_rate(fn: Callable[[], object], calls: int = 2000) -> float:
    """Calls per CPU-second of this process (steadier than wall time on a busy machine)."""
    fn()
    started = time.process_time()
    for _ in range(calls):
        fn()
    return calls / max(time.process_time() - started, 1e-9)


def main() -> None:
    schema = load_schema("1.37")
    obj = deployment()
    modified = _modified(obj)
    two_way = create_strategic_merge_patch(obj, modified, schema=schema)
    assert apply_strategic_merge_patch(obj, two_way, schema=schema) == modified
    apply_strategic_merge_patch(obj, IMAGE_BUMP, schema=schema)  # warm the schema lookups

    kubectl = _kubectl_rate(obj, IMAGE_BUMP)
    scenarios: list[tuple[str, Callable[[], object]]] = [
        ("image bump", lambda: apply_strategic_merge_patch(obj, IMAGE_BUMP, schema=schema)),
        (
            "env + $setElementOrder + label",
            lambda: apply_strategic_merge_patch(obj, ENV_AND_ORDER, schema=schema),
        ),
        ("two-way patch (apply)", lambda: apply_strategic_merge_patch(obj, two_way, schema=schema)),
        ("two-way patch (create)", lambda: create_strategic_merge_patch(obj, modified, schema=schema)),
    ]
    for index, (name, fn) in enumerate(scenarios):
        reference = kubectl if index == 0 else None
        print(report(name, rate(fn), reference, unit="patches/s", reference_name="kubectl patch --local"))
        print(report(f"  {name}, per CPU-second", _cpu_rate(fn), unit="patches/s"))
    print("aim: >= 2,000 patches/s on one core")
