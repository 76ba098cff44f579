"""fasttemplate and the Go template subset: table tests, templatePatch, duplicate names."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.appset import DuplicateNameError, TemplateError, generate, render_fast, render_go

FAST = [
    ("{{name}}-platform", {"name": "prod"}, "prod-platform"),
    ("{{ name }}/{{  server }}", {"name": "a", "server": "s"}, "a/s"),
    ("{{unknown}}-{{name}}", {"name": "a"}, "{{unknown}}-a"),
    ("{{}} and {{ }}", {}, "{{}} and {{ }}"),
    ("{{metadata.labels.env}}", {"metadata.labels.env": "prod"}, "prod"),
    ("no tags", {"x": "y"}, "no tags"),
    ("{{open", {"open": "x"}, "{{open"),
]


@pytest.mark.parametrize(("text", "params", "expected"), FAST)
def test_fasttemplate(text: str, params: dict[str, Any], expected: str) -> None:
    assert render_fast(text, params) == expected


DATA: dict[str, Any] = {
    "name": "Prod_East",
    "server": "https://2.4.6.8",
    "metadata": {"labels": {"env": "prod"}},
    "path": {"basename": "guestbook", "segments": ["apps", "guestbook"]},
    "values": {"revision": ""},
    "replicas": 3,
    "flag": True,
    "items": ["a", "b"],
    "nothing": None,
}

GO = [
    ("{{ .name }}", "Prod_East"),
    ("{{.metadata.labels.env}}-{{ .path.basename }}", "prod-guestbook"),
    ("{{ .name | lower }}", "prod_east"),
    ("{{ .name | upper }}", "PROD_EAST"),
    ("{{ .name | normalize }}", "prod-east"),
    ("{{ slugify .name }}", "prod-east"),
    ('{{ slugify 10 true "hello big wide world" }}', "hello-big"),
    ('{{ replace "_" "-" .name }}', "Prod-East"),
    ("{{ trunc 4 .name }}", "Prod"),
    ("{{ trunc -4 .name }}", "East"),
    ("{{ .name | quote }}", '"Prod_East"'),
    ("{{ toJson .metadata }}", '{"labels":{"env":"prod"}}'),
    ('{{ default "main" .values.revision }}', "main"),
    ('{{ .values.revision | default "HEAD" }}', "HEAD"),
    ('{{ default "main" .missing }}', "main"),
    ("{{ index .path.segments 1 }}", "guestbook"),
    ('{{ index .metadata.labels "env" }}', "prod"),
    ('{{ printf "%s-%d" .name .replicas }}', "Prod_East-3"),
    ('{{ if eq .metadata.labels.env "prod" }}p{{ else }}np{{ end }}', "p"),
    ('{{ if ne .metadata.labels.env "prod" }}np{{ else if .flag }}flag{{ end }}', "flag"),
    ("{{ if and .flag (not .values.revision) }}yes{{ end }}", "yes"),
    ("{{ if or .values.revision .missing }}yes{{ else }}no{{ end }}", "no"),
    ("{{ range $i, $v := .items }}{{ $i }}:{{ $v }};{{ end }}", "0:a;1:b;"),
    ("{{ range .items }}[{{ . }}]{{ else }}none{{ end }}", "[a][b]"),
    ("{{ with .metadata.labels }}{{ .env }}{{ end }}", "prod"),
    ("{{ with .missing }}x{{ else }}y{{ end }}", "y"),
    ("{{ $n := .name }}{{ $n | lower }}", "prod_east"),
    ("{{ .missing }}", "<no value>"),
    ("{{ .nothing }}", "<no value>"),
    ("a  {{- .name -}}  b", "aProd_Eastb"),
    ("{{/* a comment */}}x", "x"),
    ("{{ .replicas }} {{ .flag }} {{ .items }}", "3 true [a b]"),
    ("{{ len .items }}", "2"),
]


@pytest.mark.parametrize(("text", "expected"), GO)
def test_go_template(text: str, expected: str) -> None:
    assert render_go(text, DATA) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ .name", "unclosed action"),
        ("{{ if .flag }}x", "without {{end}}"),
        ("{{ nosuch .name }}", 'function "nosuch" not defined'),
        ('{{ template "x" }}', "not supported"),
        ("{{ .name.first }}", "can't evaluate field first"),
        ("{{ $undefined }}", "undefined variable"),
    ],
)
def test_go_template_errors(text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        render_go(text, DATA)


def test_missingkey_error_names_the_key() -> None:
    with pytest.raises(TemplateError, match='map has no entry for key "nope"'):
        render_go("{{ .metadata.nope }}", DATA, missing_key_error=True)


def _appset(spec: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "ApplicationSet", "metadata": {"name": "guestbook", "namespace": "argocd"}, "spec": spec}


def test_missingkey_error_option_through_generate() -> None:
    spec = {
        "goTemplate": True,
        "goTemplateOptions": ["missingkey=error"],
        "generators": [{"list": {"elements": [{"cluster": "a"}]}}],
        "template": {"metadata": {"name": "{{ .cluster }}-{{ .region }}"}, "spec": {}},
    }
    with pytest.raises(TemplateError, match='no entry for key "region"'):
        generate(_appset(spec))


TEMPLATE_PATCH = """\
spec:
  source:
    helm:
      valueFiles:
      {{- range $valueFile := .valueFiles }}
        - {{ $valueFile }}
      {{- end }}
{{- if .autoSync }}
  syncPolicy:
    automated:
      prune: {{ .prune }}
{{- end }}
"""


def test_template_patch_documented_example() -> None:
    url = "https://kubernetes.default.svc"
    elements = [
        {"cluster": "engineering-dev", "url": url, "autoSync": True, "prune": True,
         "valueFiles": ["values.large.yaml", "values.debug.yaml"]},
        {"cluster": "engineering-prod", "url": url, "autoSync": False, "prune": False,
         "valueFiles": ["values.large.yaml"]},
    ]  # fmt: skip
    spec = {
        "goTemplate": True,
        "generators": [{"list": {"elements": elements}}],
        "template": {
            "metadata": {"name": "{{.cluster}}-deployment"},
            "spec": {
                "project": "default",
                "source": {
                    "repoURL": "https://github.com/infra-team/cluster-deployments.git",
                    "path": "guestbook/{{ .cluster }}",
                    "chart": "guestbook",
                },
                "destination": {"server": "{{.url}}", "namespace": "guestbook"},
            },
        },
        "templatePatch": TEMPLATE_PATCH,
    }
    dev, prod = generate(_appset(spec))
    assert dev["spec"]["source"]["helm"] == {"valueFiles": ["values.large.yaml", "values.debug.yaml"]}
    assert dev["spec"]["source"]["path"] == "guestbook/engineering-dev"
    assert dev["spec"]["syncPolicy"] == {"automated": {"prune": True}}
    assert "syncPolicy" not in prod["spec"]
    assert prod["spec"]["source"]["helm"] == {"valueFiles": ["values.large.yaml"]}


def test_labels_and_annotations_are_rendered() -> None:
    spec = {
        "generators": [{"list": {"elements": [{"cluster": "a", "env": "prod"}]}}],
        "template": {
            "metadata": {
                "name": "{{cluster}}",
                "labels": {"env": "{{env}}"},
                "annotations": {"{{cluster}}/x": "y"},
            },
            "spec": {},
        },
    }
    (app,) = generate(_appset(spec))
    assert app["metadata"] == {
        "name": "a",
        "namespace": "argocd",
        "labels": {"env": "prod"},
        "annotations": {"a/x": "y"},
        "finalizers": ["resources-finalizer.argocd.argoproj.io"],
    }


def test_duplicate_names_fail_the_whole_set() -> None:
    spec = {
        "generators": [{"list": {"elements": [{"cluster": "a", "url": "1"}, {"cluster": "a", "url": "2"}]}}],
        "template": {"metadata": {"name": "{{cluster}}-app"}, "spec": {}},
    }
    with pytest.raises(
        DuplicateNameError, match="ApplicationSet guestbook contains applications with duplicate name: a-app"
    ):
        generate(_appset(spec))
