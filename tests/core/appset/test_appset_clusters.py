"""The clusters generator, from Argo CD's documented examples."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fleetops.core.appset import GenerationInputs, GeneratorContext, TemplateMode, generator_params

SecretFactory = Callable[..., dict[str, Any]]


def _params(spec: dict[str, Any], secrets: list[dict[str, Any]], *, go: bool = False) -> list[dict[str, Any]]:
    context = GeneratorContext(TemplateMode(go_template=go), GenerationInputs(cluster_secrets=secrets))
    return generator_params({"clusters": spec}, context)


@pytest.fixture
def fleet(cluster_secret: SecretFactory) -> list[dict[str, Any]]:
    return [
        cluster_secret("staging-1", "https://1.2.3.4", labels={"type": "staging"}),
        cluster_secret(
            "Prod_East",
            "https://2.4.6.8",
            labels={"type": "production"},
            annotations={"team": "sre"},
            project="platform",
        ),
    ]


def test_empty_selector_includes_every_cluster_and_in_cluster(fleet: list[dict[str, Any]]) -> None:
    names = [p["name"] for p in _params({}, fleet)]
    assert names == ["in-cluster", "staging-1", "Prod_East"]


def test_selector_excludes_in_cluster_and_flat_parameters(fleet: list[dict[str, Any]]) -> None:
    (params,) = _params({"selector": {"matchLabels": {"type": "production"}}}, fleet)
    assert params == {
        "name": "Prod_East",
        "nameNormalized": "prod-east",
        "server": "https://2.4.6.8",
        "project": "platform",
        "metadata.labels.argocd.argoproj.io/secret-type": "cluster",
        "metadata.labels.type": "production",
        "metadata.annotations.team": "sre",
    }


def test_match_expressions(fleet: list[dict[str, Any]]) -> None:
    selector = {"matchExpressions": [{"key": "type", "operator": "NotIn", "values": ["production"]}]}
    assert [p["name"] for p in _params({"selector": selector}, fleet)] == ["staging-1"]


def test_values_are_templated_with_cluster_parameters(fleet: list[dict[str, Any]]) -> None:
    spec = {
        "selector": {"matchLabels": {"type": "staging"}},
        "values": {"revision": "HEAD", "app": "{{name}}-x"},
    }
    (params,) = _params(spec, fleet)
    assert params["values.revision"] == "HEAD"
    assert params["values.app"] == "staging-1-x"


def test_go_template_parameters_are_nested(fleet: list[dict[str, Any]]) -> None:
    spec = {
        "selector": {"matchLabels": {"type": "production"}},
        "values": {"team": "{{.metadata.annotations.team}}"},
    }
    (params,) = _params(spec, fleet, go=True)
    assert params["metadata"]["labels"]["type"] == "production"
    assert params["values"] == {"team": "sre"}


def test_secret_naming_in_cluster_suppresses_the_implicit_one(cluster_secret: SecretFactory) -> None:
    secrets = [cluster_secret("hub", "https://kubernetes.default.svc")]
    assert [p["name"] for p in _params({}, secrets)] == ["hub"]


def test_non_cluster_secrets_are_ignored(cluster_secret: SecretFactory) -> None:
    repo = cluster_secret("repo", "https://x")
    repo["metadata"]["labels"]["argocd.argoproj.io/secret-type"] = "repository"
    assert [p["name"] for p in _params({}, [repo])] == ["in-cluster"]
