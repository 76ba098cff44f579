"""Spec errors reported as InvalidSpecError conditions, with Argo CD's messages."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from fleetops.core import app as applications

CASES = yaml.safe_load(
    textwrap.dedent("""
    - name: valid
      spec: {source: {repoURL: r, path: p}, destination: {server: s, namespace: n}}
      expected: []
    - name: no source
      spec: {destination: {server: s}}
      expected: ["spec.source.repoURL and either spec.source.path or spec.source.chart are required"]
    - name: no path
      spec: {source: {repoURL: r}, destination: {server: s}}
      expected: ["spec.source.repoURL and either spec.source.path or spec.source.chart are required"]
    - name: a ref source needs no path
      spec: {sources: [{repoURL: r, path: p}, {repoURL: v, ref: values}], destination: {server: s}}
      expected: []
    - name: multi-source without repoURL
      spec: {sources: [{path: p}], destination: {server: s}}
      expected: ["spec.sources[0]: repoURL and either path, chart or ref are required"]
    - name: chart without version
      spec: {source: {repoURL: r, chart: c}, destination: {server: s}}
      expected: ["spec.source.targetRevision is required if the manifest source is a helm chart"]
    - name: both server and name
      spec: {source: {repoURL: r, path: p}, destination: {server: s, name: n}}
      expected: ["application destination can't have both name and server defined: n s"]
    - name: no destination
      spec: {source: {repoURL: r, path: p}}
      expected: ["Destination server missing from app spec"]
    - name: bad sync option
      spec:
        source: {repoURL: r, path: p}
        destination: {server: s}
        syncPolicy: {syncOptions: [Replace=maybe]}
      expected:
      - 'spec.syncPolicy.syncOptions: sync option "Replace=maybe": the value must be "true" or "false"'
    """)
)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_spec_errors(case: dict[str, object]) -> None:
    assert applications.spec_errors({"spec": case["spec"]}) == case["expected"]


def test_spec_conditions() -> None:
    conditions = applications.spec_conditions({"spec": {"source": {"repoURL": "r", "path": "p"}}}, now="T")
    assert conditions == [
        {
            "type": "InvalidSpecError",
            "message": "Destination server missing from app spec",
            "lastTransitionTime": "T",
        }
    ]
