"""Application accessors: YAML in, typed data out (seed Application, multi-source, overrides)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetops.core import app as applications

# The seed and other shared files (tests/conftest.py's rule, without importing it by name).
SHARED_DIR = Path(os.environ.get("FLEETOPS_SHARED_DIR", Path(__file__).resolve().parents[4] / "shared"))


def _load(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(textwrap.dedent(text))
    return loaded


@pytest.fixture
def seed_app() -> dict[str, Any]:
    path = SHARED_DIR / "seed" / "examples" / "application.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not checked out here)")
    return _load(path.read_text())


def test_seed_application(seed_app: dict[str, Any]) -> None:
    (source,) = applications.sources(seed_app)
    assert not applications.has_multiple_sources(seed_app)
    assert applications.repo_url(source) == "https://github.com/org/gitops-config"
    assert applications.path(source) == "apps/payment-service/overlays/production"
    assert applications.target_revision(source) == "main"
    assert applications.destination(seed_app) == applications.Destination(
        server="https://kubernetes.default.svc", namespace="payments"
    )
    assert applications.destination(seed_app).is_hub
    assert applications.project(seed_app) == "default"
    assert applications.revision_history_limit(seed_app) == 10
    assert applications.kustomize_overrides(source).empty
    assert applications.declared_source_type(source) is None
    assert applications.unsupported_fields(seed_app) == []
    assert applications.spec_errors(seed_app) == []


def test_defaults_for_a_minimal_application() -> None:
    app = _load("""
        spec:
          source: {repoURL: https://example.com/r.git}
          destination: {name: in-cluster}
    """)
    source = applications.primary_source(app)
    assert (applications.path(source), applications.target_revision(source)) == (".", "HEAD")
    assert applications.project(app) == "default"
    assert applications.destination(app).is_hub
    assert applications.ignore_differences(app) == []
    assert applications.primary_source({}) == {}


def test_sources_win_over_source() -> None:
    app = _load("""
        spec:
          source: {repoURL: https://ignored}
          sources:
          - {repoURL: https://a, path: one, targetRevision: v1}
          - {repoURL: https://b, ref: values}
    """)
    assert applications.has_multiple_sources(app)
    assert [applications.repo_url(s) for s in applications.sources(app)] == ["https://a", "https://b"]
    assert applications.ref(applications.sources(app)[1]) == "values"
    assert applications.repo_url(applications.primary_source(app)) == "https://a"


def test_empty_sources_fall_back_to_source() -> None:
    app = _load("spec: {source: {repoURL: https://a}, sources: []}")
    assert [applications.repo_url(s) for s in applications.sources(app)] == ["https://a"]


def test_kustomize_overrides() -> None:
    source = _load("""
        repoURL: https://a
        kustomize:
          images: [nginx=registry.example.com/nginx:1.27, redis:7]
          namePrefix: prod-
          nameSuffix: -eu
          namespace: shop
          commonLabels: {team: payments, tier: 1}
          commonAnnotations: {owner: pay}
          replicas: [{name: api, count: 3}, {name: worker, count: "2"}]
          patches:
          - {target: {kind: Deployment}, patch: "- op: remove\\n  path: /spec/replicas"}
          components: [../components/tls]
    """)
    overrides = applications.kustomize_overrides(source)
    assert overrides.images == ("nginx=registry.example.com/nginx:1.27", "redis:7")
    assert (overrides.name_prefix, overrides.name_suffix, overrides.namespace) == ("prod-", "-eu", "shop")
    assert overrides.common_labels == {"team": "payments", "tier": "1"}
    assert overrides.common_annotations == {"owner": "pay"}
    assert overrides.replicas == (applications.Replica("api", 3), applications.Replica("worker", "2"))
    assert overrides.patches[0]["target"] == {"kind": "Deployment"}
    assert overrides.components == ("../components/tls",)
    assert not overrides.empty
    assert applications.declared_source_type(source) is applications.SourceType.KUSTOMIZE


def test_directory_options() -> None:
    source = _load("{repoURL: r, path: p, directory: {recurse: true, include: '*.yaml', exclude: 'x/*'}}")
    assert applications.directory_options(source) == applications.DirectoryOptions(True, "*.yaml", "x/*")
    assert applications.declared_source_type(source) is applications.SourceType.DIRECTORY
    assert applications.directory_options({}) == applications.DirectoryOptions()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"chart": "nginx"}, applications.SourceType.HELM),
        ({"helm": {"valueFiles": ["v.yaml"]}}, applications.SourceType.HELM),
        ({"plugin": {}}, applications.SourceType.PLUGIN),
        ({"kustomize": {}}, None),
        ({}, None),
    ],
)
def test_declared_source_type(source: dict[str, Any], expected: applications.SourceType | None) -> None:
    assert applications.declared_source_type(source) is expected


@pytest.mark.parametrize(
    ("destination", "is_hub"),
    [
        ({"server": "https://kubernetes.default.svc"}, True),
        ({"server": "https://kubernetes.default.svc/"}, True),
        ({"name": "in-cluster"}, True),
        ({"server": "https://10.0.0.1:6443"}, False),
        ({"name": "prod-us-east-1"}, False),
    ],
)
def test_destination_hub(destination: dict[str, str], is_hub: bool) -> None:
    assert applications.destination({"spec": {"destination": destination}}).is_hub is is_hub


def test_spec_fields() -> None:
    app = _load("""
        spec:
          project: platform
          revisionHistoryLimit: 3
          info: [{name: url, value: https://x}]
          ignoreDifferences: [{group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}]
    """)
    assert applications.project(app) == "platform"
    assert applications.revision_history_limit(app) == 3
    assert applications.info(app) == [("url", "https://x")]
    assert applications.ignore_differences(app)[0]["jsonPointers"] == ["/spec/replicas"]
