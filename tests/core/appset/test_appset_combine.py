"""Matrix and merge generators, from Argo CD's documented examples."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fleetops.core.appset import GenerationInputs, GeneratorError, generate

SecretFactory = Callable[..., dict[str, Any]]


def _appset(generators: list[Any], name: str, *, go: bool = False) -> dict[str, Any]:
    return {
        "kind": "ApplicationSet",
        "metadata": {"name": "set", "namespace": "argocd"},
        "spec": {
            "goTemplate": go,
            "generators": generators,
            "template": {"metadata": {"name": name}, "spec": {"project": "default"}},
        },
    }


def test_matrix_git_directories_times_clusters(memory_tree: Any, cluster_secret: SecretFactory) -> None:
    tree = memory_tree({"addons/argo-workflows/k.yaml": "", "addons/prometheus/k.yaml": ""})
    secrets = [
        cluster_secret("staging", "https://1.2.3.4", labels={"argocd.argoproj.io/secret-type": "cluster"}),
        cluster_secret("prod", "https://2.4.6.8", labels={"env": "prod"}),
    ]
    matrix = {
        "matrix": {
            "generators": [
                {"git": {"repoURL": "https://x", "revision": "HEAD", "directories": [{"path": "addons/*"}]}},
                {"clusters": {"selector": {"matchLabels": {"argocd.argoproj.io/secret-type": "cluster"}}}},
            ]
        }
    }
    inputs = GenerationInputs(cluster_secrets=secrets, repo=tree)
    names = [a["metadata"]["name"] for a in generate(_appset([matrix], "{{path.basename}}-{{name}}"), inputs)]
    assert names == ["argo-workflows-staging", "argo-workflows-prod", "prometheus-staging", "prometheus-prod"]


def test_matrix_second_child_uses_first_parameters() -> None:
    matrix = {
        "matrix": {
            "generators": [
                {"list": {"elements": [{"env": "dev"}, {"env": "prod"}]}},
                {"list": {"elementsYaml": "- app: '{{env}}-api'\n- app: '{{env}}-web'\n"}},
            ]
        }
    }
    names = [a["metadata"]["name"] for a in generate(_appset([matrix], "{{app}}"))]
    assert names == ["dev-api", "dev-web", "prod-api", "prod-web"]


def test_matrix_needs_two_children_and_consistent_keys() -> None:
    with pytest.raises(GeneratorError, match="exactly 2"):
        generate(_appset([{"matrix": {"generators": [{"list": {"elements": [{"a": "1"}]}}]}}], "x"))
    clash = {
        "matrix": {"generators": [{"list": {"elements": [{"a": "1"}]}}, {"list": {"elements": [{"a": "2"}]}}]}
    }
    with pytest.raises(GeneratorError, match="duplicate key a"):
        generate(_appset([clash], "{{a}}"))


def test_matrix_go_template_deep_merges() -> None:
    first = {"list": {"elements": [{"cluster": {"name": "c1"}}]}}
    second = {"list": {"elements": [{"cluster": {"zone": "z"}}]}}
    (app,) = generate(
        _appset([{"matrix": {"generators": [first, second]}}], "{{.cluster.name}}-{{.cluster.zone}}", go=True)
    )
    assert app["metadata"]["name"] == "c1-z"


def test_merge_documented_example(cluster_secret: SecretFactory) -> None:
    secrets = [
        cluster_secret("c1", "https://1.2.3.4", labels={"use-kafka": "false"}),
        cluster_secret("c2", "https://2.4.6.8"),
    ]
    merge = {
        "merge": {
            "mergeKeys": ["server"],
            "generators": [
                {"clusters": {"values": {"kafka": "true", "redis": "false"}}},
                {
                    "clusters": {
                        "selector": {"matchLabels": {"use-kafka": "false"}},
                        "values": {"kafka": "false"},
                    }
                },
                {"list": {"elements": [{"server": "https://2.4.6.8", "values.redis": "true"}]}},
            ],
        }
    }
    apps = generate(
        _appset([merge], "{{name}}-kafka-{{values.kafka}}-redis-{{values.redis}}"),
        GenerationInputs(cluster_secrets=secrets, include_in_cluster=False),
    )
    assert [a["metadata"]["name"] for a in apps] == ["c1-kafka-false-redis-false", "c2-kafka-true-redis-true"]


def test_merge_requires_keys_and_unique_base() -> None:
    children = [{"list": {"elements": [{"k": "1"}, {"k": "1"}]}}, {"list": {"elements": []}}]
    with pytest.raises(GeneratorError, match="mergeKeys is required"):
        generate(_appset([{"merge": {"generators": children}}], "x"))
    with pytest.raises(GeneratorError, match="duplicate mergeKeys"):
        generate(_appset([{"merge": {"mergeKeys": ["k"], "generators": children}}], "x"))
