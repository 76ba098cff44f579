"""A cluster restarted with the same data directory keeps objects, uids, resourceVersions, token and port."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.kubeconfig import write_kubeconfig


def _kubectl(kubectl: Path, config: Path, home: Path, *args: str, stdin: str | None = None) -> str:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(config)}
    done = subprocess.run(
        [str(kubectl), *args], input=stdin, capture_output=True, text=True, env=env, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


KEPT = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: kept, namespace: default}}\ndata: {{a: {value}}}\n"
CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: notes.example.com}
spec:
  group: example.com
  names: {kind: Note, plural: notes}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
"""


def test_restart_keeps_objects_uids_and_resource_versions(kubectl: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = tmp_path / "kubeconfig"
    home = tmp_path / "home"
    home.mkdir()
    with BackgroundFleet(["keep"], data_dir=data) as fleet:
        cluster = fleet["keep"]
        port = cluster.port
        write_kubeconfig(config, [cluster])
        _kubectl(
            kubectl,
            config,
            home,
            "apply",
            "-f",
            "-",
            stdin=KEPT.format(value="b"),
        )
        _kubectl(kubectl, config, home, "apply", "-f", "-", stdin=CRD)
        _kubectl(kubectl, config, home, "wait", "--for=condition=Established", "crd/notes.example.com")
        _kubectl(
            kubectl,
            config,
            home,
            "apply",
            "-f",
            "-",
            stdin="apiVersion: example.com/v1\nkind: Note\nmetadata: {name: n1, namespace: default}\n"
            "text: hi\n",
        )
        before = json.loads(_kubectl(kubectl, config, home, "get", "configmap", "kept", "-o", "json"))
        revision_before = cluster.state.store.revision if cluster.state else 0
    with BackgroundFleet(["keep"], data_dir=data) as fleet:
        cluster = fleet["keep"]
        assert cluster.port == port
        after = json.loads(_kubectl(kubectl, config, home, "get", "configmap", "kept", "-o", "json"))
        note = json.loads(_kubectl(kubectl, config, home, "get", "note", "n1", "-o", "json"))
        assert note["text"] == "hi"
        assert after["metadata"]["uid"] == before["metadata"]["uid"]
        assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
        _kubectl(
            kubectl,
            config,
            home,
            "apply",
            "-f",
            "-",
            stdin=KEPT.format(value="c"),
        )
        updated = json.loads(_kubectl(kubectl, config, home, "get", "configmap", "kept", "-o", "json"))
        assert int(updated["metadata"]["resourceVersion"]) > revision_before
