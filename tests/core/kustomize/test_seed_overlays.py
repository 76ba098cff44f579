"""The seed article's Kustomize overlays render exactly as `kubectl kustomize` renders them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from kustomize_corpus import SHARED_DIR

from fleetops.adapters.kustomize_disk import DiskFileSystem, build_directory
from fleetops.core.kustomize import BuildOptions, build, render_yaml

SEED = SHARED_DIR / "seed" / "examples" / "kustomize"

pytestmark = pytest.mark.oracle


def _kubectl_kustomize(kubectl: Path, directory: Path) -> str:
    done = subprocess.run(
        [str(kubectl), "kustomize", str(directory)], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize("overlay", ["base", "overlays/staging", "overlays/production"])
def test_seed_overlay_matches_kubectl(kubectl: Path, overlay: str) -> None:
    directory = SEED / overlay
    if not directory.is_dir():
        pytest.skip(f"{directory} is absent")
    assert render_yaml(build_directory(directory)) == _kubectl_kustomize(kubectl, directory)


def test_staging_overlay_content() -> None:
    directory = SEED / "overlays" / "staging"
    if not directory.is_dir():
        pytest.skip(f"{directory} is absent")
    manifests = build_directory(directory)
    deployment = next(m for m in manifests if m["kind"] == "Deployment")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":v2.3.1-rc.1")
    assert deployment["spec"]["replicas"] == 2


def test_build_reports_the_files_it_read() -> None:
    directory = SEED / "overlays" / "staging"
    if not directory.is_dir():
        pytest.skip(f"{directory} is absent")
    result = build(DiskFileSystem(SEED), "/overlays/staging", BuildOptions())
    assert set(result.files_read) == {
        "/overlays/staging/kustomization.yaml",
        "/overlays/staging/deployment-patch.yaml",
        "/base/kustomization.yaml",
        "/base/deployment.yaml",
        "/base/service.yaml",
        "/base/hpa.yaml",
    }
    assert all(len(digest) == 64 for digest in result.files_read.values())
    assert "/overlays/staging/kustomization.yml" in result.missing
    assert any("patchesStrategicMerge" in w for w in result.warnings)
