"""kubectl 1.37.1 against kubesim: typed-client commands (protobuf bodies), edit, label, describe, get -w."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from tests.support.kubesim_clients import Kubectl


def test_create_subcommands_send_protobuf(kube: Kubectl, namespace: str) -> None:
    assert kube.ok("create", "namespace", f"{namespace}-pb").strip() == f"namespace/{namespace}-pb created"
    assert kube.ok("create", "-n", namespace, "configmap", "pb", "--from-literal=a=b").strip() == (
        "configmap/pb created"
    )
    assert kube.ok("create", "-n", namespace, "secret", "generic", "pb", "--from-literal=p=q").strip() == (
        "secret/pb created"
    )
    assert (
        kube.ok("create", "-n", namespace, "serviceaccount", "robot").strip()
        == "serviceaccount/robot created"
    )
    assert kube.json("get", "-n", namespace, "configmap", "pb")["data"] == {"a": "b"}
    secret = kube.json("get", "-n", namespace, "secret", "pb")
    assert (secret["type"], secret["data"]) == ("Opaque", {"p": "cQ=="})
    out = kube.ok(
        "create", "-n", namespace, "deployment", "web", "--image=nginx:1.25", "--replicas=0", "--port=80"
    )
    assert out.strip() == "deployment.apps/web created"
    spec = kube.json("get", "-n", namespace, "deployment", "web")["spec"]
    assert spec["replicas"] == 0 and spec["selector"] == {"matchLabels": {"app": "web"}}
    assert spec["template"]["spec"]["containers"][0]["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert "minReadySeconds" not in spec
    kube.ok("create", "-n", namespace, "job", "once", "--image=busybox:1.36", "--", "echo", "hi")
    job = kube.json("get", "-n", namespace, "job", "once")["spec"]["template"]["spec"]
    assert job["containers"][0]["command"] == ["echo", "hi"] and job["restartPolicy"] == "Never"
    token = kube.ok("create", "-n", namespace, "token", "robot").strip()
    assert token
    kube.ok("delete", "namespace", f"{namespace}-pb", "--wait=false")


def test_edit_label_annotate(kube: Kubectl, namespace: str, tmp_path: Path) -> None:
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ed}\ndata: {a: before}\n",
    )
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/a: before/a: after/' \"$1\"\n")
    editor.chmod(0o755)
    kube.env["EDITOR"] = str(editor)
    assert kube.ok("edit", "-n", namespace, "configmap", "ed").strip() == "configmap/ed edited"
    assert kube.ok("label", "-n", namespace, "configmap", "ed", "tier=x").strip() == "configmap/ed labeled"
    assert (
        kube.ok("annotate", "-n", namespace, "configmap", "ed", "note=y").strip() == "configmap/ed annotated"
    )
    live = kube.json("get", "-n", namespace, "configmap", "ed", "--show-managed-fields")
    assert live["data"] == {"a": "after"}
    assert live["metadata"]["labels"] == {"tier": "x"}
    managers = {entry["manager"] for entry in live["metadata"]["managedFields"]}
    assert {"kubectl-client-side-apply", "kubectl-edit", "kubectl-label", "kubectl-annotate"} <= managers


def test_describe_lists_events_of_the_object(kube: Kubectl, namespace: str) -> None:
    kube.ok(
        "apply", "-n", namespace, "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ev}\n"
    )
    uid = kube.json("get", "-n", namespace, "configmap", "ev")["metadata"]["uid"]
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=textwrap.dedent(f"""
        apiVersion: v1
        kind: Event
        metadata: {{name: ev.1}}
        involvedObject: {{apiVersion: v1, kind: ConfigMap, name: ev, namespace: {namespace}, uid: {uid}}}
        reason: Tested
        message: something happened
        type: Normal
        source: {{component: kubesim-test}}
        count: 1
    """),
    )
    out = kube.ok("describe", "-n", namespace, "configmap", "ev")
    events = out.split("Events:")[1]
    assert "Tested" in events and "something happened" in events and "kubesim-test" in events
    header = kube.ok("get", "-n", namespace, "events").splitlines()[0].split()
    assert header == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]


def test_get_watch_prints_changes(kube: Kubectl, namespace: str) -> None:
    watcher = subprocess.Popen(
        [str(kube.path), "get", "-n", namespace, "configmaps", "-w", "--output-watch-events"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=kube.env,
    )
    try:
        assert watcher.stdout is not None
        first = watcher.stdout.readline().split()
        assert first == ["EVENT", "NAME", "DATA", "AGE"]
        assert watcher.stdout.readline().split()[:3] == ["ADDED", "kube-root-ca.crt", "1"]
        kube.ok(
            "apply",
            "-n",
            namespace,
            "-f",
            "-",
            stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: b}\n",
        )
        assert watcher.stdout.readline().split()[:3] == ["ADDED", "watched", "1"]
        kube.ok("delete", "-n", namespace, "configmap", "watched")
        assert watcher.stdout.readline().split()[:2] == ["DELETED", "watched"]
    finally:
        watcher.kill()
        watcher.communicate()


def test_services_get_cluster_ips(kube: Kubectl, namespace: str) -> None:
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin="apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
        "spec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80}]\n",
    )
    spec = kube.json("get", "-n", namespace, "service", "web")["spec"]
    assert spec["clusterIP"].startswith("10.") and spec["clusterIPs"] == [spec["clusterIP"]]
    assert 30000 <= spec["ports"][0]["nodePort"] <= 32767
    assert spec["ports"][0]["targetPort"] == 80
    row = kube.ok("get", "-n", namespace, "service", "web").splitlines()[1].split()
    assert row[:3] == ["web", "NodePort", spec["clusterIP"]]


def test_more_standard_columns(kube: Kubectl, namespace: str) -> None:
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: '0 3 * * *'\n"
            "  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n"
            "          containers: [{name: c, image: busybox:1.36}]\n"
            "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
            "  rules: [{host: web.example.com}]\n"
        ),
    )
    cron = kube.ok("get", "-n", namespace, "cronjobs").splitlines()
    assert cron[0].split() == ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST", "SCHEDULE", "AGE"]
    assert cron[1].split()[:7] == ["nightly", "0", "3", "*", "*", "*", "<none>"]
    ingress = kube.ok("get", "-n", namespace, "ingresses").splitlines()
    assert ingress[0].split() == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    assert ingress[1].split()[:3] == ["web", "<none>", "web.example.com"]
