"""The server-side apply conformance corpus (structured-merge-diff's merge tests, 322 cases).

Every case is a test; cases known to fail are listed in ``EXPECTED_FAILURES`` with a reason and
run as strict expected failures. ``test_conformance_summary`` prints pass counts per upstream
test file and fails below 95% of all cases.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest
from ssa_corpus import load_cases, run_case
from tests.support.shared import CONFORMANCE_DIR, require_corpus

pytestmark = pytest.mark.conformance

REQUIRED_SHARE = 0.95
CASE_COUNT = 322

# case directory name -> why it fails (none today: all 322 pass)
EXPECTED_FAILURES: dict[str, str] = {}


def _cases() -> list[tuple[str, dict[str, Any]]]:
    corpus = CONFORMANCE_DIR / "ssa"
    return load_cases(corpus) if corpus.is_dir() else []


CASES = _cases()


def _params() -> list[Any]:
    params = []
    for name, case in CASES:
        marks = []
        if name in EXPECTED_FAILURES:
            marks.append(pytest.mark.xfail(reason=EXPECTED_FAILURES[name], strict=True))
        params.append(pytest.param(case, id=name, marks=marks))
    return params


@pytest.fixture(scope="module")
def corpus() -> Path:
    return require_corpus("ssa")


@pytest.mark.parametrize("case", _params())
def test_conformance_case(corpus: Path, case: dict[str, Any]) -> None:
    run_case(case)


def test_conformance_summary(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = load_cases(corpus)
    assert len(cases) == CASE_COUNT
    totals: collections.Counter[str] = collections.Counter()
    passed: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    for name, case in cases:
        upstream_file = case["source"]["file"]
        totals[upstream_file] += 1
        try:
            run_case(case)
        except Exception as error:
            failures.append(f"{name}: {type(error).__name__}: {str(error)[:200]}")
        else:
            passed[upstream_file] += 1
    lines = [f"  {name:40s} {passed[name]:4d} / {totals[name]:4d}" for name in sorted(totals)]
    overall = sum(passed.values())
    lines.append(f"  {'overall':40s} {overall:4d} / {len(cases):4d}")
    with capsys.disabled():
        print("\nserver-side apply conformance (structured-merge-diff merge tests):")
        print("\n".join(lines))
    unexpected = [line for line in failures if line.split(":", 1)[0] not in EXPECTED_FAILURES]
    assert not unexpected, "cases failing without an EXPECTED_FAILURES entry:\n" + "\n".join(unexpected)
    assert overall >= REQUIRED_SHARE * len(cases), f"{overall}/{len(cases)} pass, need 95%"
