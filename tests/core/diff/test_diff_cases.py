"""diff() on YAML tables: defaults, kubectl scale/edit drift, ignoreDifferences, ConfigMap data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetops.core.diff import IgnoreRules, diff
from fleetops.core.patch import apply_json_patch
from fleetops.core.schema import KubeSchema, load_schema

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text())


@pytest.fixture(scope="module")
def schema() -> KubeSchema:
    return load_schema("1.32")


def load_base(name: str) -> dict[str, Any]:
    base: dict[str, Any] = yaml.safe_load((HERE / name).read_text())
    return base


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict[str, Any], schema: KubeSchema) -> None:
    base = load_base(case["base"])
    desired = apply_json_patch(base["desired"], case.get("desired_patch") or [])
    live = apply_json_patch(base["live"], case.get("live_patch") or [])
    ignore = IgnoreRules.from_application(case.get("ignoreDifferences"))
    result = diff(desired, live, schema=schema, ignore=ignore, takeover=case.get("takeover", ()))
    expected_changes = case.get("changes", [])
    assert [str(change) for change in result.changes] == expected_changes
    assert result.modified == case.get("modified", True)
    assert (result.render_diff() == "") == (not result.modified)


def test_inputs_are_not_mutated(schema: KubeSchema) -> None:
    base = load_base("deployment.yaml")
    before = yaml.safe_dump(base)
    diff(base["desired"], base["live"], schema=schema)
    assert yaml.safe_dump(base) == before
