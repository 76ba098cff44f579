"""The precompiled strategic-merge schema is kubernetes-validate's 1.25 schema, reduced."""

from __future__ import annotations

import pytest
from gen_smp_schema import text as expected_text

from fleetops.core.kustomize.smp_schema import DATA_FILE, merge_definitions
from fleetops.core.kustomize.transformers.strategic_merge import schema_node
from fleetops.core.schema import load_schema
from fleetops.model import GroupVersionKind


def test_shipped_table_is_up_to_date() -> None:
    with open(DATA_FILE, encoding="utf-8") as handle:
        shipped = handle.read()
    assert shipped == expected_text(), "run tests/core/kustomize/gen_smp_schema.py"


def test_kinds_match_the_full_schema() -> None:
    full = load_schema("1.25")
    compact = merge_definitions()
    assert {GroupVersionKind(*key) for key in compact.kinds} == set(full.definitions.kinds)


@pytest.mark.parametrize(
    ("api_version", "kind", "path"),
    [
        ("apps/v1", "Deployment", ("spec", "template", "spec", "containers")),
        ("apps/v1", "Deployment", ("spec", "template", "spec", "volumes")),
        ("v1", "Service", ("spec", "ports")),
        ("batch/v1", "CronJob", ("spec", "jobTemplate", "spec", "template", "spec", "initContainers")),
        ("v1", "Pod", ("spec", "containers", "[]", "env")),
    ],
)
def test_merge_metadata_matches_the_full_schema(api_version: str, kind: str, path: tuple[str, ...]) -> None:
    group, _, version = api_version.rpartition("/")
    full = load_schema("1.25").node_at(GroupVersionKind(group, version, kind), path)
    node = schema_node({"apiVersion": api_version, "kind": kind})
    for step in path:
        assert node is not None
        node = node.items if step == "[]" else node.field(step)
    assert full is not None and node is not None
    assert (node.patch_merge_key, node.patch_strategy, node.type, node.ref_name) == (
        full.patch_merge_key,
        full.patch_strategy,
        full.type,
        full.ref_name,
    )
