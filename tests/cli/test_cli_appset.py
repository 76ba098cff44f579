"""`fleetops appset generate FILE`: the seed's ApplicationSet, git generators over a checkout, errors."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from fleetops.cli import app

runner = CliRunner()
SEED = Path("/work/shared/seed/examples/applicationset.yaml")


def _secret(name: str, environment: str) -> dict[str, Any]:
    data = {"name": name, "server": f"https://{name}.example:6443", "config": "{}"}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": f"cluster-{name}",
            "labels": {"argocd.argoproj.io/secret-type": "cluster", "environment": environment},
        },
        "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
    }


def _secrets_file(tmp_path: Path) -> Path:
    clusters = [(n, "production") for n in ("prod-us-east-1", "prod-us-west-2", "prod-eu-west-1")]
    clusters += [("dev", "development"), ("staging", "staging")]
    path = tmp_path / "clusters.yaml"
    path.write_text(yaml.safe_dump_all([_secret(n, e) for n, e in clusters]))
    return path


def test_seed_applicationset_with_cluster_secrets_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app.build_app(), ["appset", "generate", str(SEED), "--cluster-secrets", str(_secrets_file(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    apps = list(yaml.safe_load_all(result.stdout))
    assert [a["metadata"]["name"] for a in apps] == [
        "prod-us-east-1-platform",
        "prod-us-west-2-platform",
        "prod-eu-west-1-platform",
    ]
    assert {a["spec"]["project"] for a in apps} == {"platform"}
    assert apps[0]["spec"]["source"]["path"] == "clusters/prod-us-east-1/platform"
    assert apps[0]["spec"]["destination"]["server"] == "https://prod-us-east-1.example:6443"
    assert apps[0]["metadata"]["namespace"] == "fleetops"


def test_git_directories_from_a_local_checkout(tmp_path: Path) -> None:
    for name in ("guestbook", "helm-guestbook", ".hidden"):
        (tmp_path / "repo" / "apps" / name).mkdir(parents=True)
    appset = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": "apps", "namespace": "argocd"},
        "spec": {
            "goTemplate": True,
            "generators": [{"git": {"repoURL": "https://x", "revision": "HEAD", "directories": [
                {"path": "apps/*"}, {"path": "apps/helm-*", "exclude": True}]}}],
            "template": {"metadata": {"name": "{{ .path.basename }}"},
                         "spec": {"source": {"path": "{{ .path.path }}"}}},
        },
    }  # fmt: skip
    file = tmp_path / "appset.yaml"
    file.write_text(yaml.safe_dump(appset))
    result = runner.invoke(
        app.build_app(), ["appset", "generate", str(file), "--repo-dir", str(tmp_path / "repo")]
    )
    assert result.exit_code == 0, result.output
    (only,) = yaml.safe_load_all(result.stdout)
    assert only["metadata"] == {
        "name": "guestbook",
        "namespace": "argocd",
        "finalizers": ["resources-finalizer.argocd.argoproj.io"],
    }
    assert only["spec"]["source"]["path"] == "apps/guestbook"


def test_generation_errors_are_one_line(tmp_path: Path) -> None:
    appset = {
        "kind": "ApplicationSet",
        "metadata": {"name": "dup"},
        "spec": {
            "generators": [{"list": {"elements": [{"c": "a"}, {"c": "a"}]}}],
            "template": {"metadata": {"name": "{{c}}"}, "spec": {}},
        },
    }
    file = tmp_path / "appset.yaml"
    file.write_text(yaml.safe_dump(appset))
    result = runner.invoke(app.build_app(), ["appset", "generate", str(file)])
    assert result.exit_code == 1
    assert "ApplicationSet dup contains applications with duplicate name: a" in result.output


def test_cluster_sources_are_exclusive(tmp_path: Path) -> None:
    args = ["appset", "generate", str(SEED), "--cluster-secrets", str(_secrets_file(tmp_path))]
    result = runner.invoke(app.build_app(), [*args, "--clusters-from", "hub"])
    assert result.exit_code == 2
    assert "mutually exclusive" in result.output


def test_no_applicationset_in_file(tmp_path: Path) -> None:
    file = tmp_path / "cm.yaml"
    file.write_text("kind: ConfigMap\nmetadata: {name: x}\n")
    result = runner.invoke(app.build_app(), ["appset", "generate", str(file)])
    assert result.exit_code == 1
    assert "no ApplicationSet found" in result.output


def test_cluster_secrets_from_the_hub(tmp_path: Path) -> None:
    from tests.embedded.hub_thread import HubThread  # noqa: PLC0415

    appset = {
        "kind": "ApplicationSet",
        "metadata": {"name": "everywhere"},
        "spec": {
            "generators": [{"clusters": {}}],
            "template": {
                "metadata": {"name": "{{name}}-base"},
                "spec": {"destination": {"server": "{{server}}"}},
            },
        },
    }
    file = tmp_path / "appset.yaml"
    file.write_text(yaml.safe_dump(appset))
    with HubThread(tmp_path / "hub", rewrites={}) as stack:
        result = runner.invoke(
            app.build_app(),
            ["appset", "generate", str(file), "--clusters-from", "hub"],
            env={"KUBECONFIG": str(stack.kubeconfig)},
        )
    assert result.exit_code == 0, result.output
    apps = list(yaml.safe_load_all(result.stdout))
    assert [a["metadata"]["name"] for a in apps] == ["in-cluster-base", "spoke-base"]
    assert apps[0]["spec"]["destination"]["server"] == "https://kubernetes.default.svc"
