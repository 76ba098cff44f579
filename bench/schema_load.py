"""Schema benchmark: first load of each Kubernetes version, field lookups/s, CRD extensions/s.

Run: `.venv/bin/python bench/schema_load.py` (a report, not a timed test).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fleetops.core.schema import available_versions, load_schema
from fleetops.model import GroupVersionKind

DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")
PORTS = ("spec", "template", "spec", "containers", "[]", "ports")
CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"plural": "widgets", "kind": "Widget"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                        },
                    }
                },
            }
        ],
    },
}


def _rate(action: Callable[[], object], seconds: float = 1.0) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        action()
        count += 1
    return count / elapsed


def main() -> None:
    for version in available_versions():
        start = time.perf_counter()
        schema = load_schema(version)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        schema.node_at(DEPLOYMENT, PORTS)
        first_lookup = time.perf_counter() - start
        print(f"schema {version}: load {loaded * 1000:.1f} ms, first deep lookup {first_lookup * 1e6:.0f} µs")
    schema = load_schema("1.37")
    lookups = _rate(lambda: schema.node_at(DEPLOYMENT, PORTS))
    print(f"node_at(Deployment, {'.'.join(PORTS)}): {lookups:,.0f}/s")
    print(f"with_crd (one small CRD): {_rate(lambda: schema.with_crd(CRD)):,.0f}/s")


if __name__ == "__main__":
    main()
