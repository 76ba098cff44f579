"""Strategic merge patch, one directive at a time: YAML in, YAML out (Kubernetes 1.37 schema).

Every expected result here was checked once against `kubectl patch --local --type strategic`.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from fleetops.core.patch import apply_strategic_merge_patch
from fleetops.core.schema import KubeSchema, load_schema

POD = """
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: frontend}
  finalizers: [example.com/a, example.com/b]
spec:
  containers:
  - name: app
    image: app:1
    args: [--port=80, --verbose]
    env: [{name: A, value: "1"}, {name: B, value: "2"}]
    ports: [{containerPort: 80}, {containerPort: 443}]
  - name: sidecar
    image: sidecar:1
  volumes:
  - {name: data, emptyDir: {}}
  - {name: config, configMap: {name: web-config}}
  tolerations:
  - {key: a, operator: Exists}
"""

CASES: list[tuple[str, str, str]] = [
    (
        "merge key: an item merges with the live item of the same name",
        "spec: {containers: [{name: app, image: app:2}]}",
        "spec.containers: [{name: app, image: app:2, args: [--port=80, --verbose],"
        " env: [{name: A, value: '1'}, {name: B, value: '2'}],"
        " ports: [{containerPort: 80}, {containerPort: 443}]},"
        " {name: sidecar, image: sidecar:1}]",
    ),
    (
        "merge key: a new item goes before the live-only items",
        "spec: {containers: [{name: new, image: new:1}]}",
        "spec.containers[*].name: [new, app, sidecar]",
    ),
    (
        "merge key: nested lists merge by their own keys (env by name, ports by containerPort)",
        "spec: {containers: [{name: app, env: [{name: B, value: changed}], ports: [{containerPort: 8080}]}]}",
        "spec.containers[0].env: [{name: A, value: '1'}, {name: B, value: changed}]",
    ),
    (
        "$patch: delete removes the list item with that key",
        "spec: {containers: [{name: sidecar, $patch: delete}]}",
        "spec.containers[*].name: [app]",
    ),
    (
        "$patch: delete on a map empties it",
        "metadata: {labels: {$patch: delete}}",
        "metadata.labels: {}",
    ),
    (
        "$patch: replace on a map uses the patch's map as is",
        "metadata: {labels: {$patch: replace, only: this}}",
        "metadata.labels: {only: this}",
    ),
    (
        "{$patch: replace} as a list element replaces the whole list",
        "spec: {volumes: [{$patch: replace}, {name: fresh, emptyDir: {}}]}",
        "spec.volumes: [{name: fresh, emptyDir: {}}]",
    ),
    (
        "$retainKeys clears the keys it does not list",
        "spec: {volumes: [{name: config, secret: {secretName: s}, $retainKeys: [name, secret]}]}",
        "spec.volumes: [{name: data, emptyDir: {}}, {name: config, secret: {secretName: s}}]",
    ),
    (
        "$setElementOrder orders a merged list",
        "spec: {$setElementOrder/containers: [{name: sidecar}, {name: app}]}",
        "spec.containers[*].name: [sidecar, app]",
    ),
    (
        "$setElementOrder with a new item and a deletion",
        "spec: {$setElementOrder/containers: [{name: new}, {name: sidecar}],"
        " containers: [{name: new, image: n}, {name: app, $patch: delete}]}",
        "spec.containers[*].name: [new, sidecar]",
    ),
    (
        "$setElementOrder: a live-only item is placed by the live list as the in-place merge left it",
        "spec: {$setElementOrder/containers: [{name: new}],"
        " containers: [{name: app, $patch: delete}, {name: new, image: n}]}",
        "spec.containers[*].name: [sidecar, new]",
    ),
    (
        "$setElementOrder: live items it does not name keep their place",
        "spec: {containers: [{name: app, env: [{name: C, value: '3'}],"
        " $setElementOrder/env: [{name: C}, {name: A}]}]}",
        "spec.containers[0].env[*].name: [C, A, B]",
    ),
    (
        "$deleteFromPrimitiveList removes values from a set-like list",
        "metadata: {$deleteFromPrimitiveList/finalizers: [example.com/a]}",
        "metadata.finalizers: [example.com/b]",
    ),
    (
        "$deleteFromPrimitiveList works on a replaced list too (args)",
        "spec: {containers: [{name: app, $deleteFromPrimitiveList/args: [--verbose]}]}",
        "spec.containers[0].args: [--port=80]",
    ),
    (
        "a primitive list with the merge strategy is merged (finalizers)",
        "metadata: {finalizers: [example.com/c, example.com/a]}",
        "metadata.finalizers: [example.com/c, example.com/a, example.com/b]",
    ),
    (
        "a primitive list without it is replaced (args)",
        "spec: {containers: [{name: app, args: [--quiet]}]}",
        "spec.containers[0].args: [--quiet]",
    ),
    (
        "a list of maps without a merge key is replaced (tolerations)",
        "spec: {tolerations: [{key: b, operator: Exists}]}",
        "spec.tolerations: [{key: b, operator: Exists}]",
    ),
    (
        "null deletes a key",
        "metadata: {labels: {tier: null}}",
        "metadata.labels: {app: web}",
    ),
    (
        "nulls inside a value new to the object are dropped",
        "spec: {securityContext: {runAsUser: 1000, fsGroup: null}}",
        "spec.securityContext: {runAsUser: 1000}",
    ),
    (
        "a new list item is taken as written: its nulls and directives stay (as kubectl does)",
        "spec: {containers: [{name: new, image: null, env: [{name: X, $patch: delete}]}]}",
        "spec.containers[0]: {name: new, image: null, env: [{name: X, $patch: delete}]}",
    ),
    (
        "$patch: replace at a struct replaces the struct",
        "spec: {$patch: replace, containers: [{name: only}]}",
        "spec: {containers: [{name: only}]}",
    ),
]


def _select(obj: Any, selector: str) -> Any:
    """`spec.containers[*].name`, `spec.containers[0].env`: a tiny path language for the tables."""
    value, fanned = obj, False
    for part in selector.split("."):
        name, _, index = part.partition("[")
        if name:
            value = [item[name] for item in value] if fanned else value[name]
        if index == "*]":
            fanned = True
        elif index:
            value = value[int(index[:-1])]
    return value


@pytest.fixture(scope="module")
def schema() -> KubeSchema:
    return load_schema("1.37")


@pytest.mark.parametrize(("title", "patch", "expected"), CASES, ids=[case[0] for case in CASES])
def test_directive(title: str, patch: str, expected: str, schema: KubeSchema) -> None:
    obj = yaml.safe_load(POD)
    result = apply_strategic_merge_patch(obj, yaml.safe_load(patch), schema=schema)
    ((selector, value),) = yaml.safe_load(expected).items()
    if selector in ("spec", "metadata"):
        assert result[selector] == value
    else:
        assert _select(result, selector) == value
    assert obj == yaml.safe_load(POD), "the input object must not be modified"
