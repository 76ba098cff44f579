"""Acceptance: strategic merge patch agrees with kubectl 1.37.1 on generated cases.

At least 300 (object, patch) cases over Deployments, StatefulSets, Pods, Services and ConfigMaps,
every directive, computed with the Kubernetes 1.37 schema and compared (as parsed JSON) with
`kubectl patch --local --type strategic`. Where kubectl refuses a patch, fleetops must raise
PatchError. Two-way cases also check that applying `create_strategic_merge_patch(a, b)` gives b.
A coverage matrix is printed; fewer than 10 cases for a directive or list field fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kubectl_patch import KubectlResult, kubectl_patch, kubectl_patch_all
from smp_cases import (
    DIRECTIVES,
    LIST_FIELDS,
    Case,
    custom_resource_case,
    generate_cases,
    generate_long_lists,
    generate_random_mixes,
    generate_two_way,
    matrix,
)

from fleetops.core.patch import (
    NoStrategicMergeSchemaError,
    PatchError,
    apply_strategic_merge_patch,
    create_strategic_merge_patch,
)
from fleetops.core.schema import KubeSchema, load_schema

pytestmark = pytest.mark.oracle

MINIMUM_CASES = 300
MINIMUM_PER_COLUMN = 10


@pytest.fixture(scope="module")
def schema() -> KubeSchema:
    return load_schema("1.37")


def _fleetops(case: Case, schema: KubeSchema) -> dict[str, object] | PatchError:
    try:
        return apply_strategic_merge_patch(case.obj, case.patch, schema=schema)
    except PatchError as error:
        return error


def _compare(case: Case, answer: KubectlResult, schema: KubeSchema) -> str | None:
    """None when fleetops agrees with kubectl on this case, else a description of the difference."""
    obj_before, patch_before = json.dumps(case.obj), json.dumps(case.patch)
    ours = _fleetops(case, schema)
    if json.dumps(case.obj) != obj_before or json.dumps(case.patch) != patch_before:
        return "fleetops modified its input"
    if isinstance(ours, PatchError):
        return f"fleetops raised {ours} but kubectl patched" if answer.ok else None
    if not answer.ok:
        return f"kubectl failed ({answer.error}) but fleetops patched"
    if ours != answer.obj:
        return f"results differ:\n  kubectl:  {json.dumps(answer.obj)}\n  fleetops: {json.dumps(ours)}"
    if case.modified is not None and ours != case.modified:
        return f"the created patch does not reproduce the modified object: {json.dumps(ours)}"
    return None


def _print_matrix(cases: list[Case]) -> tuple[int, int]:
    directives, fields = matrix(cases)
    print(f"\nstrategic merge patch vs kubectl: {len(cases)} cases")
    print("cases per directive:")
    for name in DIRECTIVES:
        print(f"  {name:28} {directives[name]:5}")
    print("cases per list field:")
    for name in LIST_FIELDS:
        print(f"  {name:28} {fields[name]:5}")
    return min(directives[name] for name in DIRECTIVES), min(fields[name] for name in LIST_FIELDS)


def test_strategic_merge_patch_agrees_with_kubectl(kubectl: Path, schema: KubeSchema) -> None:
    def create(original: dict[str, object], modified: dict[str, object]) -> dict[str, object]:
        return create_strategic_merge_patch(original, modified, schema=schema)

    cases = (
        generate_cases() + list(generate_two_way(create)) + generate_random_mixes() + generate_long_lists()
    )
    answers = kubectl_patch_all(kubectl, [(case.obj, case.patch) for case in cases])
    failures = []
    refused = 0
    for case, answer in zip(cases, answers, strict=True):
        refused += not answer.ok
        difference = _compare(case, answer, schema)
        if difference:
            failures.append(f"{case.name}: patch {json.dumps(case.patch)}\n  {difference}")
    agreed = len(cases) - len(failures)
    minimum_directive, minimum_field = _print_matrix(cases)
    families: dict[str, int] = {}
    for case in cases:
        families[case.family] = families.get(case.family, 0) + 1
    print(f"families: {json.dumps(families)}")
    print(f"kubectl refused {refused} patches (fleetops must raise on each); patched {len(cases) - refused}")
    print(f"agreement: {agreed}/{len(cases)} = {100 * agreed / len(cases):.1f}%")
    print(f"minimum cases per directive: {minimum_directive}; per list field: {minimum_field}")
    assert not failures, "\n".join(failures[:20])
    assert len(cases) >= MINIMUM_CASES
    assert refused >= 20, "the corpus must include malformed patches kubectl refuses"
    assert minimum_directive >= MINIMUM_PER_COLUMN, "a directive has fewer than 10 cases"
    assert minimum_field >= MINIMUM_PER_COLUMN, "a list field has fewer than 10 cases"


def test_custom_resource_is_refused_by_both(kubectl: Path, schema: KubeSchema) -> None:
    case = custom_resource_case()
    answer = kubectl_patch(kubectl, case.obj, case.patch)
    assert not answer.ok
    with pytest.raises(NoStrategicMergeSchemaError):
        apply_strategic_merge_patch(case.obj, case.patch, schema=schema)
