"""kubectl 1.37.1 against kubesim: server-side apply, patches, scale, deletion, namespaces, wait."""

from __future__ import annotations

import json
import textwrap

from tests.support.kubesim_clients import Kubectl

CONFIG_MAP = textwrap.dedent("""
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: shared
    data:
      owner: "{value}"
""")

DEPLOYMENT = textwrap.dedent("""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      replicas: 1
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          containers:
          - name: app
            image: example/api:1.0
            env:
            - {name: A, value: "1"}
""")


def test_server_side_apply_conflict_and_force(kube: Kubectl, namespace: str) -> None:
    first = kube.ok(
        "apply", "--server-side", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(value="one")
    )
    assert first.strip() == "configmap/shared serverside-applied"
    clash = kube.run(
        "apply",
        "--server-side",
        "--field-manager=other",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=CONFIG_MAP.format(value="two"),
    )
    assert clash.returncode == 1
    assert 'Apply failed with 1 conflict: conflict with "kubectl": .data.owner' in clash.stderr
    assert "--force-conflicts" in clash.stderr
    forced = kube.ok(
        "apply",
        "--server-side",
        "--field-manager=other",
        "--force-conflicts",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=CONFIG_MAP.format(value="two"),
    )
    assert forced.strip() == "configmap/shared serverside-applied"
    live = kube.json("get", "-n", namespace, "configmap", "shared", "--show-managed-fields")
    managers = {entry["manager"]: entry for entry in live["metadata"]["managedFields"]}
    assert live["data"] == {"owner": "two"}
    assert managers["other"]["operation"] == "Apply"
    assert managers["other"]["fieldsV1"] == {"f:data": {"f:owner": {}}}
    assert "kubectl" not in managers


def test_managed_fields_hidden_unless_asked(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "--server-side", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(value="x"))
    plain = kube.ok("get", "-n", namespace, "configmap", "shared", "-o", "yaml")
    shown = kube.ok("get", "-n", namespace, "configmap", "shared", "-o", "yaml", "--show-managed-fields")
    assert "managedFields" not in plain
    assert "managedFields:" in shown and "manager: kubectl" in shown


def test_patch_strategic_merge_json(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT)
    out = kube.ok(
        "patch",
        "-n",
        namespace,
        "deployment",
        "api",
        "-p",
        '{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"2"}]}]}}}}',
    )
    assert out.strip() == "deployment.apps/api patched"
    container = kube.json("get", "-n", namespace, "deployment", "api")["spec"]["template"]["spec"][
        "containers"
    ][0]
    assert container["env"] == [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]
    kube.ok(
        "patch",
        "-n",
        namespace,
        "deployment",
        "api",
        "--type=merge",
        "-p",
        '{"metadata":{"labels":{"tier":"backend"}}}',
    )
    kube.ok(
        "patch",
        "-n",
        namespace,
        "deployment",
        "api",
        "--type=json",
        "-p",
        '[{"op":"replace","path":"/spec/replicas","value":4}]',
    )
    live = kube.json("get", "-n", namespace, "deployment", "api")
    assert live["metadata"]["labels"] == {"tier": "backend"}
    assert live["spec"]["replicas"] == 4
    managers = {
        e["manager"]
        for e in kube.json("get", "-n", namespace, "deployment", "api", "--show-managed-fields")["metadata"][
            "managedFields"
        ]
    }
    assert "kubectl-patch" in managers
    unchanged = kube.ok(
        "patch", "-n", namespace, "deployment", "api", "--type=merge", "-p", '{"spec":{"replicas":4}}'
    )
    assert unchanged.strip() == "deployment.apps/api patched (no change)"


def test_scale_uses_the_scale_subresource(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT)
    assert kube.ok("scale", "-n", namespace, "deployment", "api", "--replicas=5").strip() == (
        "deployment.apps/api scaled"
    )
    assert kube.json("get", "-n", namespace, "deployment", "api")["spec"]["replicas"] == 5


