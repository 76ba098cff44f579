"""kubectl 1.37.1 against kubesim: version, discovery, client-side apply, get, diff, dry-run, explain.

Expected outputs are kubectl's documented behaviour against a real API server."""

from __future__ import annotations

import textwrap

from tests.support.kubesim_clients import Kubectl

CONFIG_MAP = textwrap.dedent("""
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    data:
      mode: "{mode}"
""")

DEPLOYMENT = textwrap.dedent("""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: {replicas}
      selector:
        matchLabels: {{app: web}}
      template:
        metadata:
          labels: {{app: web}}
        spec:
          containers:
          - name: app
            image: nginx:1.25
""")


def test_version_reports_minor_32(kube: Kubectl) -> None:
    out = kube.ok("version", "-o", "json")
    assert '"minor": "32"' in out


def test_api_resources_lists_builtins_with_short_names(kube: Kubectl) -> None:
    out = kube.ok("api-resources")
    lines = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert lines["deployments"][1:] == ["deploy", "apps/v1", "true", "Deployment"]
    assert lines["configmaps"][1:] == ["cm", "v1", "true", "ConfigMap"]
    assert lines["namespaces"][1:] == ["ns", "v1", "false", "Namespace"]


def test_apply_three_times_created_unchanged_configured(kube: Kubectl, namespace: str) -> None:
    first = kube.ok("apply", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(mode="a"))
    second = kube.ok("apply", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(mode="a"))
    third = kube.ok("apply", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(mode="b"))
    assert first.strip() == "configmap/settings created"
    assert second.strip() == "configmap/settings unchanged"
    assert third.strip() == "configmap/settings configured"
    assert kube.json("get", "-n", namespace, "configmap", "settings")["data"] == {"mode": "b"}


def test_get_prints_the_standard_columns(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT.format(replicas=2))
    header = kube.ok("get", "-n", namespace, "deployments").splitlines()[0].split()
    assert header == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    wide = kube.ok("get", "-n", namespace, "deployments", "-o", "wide").splitlines()[0].split()
    assert wide[-3:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    cm_header = kube.ok("get", "-n", namespace, "configmaps").splitlines()[0].split()
    assert cm_header == ["NAME", "DATA", "AGE"]


def test_get_yaml_shows_server_fields_and_defaults(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT.format(replicas=2))
    live = kube.json("get", "-n", namespace, "deployment", "web")
    metadata = live["metadata"]
    assert metadata["generation"] == 1
    assert metadata["uid"] and metadata["resourceVersion"].isdigit()
    assert metadata["creationTimestamp"].endswith("Z")
    assert live["spec"]["strategy"]["type"] == "RollingUpdate"
    assert live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    yaml_out = kube.ok("get", "-n", namespace, "deployment", "web", "-o", "yaml")
    assert yaml_out.startswith("apiVersion: apps/v1\nkind: Deployment\n")


def test_generation_grows_only_on_spec_changes(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT.format(replicas=2))
    kube.ok("label", "-n", namespace, "deployment", "web", "tier=front")
    assert kube.json("get", "-n", namespace, "deployment", "web")["metadata"]["generation"] == 1
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT.format(replicas=3))
    assert kube.json("get", "-n", namespace, "deployment", "web")["metadata"]["generation"] == 2


def test_diff_exit_codes(kube: Kubectl, namespace: str) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(mode="a"))
    same = kube.run("diff", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(mode="a"))
    changed = kube.run("diff", "-n", namespace, "-f", "-", stdin=CONFIG_MAP.format(mode="b"))
    assert same.returncode == 0, same.stderr
    assert same.stdout == ""
    assert changed.returncode == 1, changed.stderr
    assert "-  mode: a" in changed.stdout and "+  mode: b" in changed.stdout
    assert kube.json("get", "-n", namespace, "configmap", "settings")["data"] == {"mode": "a"}


def test_apply_dry_run_server_writes_nothing(kube: Kubectl, namespace: str) -> None:
    out = kube.ok("apply", "-n", namespace, "--dry-run=server", "-f", "-", stdin=CONFIG_MAP.format(mode="a"))
    assert out.strip() == "configmap/settings created (server dry run)"
    missing = kube.run("get", "-n", namespace, "configmap", "settings")
    assert missing.returncode == 1
    assert 'configmaps "settings" not found' in missing.stderr


def test_strict_decoding_error_for_unknown_field(kube: Kubectl, namespace: str) -> None:
    manifest = CONFIG_MAP.format(mode="a") + "extra: true\n"
    done = kube.run("apply", "-n", namespace, "-f", "-", stdin=manifest)
    assert done.returncode == 1
    assert 'strict decoding error: unknown field "extra"' in done.stderr
    nested = DEPLOYMENT.format(replicas=1).replace("replicas: 1", "replicas: 1\n  bogus: 2")
    done = kube.run("apply", "-n", namespace, "-f", "-", stdin=nested)
    assert 'unknown field "spec.bogus"' in done.stderr


def test_explain_uses_openapi_v3(kube: Kubectl) -> None:
    out = kube.ok("explain", "deployment.spec.replicas")
    assert "KIND:       Deployment" in out
    assert "FIELD: replicas <integer>" in out
    assert "Number of desired pods" in out


def test_get_with_chunk_size_pages_through_everything(kube: Kubectl, namespace: str) -> None:
    manifests = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{index}\ndata:\n  k: v\n"
        for index in range(7)
    )
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=manifests)
    out = kube.ok("get", "-n", namespace, "configmaps", "--chunk-size=2", "-o", "name")
    names = sorted(out.split())
    assert [n for n in names if n.startswith("configmap/c")] == [f"configmap/c{i}" for i in range(7)]


def test_field_validation_warn_and_ignore(kube: Kubectl, namespace: str) -> None:
    manifest = CONFIG_MAP.format(mode="a") + "extra: true\n"
    warned = kube.run("apply", "-n", namespace, "--validate=warn", "-f", "-", stdin=manifest)
    assert warned.returncode == 0, warned.stderr
    assert 'Warning: unknown field "extra"' in warned.stderr
    assert "extra" not in kube.json("get", "-n", namespace, "configmap", "settings")
    ignored = kube.run(
        "apply", "-n", namespace, "--validate=false", "-f", "-", stdin=manifest.replace('"a"', '"b"')
    )
    assert ignored.returncode == 0 and "Warning" not in ignored.stderr
