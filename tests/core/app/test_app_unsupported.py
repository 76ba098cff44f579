"""Fields fleetops does not implement yet become an UnsupportedField condition, never a silent
no-op; fields that are present but empty (as Argo CD's own tools write them) are fine."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from fleetops.core import app as applications

CASES = yaml.safe_load(
    textwrap.dedent("""
    - name: kustomize and plain directories are supported
      spec:
        sources:
        - repoURL: r
          path: p
          kustomize: {images: [a:1], namePrefix: x-, commonLabels: {a: b}, replicas: [{name: a, count: 1}]}
        - {repoURL: r, path: q, directory: {recurse: true, include: '*.yaml', jsonnet: {}}}
        syncPolicy:
          automated: {prune: true, selfHeal: true, allowEmpty: false}
          syncOptions: [CreateNamespace=true, ServerSideApply=true, RespectIgnoreDifferences=true]
          retry: {limit: 2, backoff: {duration: 5s}, refresh: false}
          managedNamespaceMetadata: {labels: {a: b}}
        ignoreDifferences: [{kind: Secret, jsonPointers: [/data]}]
      expected: []
    - name: helm
      spec: {source: {repoURL: r, chart: nginx, targetRevision: 1.0.0, helm: {releaseName: x}}}
      expected: [spec.source.chart, spec.source.helm]
    - name: empty helm block is not a helm source
      spec: {source: {repoURL: r, path: p, helm: {}}}
      expected: []
    - name: plugin
      spec: {source: {repoURL: r, path: p, plugin: {name: cmp}}}
      expected: [spec.source.plugin]
    - name: jsonnet with values
      spec: {source: {repoURL: r, path: p, directory: {jsonnet: {tlas: [{name: a, value: b}]}}}}
      expected: [spec.source.directory.jsonnet]
    - name: ref source in a multi-source application
      spec: {sources: [{repoURL: r, path: p}, {repoURL: v, ref: values}]}
      expected: ['spec.sources[1].ref']
    - name: kustomize options fleetops does not implement
      spec:
        source: {repoURL: r, path: p, kustomize: {version: v5.0.0, components: [c], forceCommonLabels: true}}
      expected: [spec.source.kustomize.version, spec.source.kustomize.components,
                 spec.source.kustomize.forceCommonLabels]
    - name: false booleans are not set
      spec: {source: {repoURL: r, path: p, kustomize: {forceCommonLabels: false}}}
      expected: []
    - name: unknown spec field
      spec: {source: {repoURL: r, path: p}, futureField: {enabled: true}}
      expected: [spec.futureField]
    - name: unknown nested field
      spec: {source: {repoURL: r, path: p}, destination: {server: s, cluster: x}}
      expected: [spec.destination.cluster]
    - name: unknown sync option
      spec:
        source: {repoURL: r, path: p}
        syncPolicy: {syncOptions: [CreateNamespace=true, Frobnicate=true]}
      expected: ['spec.syncPolicy.syncOptions[1]']
    - name: retry with the latest revision
      spec: {source: {repoURL: r, path: p}, syncPolicy: {retry: {limit: 1, refresh: true}}}
      expected: [spec.syncPolicy.retry.refresh]
    - name: source hydrator
      spec: {sourceHydrator: {drySource: {repoURL: r}}}
      expected: [spec.sourceHydrator]
    """)
)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_unsupported_fields(case: dict[str, object]) -> None:
    found = applications.unsupported_fields({"spec": case["spec"]})
    assert [field.path for field in found] == case["expected"]


def test_condition_lists_every_unsupported_field() -> None:
    app = {"spec": {"source": {"repoURL": "r", "chart": "c", "helm": {"valueFiles": ["v"]}}}}
    (condition,) = applications.unsupported_conditions(app, now="2026-01-02T03:04:05Z")
    assert condition == {
        "type": "UnsupportedField",
        "message": (
            "spec.source.chart: Helm sources are not supported by fleetops yet; "
            "spec.source.helm: Helm sources are not supported by fleetops yet"
        ),
        "lastTransitionTime": "2026-01-02T03:04:05Z",
    }


def test_no_condition_when_everything_is_supported() -> None:
    assert applications.unsupported_conditions({"spec": {"source": {"repoURL": "r", "path": "p"}}}) == []


def test_unknown_field_reason() -> None:
    (field,) = applications.unsupported_fields({"spec": {"bogus": 1}})
    assert field.message == "spec.bogus: unknown field (not part of Argo CD's Application spec)"
