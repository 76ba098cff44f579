"""Diff benchmark: diffs per second of a typical Deployment against its live copy.

The live copy is what an API server stores after fleetops applied the Deployment: API-server
defaults on every level (kubesim's defaulting), managedFields of fleetops and of
kube-controller-manager (status subresource, revision annotation) and a status. Scenarios
(Kubernetes 1.32 schema, one core, in process):
- in sync: nothing differs (the steady state of every reconcile);
- kubectl scale: another manager owns spec.replicas (drift, one changed path);
- ignore rules: the same drift hidden by a jq path expression and a managedFieldsManagers rule;
- missing: the object does not exist yet.
The reference is one server-side apply of the same objects (the floor of a local diff, which
applies once and compares).

Run: `.venv/bin/python -m bench diff` (a report, not a timed test).
"""

from __future__ import annotations

import copy
from typing import Any

from bench._timing import rate, report
from bench.ssa_apply import cpu_rate, deployment
from fleetops.core.diff import IgnoreRules, diff
from fleetops.core.schema import load_schema
from fleetops.core.structured import apply, from_schema_node, update
from fleetops.kubesim.rest.defaults import apply_defaults
from fleetops.model import GroupVersionKind

DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")

IGNORE = IgnoreRules.from_application(
    [
        {
            "group": "apps",
            "kind": "Deployment",
            "jqPathExpressions": ['.spec.template.spec.containers[] | select(.name == "proxy") | .image'],
            "managedFieldsManagers": ["kubectl"],
        }
    ]
)


def live_copy(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` as stored: applied by fleetops, defaulted, rolled out by the controller."""
    type_ref = from_schema_node(load_schema("1.32").node_for(DEPLOYMENT))
    live = apply(None, config, manager="fleetops", type_ref=type_ref, now="T0").object
    apply_defaults(live, "apps", "Deployment")
    rolled = copy.deepcopy(live)
    rolled["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "1"
    live = update(live, rolled, manager="kube-controller-manager", type_ref=type_ref, now="T1")
    status = copy.deepcopy(live)
    status["status"] = {"replicas": 3, "readyReplicas": 3, "updatedReplicas": 3, "observedGeneration": 1}
    live = update(
        live, status, manager="kube-controller-manager", type_ref=type_ref, now="T1", subresource="status"
    )
    live["metadata"].update(resourceVersion="4711", uid="0d2c6a8e", generation=1, creationTimestamp="T0")
    return live


def main() -> None:
    schema = load_schema("1.32")
    type_ref = from_schema_node(schema.node_for(DEPLOYMENT))
    desired = deployment()
    live = live_copy(desired)
    assert not diff(desired, live, schema=schema).modified, "defaults must not be drift"
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 5
    scaled = update(live, scaled, manager="kubectl", type_ref=type_ref, now="T2", subresource="scale")
    assert [str(c) for c in diff(desired, scaled, schema=schema).changes] == [
        ".spec.replicas: live 5 → desired 3"
    ]
    assert not diff(desired, scaled, schema=schema, ignore=IGNORE).modified

    def apply_once() -> object:
        return apply(live, desired, manager="fleetops", force=True, type_ref=type_ref, now="T3")

    scenarios = {
        "in sync": lambda: diff(desired, live, schema=schema),
        "kubectl scale": lambda: diff(desired, scaled, schema=schema),
        "ignore rules (jq + managedFieldsManagers)": lambda: diff(
            desired, scaled, schema=schema, ignore=IGNORE
        ),
        "missing": lambda: diff(desired, None, schema=schema),
    }
    reference = rate(apply_once, 1.0)
    reference_cpu = cpu_rate(apply_once)
    for name, fn in scenarios.items():
        what = f"diff, 3-container Deployment with live defaults and managedFields, {name}"
        print(report(what, rate(fn, 1.0), reference, unit="diffs/s", reference_name="one server-side apply"))
        print(
            "    per CPU-second of this process (steadier when busy): "
            + report("diff", cpu_rate(fn), reference_cpu, unit="diffs/s", reference_name="apply")
        )


if __name__ == "__main__":
    main()
