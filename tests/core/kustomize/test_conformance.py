"""kustomize's own end-to-end cases (../shared/conformance/kustomize), run through fleetops.

Every case kustomize v5.8.1 agrees with (AGREE-kustomize-v5.8.1.txt) must pass, byte for byte
for output cases, except the explicit expected failures below (strict: a fixed case fails the
suite until it is removed from the list). The rest of the corpus runs as non-strict expected
failures. `test_summary` prints the pass count overall and per feature.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from kustomize_corpus import CONFORMANCE_DIR, CaseResult, require_corpus, run_case

pytestmark = pytest.mark.conformance

CORPUS = CONFORMANCE_DIR / "kustomize"
AGREE_FILE = CORPUS / "AGREE-kustomize-v5.8.1.txt"

EXPECTED_FAILURES: dict[str, str] = {}


def _agree() -> list[str]:
    if not AGREE_FILE.is_file():
        return []
    return AGREE_FILE.read_text().split()


def _others() -> list[str]:
    cases = CORPUS / "cases"
    if not cases.is_dir():
        return []
    agree = set(_agree())
    return sorted(p.name for p in cases.iterdir() if p.name not in agree and (p / "case.json").is_file())


def _params(names: list[str], *, strict: bool) -> list[object]:
    params: list[object] = []
    for name in names:
        marks = []
        if strict and name in EXPECTED_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=EXPECTED_FAILURES[name]))
        if not strict:
            marks.append(pytest.mark.xfail(strict=False, reason="not in the v5.8.1 AGREE list"))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize(
    "name", _params(_agree(), strict=True) or [pytest.param("<corpus absent>", id="absent")]
)
def test_agree_case(name: str) -> None:
    root = require_corpus("kustomize")
    result = run_case(root / "cases" / name)
    assert result.passed, result.reason


@pytest.mark.parametrize(
    "name", _params(_others(), strict=False) or [pytest.param("<corpus absent>", id="absent")]
)
def test_other_case(name: str) -> None:
    root = require_corpus("kustomize")
    case_dir = root / "cases" / name
    case = json.loads((case_dir / "case.json").read_text())
    if case.get("requires_network"):
        pytest.skip("the case fetches an https URL")
    result = run_case(case_dir)
    assert result.passed, result.reason


def _run_all(root: Path) -> list[CaseResult]:
    results = []
    for name in _agree():
        try:
            results.append(run_case(root / "cases" / name))
        except Exception as error:  # a crash is a failure with a reason, not a summary crash
            results.append(CaseResult(name, False, f"crash: {type(error).__name__}: {error}", ()))
    return results


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    root = require_corpus("kustomize")
    results = _run_all(root)
    passed = sum(r.passed for r in results)
    per_feature: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for result in results:
        for feature in result.features or ("(resources only)",):
            per_feature[feature][0] += int(result.passed)
            per_feature[feature][1] += 1
    lines = [f"kustomize conformance (AGREE v5.8.1): {passed}/{len(results)} pass"]
    for feature, (ok, total) in sorted(per_feature.items(), key=lambda item: (-item[1][1], item[0])):
        lines.append(f"  {ok:3d}/{total:3d}  {feature}")
    failing = [r for r in results if not r.passed]
    for result in failing:
        lines.append(f"  FAIL {result.name}: {EXPECTED_FAILURES.get(result.name, result.reason)}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    unexpected = [r.name for r in failing if r.name not in EXPECTED_FAILURES]
    assert not unexpected, f"failing and not in EXPECTED_FAILURES: {unexpected}"
    assert passed >= 275
    for feature, (ok, total) in per_feature.items():
        if total >= 5:
            assert ok / total >= 0.8, f"{feature}: {ok}/{total}"
