"""Running one case of the kustomize conformance corpus (../shared/conformance/kustomize)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fleetops.core.kustomize import BuildOptions, KustomizeError, MemoryFileSystem, build

# The same locations as tests/conftest.py (which these modules cannot import by name when
# pytest is pointed at a single directory).
REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED_DIR = Path(os.environ.get("FLEETOPS_SHARED_DIR", REPO_ROOT.parent / "shared"))
CONFORMANCE_DIR = SHARED_DIR / "conformance"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_corpus(name: str) -> Path:
    """The conformance corpus `name`; skip with a reason when absent, fail under CI."""
    path = CONFORMANCE_DIR / name
    if not path.is_dir():
        message = f"conformance corpus {path} is absent"
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing corpus is a failure)")
        pytest.skip(message)
    return path


MANAGED_BY = re.compile(r"(app\.kubernetes\.io/managed-by: )kustomize-\S+")


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    reason: str
    features: tuple[str, ...]


def load_case(case_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case_dir / "case.json").read_text())
    return data


def case_file_system(case_dir: Path, case: dict[str, Any]) -> MemoryFileSystem:
    fs = MemoryFileSystem()
    files = case_dir / "files"
    if files.is_dir():
        for path in sorted(files.rglob("*")):
            relative = "/" + path.relative_to(files).as_posix()
            if path.is_dir():
                fs.mkdir(relative)
            else:
                fs.write(relative, path.read_bytes())
    for directory in case.get("empty_dirs") or []:
        fs.mkdir("/" + directory.strip("/"))
    return fs


def run_case(case_dir: Path) -> CaseResult:
    case = load_case(case_dir)
    features = tuple(case.get("features") or ())
    options = case.get("options") or {}
    fs = case_file_system(case_dir, case)
    run_dir = "/" + str(case.get("run_dir") or ".").strip("/").removeprefix(".")
    build_options = BuildOptions(
        reorder=str(options.get("reorder") or "unspecified"),
        load_restrictor=str(options.get("load_restrictor") or "LoadRestrictionsRootOnly"),
        add_managed_by_label=bool(options.get("add_managedby_label")),
    )
    try:
        result = build(fs, run_dir, build_options)
    except KustomizeError as error:
        if case["expect"] != "error":
            return CaseResult(case_dir.name, False, f"unexpected error: {error}"[:300], features)
        message = str(error)
        missing = [s for s in case.get("error_contains") or [] if s not in message]
        if missing:
            return CaseResult(case_dir.name, False, f"error lacks {missing!r}: {message}"[:300], features)
        return CaseResult(case_dir.name, True, "", features)
    if case["expect"] == "error":
        return CaseResult(case_dir.name, False, "expected an error, the build succeeded", features)
    actual = MANAGED_BY.sub(r"\1kustomize-X", result.yaml())
    expected = MANAGED_BY.sub(r"\1kustomize-X", (case_dir / "expected.yaml").read_text())
    if actual == expected:
        return CaseResult(case_dir.name, True, "", features)
    return CaseResult(
        case_dir.name, False, "output differs: " + _first_difference(actual, expected), features
    )


def _first_difference(actual: str, expected: str) -> str:
    a_lines, e_lines = actual.splitlines(), expected.splitlines()
    for number, (a, e) in enumerate(zip(a_lines, e_lines, strict=False), start=1):
        if a != e:
            return f"line {number}: got {a!r}, want {e!r}"
    return f"got {len(a_lines)} lines, want {len(e_lines)}"
