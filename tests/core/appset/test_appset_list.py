"""The list generator and post-selectors, from Argo CD's documented examples."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from fleetops.core.appset import GeneratorError, generate

ELEMENTS = [
    {"cluster": "engineering-dev", "url": "https://kubernetes.default.svc"},
    {"cluster": "engineering-prod", "url": "https://kubernetes.default.svc"},
]


def _appset(name: str, generators: list[Any], *, go: bool = False) -> dict[str, Any]:
    dot = "." if go else ""

    def ref(key: str) -> str:
        return "{{" + dot + key + "}}"

    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": "guestbook", "namespace": "argocd"},
        "spec": {
            "goTemplate": go,
            "generators": generators,
            "template": {
                "metadata": {"name": name},
                "spec": {
                    "project": "my-project",
                    "source": {
                        "repoURL": "https://github.com/argoproj/argo-cd.git",
                        "targetRevision": "HEAD",
                        "path": "applicationset/examples/list-generator/guestbook/" + ref("cluster"),
                    },
                    "destination": {"server": ref("url"), "namespace": "guestbook"},
                },
            },
        },
    }


@pytest.mark.parametrize("go", [False, True])
def test_list_generator_documented_example(go: bool) -> None:
    ref = "{{.cluster}}" if go else "{{cluster}}"
    apps = generate(_appset(ref + "-guestbook", [{"list": {"elements": ELEMENTS}}], go=go))
    assert [a["metadata"]["name"] for a in apps] == [
        "engineering-dev-guestbook",
        "engineering-prod-guestbook",
    ]
    assert apps[0]["metadata"]["namespace"] == "argocd"
    assert (
        apps[0]["spec"]["source"]["path"]
        == "applicationset/examples/list-generator/guestbook/engineering-dev"
    )
    assert apps[1]["spec"]["destination"] == {
        "server": "https://kubernetes.default.svc",
        "namespace": "guestbook",
    }


def test_elements_yaml() -> None:
    generator = {"list": {"elementsYaml": yaml.safe_dump(ELEMENTS)}}
    apps = generate(_appset("{{cluster}}", [generator]))
    assert [a["metadata"]["name"] for a in apps] == ["engineering-dev", "engineering-prod"]


def test_post_selector_keeps_matching_parameter_sets() -> None:
    elements = [{**ELEMENTS[0], "env": "staging"}, {**ELEMENTS[1], "env": "prod"}]
    generator = {"list": {"elements": elements}, "selector": {"matchLabels": {"env": "staging"}}}
    apps = generate(_appset("{{cluster}}", [generator]))
    assert [a["metadata"]["name"] for a in apps] == ["engineering-dev"]


def test_post_selector_match_expressions() -> None:
    elements = [{**ELEMENTS[0], "env": "staging"}, {**ELEMENTS[1], "env": "prod"}]
    selector = {"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "qa"]}]}
    apps = generate(_appset("{{cluster}}", [{"list": {"elements": elements}, "selector": selector}]))
    assert [a["metadata"]["name"] for a in apps] == ["engineering-prod"]


def test_flat_mode_values_map_and_non_string_error() -> None:
    elements = [{"cluster": "a", "values": {"replicas": "2"}}]
    app = generate(_appset("{{cluster}}-{{values.replicas}}", [{"list": {"elements": elements}}]))[0]
    assert app["metadata"]["name"] == "a-2"
    with pytest.raises(GeneratorError, match="as string"):
        generate(_appset("{{cluster}}", [{"list": {"elements": [{"cluster": "a", "n": 3}]}}]))


def test_generator_level_template_overrides_spec_template() -> None:
    generator = {"list": {"elements": ELEMENTS[:1], "template": {"spec": {"project": "override"}}}}
    app = generate(_appset("{{cluster}}", [generator]))[0]
    assert app["spec"]["project"] == "override"
    assert app["spec"]["destination"]["server"] == "https://kubernetes.default.svc"