def _owned_config_map(kube: Kubectl, namespace: str, owner: str, name: str) -> None:
    uid = kube.json("get", "-n", namespace, "configmap", owner)["metadata"]["uid"]
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=textwrap.dedent(f"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          ownerReferences:
          - {{apiVersion: v1, kind: ConfigMap, name: {owner}, uid: {uid}, blockOwnerDeletion: true}}
    """),
    )


def _names(kube: Kubectl, namespace: str) -> set[str]:
    out = kube.ok("get", "-n", namespace, "configmaps", "-o", "name")
    return {line.removeprefix("configmap/") for line in out.split()} - {"kube-root-ca.crt"}


def test_delete_cascade_background_foreground_orphan(kube: Kubectl, namespace: str) -> None:
    for mode in ("background", "foreground", "orphan"):
        kube.ok(
            "apply",
            "-n",
            namespace,
            "-f",
            "-",
            stdin=f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owner-{mode}\n",
        )
        _owned_config_map(kube, namespace, f"owner-{mode}", f"child-{mode}")
        out = kube.ok("delete", "-n", namespace, "configmap", f"owner-{mode}", f"--cascade={mode}")
        assert out.strip() == f'configmap "owner-{mode}" deleted from {namespace} namespace'
    kube.ok("wait", "-n", namespace, "--for=delete", "configmap/child-background", "--timeout=10s")
    remaining = _names(kube, namespace)
    assert remaining == {"child-orphan"}
    orphan = kube.json("get", "-n", namespace, "configmap", "child-orphan")
    assert "ownerReferences" not in orphan["metadata"]


def test_finalizers_hold_deletion_until_removed(kube: Kubectl, namespace: str) -> None:
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n",
    )
    kube.ok("delete", "-n", namespace, "configmap", "held", "--wait=false")
    held = kube.json("get", "-n", namespace, "configmap", "held")
    assert held["metadata"]["deletionTimestamp"]
    kube.ok(
        "patch",
        "-n",
        namespace,
        "configmap",
        "held",
        "--type=merge",
        "-p",
        '{"metadata":{"finalizers":null}}',
    )
    kube.ok("wait", "-n", namespace, "--for=delete", "configmap/held", "--timeout=10s")


def test_namespace_deletion_purges_contents(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT)
    sa = kube.json("get", "-n", namespace, "serviceaccount", "default")
    assert sa["metadata"]["name"] == "default"
    assert "ca.crt" in kube.json("get", "-n", namespace, "configmap", "kube-root-ca.crt")["data"]
    out = kube.ok("delete", "namespace", namespace, "--timeout=20s")
    assert out.strip() == f'namespace "{namespace}" deleted'
    gone = kube.run("get", "namespace", namespace)
    assert gone.returncode == 1 and f'namespaces "{namespace}" not found' in gone.stderr
    missing = kube.run("apply", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(value="x"))
    assert f'namespaces "{namespace}" not found' in missing.stderr


def test_new_objects_in_a_terminating_namespace_are_forbidden(kube: Kubectl, namespace: str) -> None:
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n",
    )
    kube.ok("delete", "namespace", namespace, "--wait=false")
    assert kube.json("get", "namespace", namespace)["status"]["phase"] == "Terminating"
    refused = kube.run("apply", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(value="x"))
    assert refused.returncode == 1
    assert (
        f'configmaps "shared" is forbidden: unable to create new content in namespace {namespace} '
        "because it is being terminated"
    ) in refused.stderr
    kube.ok(
        "patch",
        "-n",
        namespace,
        "configmap",
        "held",
        "--type=merge",
        "-p",
        '{"metadata":{"finalizers":null}}',
    )
    kube.ok("wait", "--for=delete", f"namespace/{namespace}", "--timeout=10s")


def test_a_json_patch_of_managed_fields_replaces_them(kube: Kubectl, namespace: str) -> None:
    """As on an API server: a write that sets metadata.managedFields replaces them (Flux and Argo
    CD take fields over this way); a stale resourceVersion `test` op fails the patch."""
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(value="x"))
    live = kube.json("get", "-n", namespace, "configmap", "shared", "--show-managed-fields")
    entries = live["metadata"]["managedFields"]
    assert [e["manager"] for e in entries] == ["kubectl-client-side-apply"]
    taken = [{**entries[0], "manager": "fleetops", "operation": "Apply"}]
    version = live["metadata"]["resourceVersion"]
    stale = kube.run(
        "patch", "-n", namespace, "configmap", "shared", "--type=json",
        "-p", json.dumps([
            {"op": "test", "path": "/metadata/resourceVersion", "value": version + "0"},
            {"op": "replace", "path": "/metadata/managedFields", "value": taken},
        ]),
    )  # fmt: skip
    assert stale.returncode == 1
    kube.ok(
        "patch", "-n", namespace, "configmap", "shared", "--type=json",
        "-p", json.dumps([
            {"op": "test", "path": "/metadata/resourceVersion", "value": version},
            {"op": "replace", "path": "/metadata/managedFields", "value": taken},
        ]),
    )  # fmt: skip
    after = kube.json("get", "-n", namespace, "configmap", "shared", "--show-managed-fields")
    managers = {(e["manager"], e["operation"]): e for e in after["metadata"]["managedFields"]}
    assert list(managers) == [("fleetops", "Apply")]
    assert managers["fleetops", "Apply"]["fieldsV1"] == entries[0]["fieldsV1"]
    assert after["data"] == {"owner": "x"}
