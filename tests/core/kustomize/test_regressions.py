"""Differential mismatches found with extra generator seeds, pinned as small builds (the
expected output is what `kubectl kustomize` v5.8.1 printed for the generated case)."""

from __future__ import annotations

import pytest

from fleetops.core.kustomize import MemoryFileSystem, build

DAEMONSET = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: api:1.0
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  ports:
  - port: 80
"""
LEVEL0 = """resources:
- resources.yaml
vars:
- name: SERVICE_NAME
  objref:
    kind: Service
    name: api
    apiVersion: v1
commonAnnotations:
  service: $(SERVICE_NAME).svc
"""
LEVEL1 = """resources:
- ../level0
namePrefix: prod-
replacements:
- source:
    kind: Service
    name: api
  targets:
  - select:
      kind: DaemonSet
      name: api
    fieldPaths:
    - spec.template.metadata.annotations.service
"""


def test_seed_51329_replacement_into_a_shared_common_annotation() -> None:
    """commonAnnotations puts one YAML node in both the DaemonSet's and its template's
    annotations; a replacement writes into it in place, so both show the replaced value and the
    var in it is never expanded there. The Service (not a target) gets the var's value."""
    fs = MemoryFileSystem(
        {
            "/level0/kustomization.yaml": LEVEL0,
            "/level0/resources.yaml": f"{DAEMONSET}---\n{SERVICE}",
            "/level1/kustomization.yaml": LEVEL1,
        }
    )
    manifests = {m["kind"]: m for m in build(fs, "/level1").manifests}
    daemonset, service = manifests["DaemonSet"], manifests["Service"]
    assert daemonset["metadata"]["annotations"] == {"service": "prod-api"}
    assert daemonset["spec"]["template"]["metadata"]["annotations"] == {"service": "prod-api"}
    assert service["metadata"]["annotations"] == {"service": "prod-api.svc"}


STATEFULSET = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      annotations:
        {template_annotation}
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: web:1.0
"""
WITH_VAR = """resources:
- res.yaml
nameSuffix: -v1
commonAnnotations:
  service: $(SERVICE_NAME).svc
vars:
- name: SERVICE_NAME
  objref:
    kind: Service
    name: web
    apiVersion: v1
"""


@pytest.mark.parametrize(
    ("template_annotation", "template_value"),
    [("service: before", "$(SERVICE_NAME).svc"), ("other: x", "web-v1.svc")],
)
def test_seed_102173_a_common_annotation_key_already_set_is_not_shared(
    template_annotation: str, template_value: str
) -> None:
    """Where a map already has the key, kustomize overwrites its node with a copy: the var
    substituted in metadata (a var field) does not reach the StatefulSet template (not one)."""
    statefulset_yaml = STATEFULSET.format(template_annotation=template_annotation)
    resources = f"{statefulset_yaml}---\n{SERVICE.replace('name: api', 'name: web')}"
    fs = MemoryFileSystem({"/app/kustomization.yaml": WITH_VAR, "/app/res.yaml": resources})
    statefulset = next(m for m in build(fs, "/app").manifests if m["kind"] == "StatefulSet")
    assert statefulset["metadata"]["annotations"]["service"] == "web-v1.svc"
    assert statefulset["spec"]["template"]["metadata"]["annotations"]["service"] == template_value
