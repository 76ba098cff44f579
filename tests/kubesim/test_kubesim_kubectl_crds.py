"""kubectl 1.37.1 against kubesim: CustomResourceDefinitions and custom resources."""

from __future__ import annotations

import textwrap

from tests.support.kubesim_clients import Kubectl

CRD = textwrap.dedent("""
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: {plural}.example.com
    spec:
      group: example.com
      names: {{kind: {kind}, plural: {plural}, singular: {singular}, shortNames: [{short}]}}
      scope: Namespaced
      versions:
      - name: v1
        served: true
        storage: true
        subresources:
          status: {{}}
          scale: {{specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}}
        additionalPrinterColumns:
        - {{name: Color, type: string, jsonPath: .spec.color}}
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                required: [color]
                properties:
                  color: {{type: string, enum: [red, blue]}}
                  size: {{type: integer, default: 3, minimum: 1}}
                  replicas: {{type: integer}}
              status:
                type: object
                properties:
                  replicas: {{type: integer}}
""")


def _install(kube: Kubectl, kind: str) -> str:
    plural = kind.lower() + "s"
    manifest = CRD.format(kind=kind, plural=plural, singular=kind.lower(), short=kind.lower()[:3] + "x")
    out = kube.ok("apply", "-f", "-", stdin=manifest)
    assert out.strip() == f"customresourcedefinition.apiextensions.k8s.io/{plural}.example.com created"
    waited = kube.ok("wait", "--for=condition=Established", f"crd/{plural}.example.com", "--timeout=10s")
    assert "condition met" in waited
    return plural


def _resource(kind: str, name: str, spec: str) -> str:
    return f"apiVersion: example.com/v1\nkind: {kind}\nmetadata:\n  name: {name}\nspec: {spec}\n"


def test_crd_is_established_and_served(kube: Kubectl, namespace: str) -> None:
    plural = _install(kube, "Gadget")
    crd = kube.json("get", "crd", f"{plural}.example.com")
    conditions = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert conditions == {"NamesAccepted": "True", "Established": "True"}
    resources = kube.ok("api-resources", "--api-group=example.com")
    assert "gadgets" in resources and "gadx" in resources
    assert (
        kube.ok("apply", "-n", namespace, "-f", "-", stdin=_resource("Gadget", "g1", "{color: red}")).strip()
        == "gadget.example.com/g1 created"
    )
    live = kube.json("get", "-n", namespace, "gadget", "g1")
    assert live["spec"] == {"color": "red", "size": 3}
    assert live["metadata"]["generation"] == 1
    table = kube.ok("get", "-n", namespace, "gadx").splitlines()
    assert table[0].split() == ["NAME", "COLOR", "AGE"]
    assert table[1].split()[:2] == ["g1", "red"]


def test_custom_resource_crud_patch_and_scale(kube: Kubectl, namespace: str) -> None:
    _install(kube, "Widget")
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=_resource("Widget", "w1", "{color: red, replicas: 1}"))
    kube.ok("patch", "-n", namespace, "widget", "w1", "--type=merge", "-p", '{"spec":{"color":"blue"}}')
    smp = kube.run("patch", "-n", namespace, "widget", "w1", "-p", '{"spec":{"color":"red"}}')
    assert smp.returncode == 1
    assert "the body of the request was in an unknown format" in smp.stderr
    kube.ok("scale", "-n", namespace, "widget", "w1", "--replicas=3")
    live = kube.json("get", "-n", namespace, "widget", "w1")
    assert live["spec"]["color"] == "blue" and live["spec"]["replicas"] == 3
    assert live["metadata"]["generation"] == 3
    kube.ok("delete", "-n", namespace, "widget", "w1")
    assert kube.ok("get", "-n", namespace, "widgets", "-o", "name").strip() == ""


def test_schema_violations_are_422(kube: Kubectl, namespace: str) -> None:
    _install(kube, "Doohickey")
    bad_enum = kube.run(
        "apply", "-n", namespace, "-f", "-", stdin=_resource("Doohickey", "d1", "{color: pink}")
    )
    assert bad_enum.returncode == 1
    assert (
        'The Doohickey "d1" is invalid: spec.color: Unsupported value: "pink": '
        'supported values: "red", "blue"' in bad_enum.stderr
    )
    bad_type = kube.run(
        "apply", "-n", namespace, "-f", "-", stdin=_resource("Doohickey", "d2", "{color: red, size: big}")
    )
    assert (
        'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"'
        in bad_type.stderr
    )
    missing = kube.run("apply", "-n", namespace, "-f", "-", stdin=_resource("Doohickey", "d3", "{size: 2}"))
    assert "spec.color: Required value" in missing.stderr


def test_unknown_fields_of_custom_resources(kube: Kubectl, namespace: str) -> None:
    _install(kube, "Gizmo")
    strict = kube.run(
        "apply", "-n", namespace, "-f", "-", stdin=_resource("Gizmo", "z1", "{color: red, shade: 2}")
    )
    assert 'strict decoding error: unknown field "spec.shade"' in strict.stderr
    kube.ok(
        "apply",
        "--validate=false",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=_resource("Gizmo", "z1", "{color: red, shade: 2}"),
    )
    assert kube.json("get", "-n", namespace, "gizmo", "z1")["spec"] == {"color": "red", "size": 3}


def test_deleting_a_crd_deletes_its_resources(kube: Kubectl, namespace: str) -> None:
    plural = _install(kube, "Thing")
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=_resource("Thing", "t1", "{color: red}"))
    kube.ok("delete", "crd", f"{plural}.example.com", "--timeout=20s")
    gone = kube.run("get", "crd", f"{plural}.example.com")
    assert gone.returncode == 1
    assert "not found" in gone.stderr
