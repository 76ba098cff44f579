"""The write log, read through the JSON control endpoint."""

from __future__ import annotations

import json
import urllib.request

from tests.support.kubesim_clients import Kubectl

from fleetops.kubesim.fleet import Fleet


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_writes_are_recorded_in_order_with_manager_and_identity(
    kube: Kubectl, namespace: str, kubesim_fleet: Fleet
) -> None:
    control = kubesim_fleet.control.url
    start = _get(f"{control}/clusters/sim/writes")
    assert isinstance(start, dict)
    since = start["total"]
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: logged}\n",
    )
    kube.ok(
        "apply",
        "--dry-run=server",
        "-n",
        namespace,
        "-f",
        "-",
        stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: logged}\ndata: {a: b}\n",
    )
    kube.ok(
        "apply",
        "--server-side",
        "-n",
        namespace,
        "-f",
        "-",
        stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: logged}\ndata: {a: b}\n",
    )
    kube.ok("delete", "-n", namespace, "configmap", "logged")
    log = _get(f"{control}/clusters/sim/writes?since={since}")
    assert isinstance(log, dict)
    mine = [w for w in log["writes"] if w["namespace"] == namespace and w["name"] == "logged"]
    # kubectl's server-side apply of an object once applied client-side also applies the
    # last-applied-configuration annotation, as the field manager `kubectl-last-applied`, then
    # migrates `kubectl-client-side-apply`'s fields to `kubectl` with a JSON patch of
    # managedFields (which the server honours, as API servers do) and applies once more.
    assert [w["verb"] for w in mine] == ["create", "apply", "apply", "patch", "apply", "delete"]
    assert [w["field_manager"] for w in mine[:5]] == [
        "kubectl-client-side-apply",
        "kubectl",
        "kubectl-last-applied",
        "kubectl",
        "kubectl",
    ]
    assert mine[0]["identity"] == "kubernetes-admin"
    assert mine[0]["user_agent"].startswith("kubectl/")
    versions = [int(w["resource_version"]) for w in mine]
    assert versions == sorted(versions) and len(set(versions)) == 6
    clusters = _get(f"{control}/clusters")
    assert isinstance(clusters, list)
    assert clusters[0]["name"] == "sim" and clusters[0]["url"].startswith("https://127.0.0.1:")
