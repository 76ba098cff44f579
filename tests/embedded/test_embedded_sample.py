"""The sample fleet of `fleetops up`: the seed's files as written, the mono-repo layout, the
Applications, and the Git server that serves the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.support.shared import SHARED_DIR

from fleetops.adapters.git import PygitSource
from fleetops.core.kustomize import BuildOptions, build
from fleetops.embedded import applications, sample_repo
from fleetops.embedded.fleet_layout import APPS, SPOKES
from fleetops.embedded.gitserver import GitHttpServer
from fleetops.ports.git import CommitAuthor, WriteFile

SEED = SHARED_DIR / "seed" / "examples"


def _seed() -> Path:
    if not SEED.is_dir():
        pytest.skip(f"the seed examples are not at {SEED}")
    return SEED


def test_payment_service_files_are_the_seeds_byte_for_byte() -> None:
    files = sample_repo.files()
    seed_files = sorted(p for p in (_seed() / "kustomize").rglob("*") if p.is_file())
    assert seed_files
    for path in seed_files:
        relative = path.relative_to(_seed() / "kustomize").as_posix()
        assert files[f"apps/payment-service/{relative}"] == path.read_text(), relative


def test_seed_application_is_unchanged() -> None:
    assert sample_repo.seed_application() == (_seed() / "application.yaml").read_text()
    first = applications.applications()[0]
    seed = yaml.safe_load((_seed() / "application.yaml").read_text())
    assert first["spec"] == seed["spec"] and first["metadata"]["name"] == seed["metadata"]["name"]


def test_layout_is_the_seeds_mono_repo() -> None:
    files = sample_repo.files()
    for directory in ("base/namespaces", "base/network-policies", "base/rbac"):
        assert f"{directory}/kustomization.yaml" in files
    for app in APPS:
        for part in ("base", "overlays/staging", "overlays/production"):
            assert f"apps/{app}/{part}/kustomization.yaml" in files
    for spoke in SPOKES:
        assert f"clusters/{spoke.name}/kustomization.yaml" in files


def test_applications_cover_every_app_on_staging_and_production() -> None:
    apps = applications.applications()
    names = {app["metadata"]["name"] for app in apps}
    assert len(names) == len(apps)
    for app in APPS:
        for spoke in SPOKES:
            expected = f"{app}-{spoke.name}"
            assert (expected in names) == (spoke.environment in ("staging", "production")), expected
    destinations = {
        app["spec"]["destination"].get("name") or app["spec"]["destination"]["server"] for app in apps
    }
    assert destinations == {s.name for s in SPOKES} | {"https://kubernetes.default.svc"}


async def test_git_server_serves_fetches_and_pushes(tmp_path: Path) -> None:
    root = tmp_path / "git"
    (root / "org").mkdir(parents=True)
    first = sample_repo.create_repository(root / "org" / "gitops-config.git")
    server = GitHttpServer(root)
    await server.start()
    try:
        source = PygitSource(tmp_path / "cache", rewrites={"https://github.com/org": f"{server.url}/org"})
        url = "https://github.com/org/gitops-config"
        assert await source.resolve(url, "main") == first
        tree = source.tree(url, first)
        rendered = build(tree, "/apps/payment-service/overlays/production", BuildOptions()).manifests
        deployment = next(m for m in rendered if m["kind"] == "Deployment")
        assert deployment["spec"]["replicas"] == 4
        assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "payment-service:v2.3.0"
        pushed = await source.commit_and_push(
            url,
            branch="main",
            changes=[WriteFile("README.md", b"changed\n")],
            message="a push",
            author=CommitAuthor("t", "t@example.com"),
        )
        assert pushed.created and pushed.parent == first and server.pushes == 1
        await source.fetch(url)
        assert await source.resolve(url, "main") == pushed.sha
    finally:
        await server.stop()
