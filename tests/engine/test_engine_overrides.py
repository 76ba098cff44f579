"""spec.source.kustomize overrides as an outer kustomization; source paths stay in the repository."""

from __future__ import annotations

import pytest

from fleetops.core.app import KustomizeOverrides, Replica
from fleetops.core.kustomize import MemoryFileSystem, build
from fleetops.engine.overrides import OVERLAY_DIR, OverlayFileSystem, overlay_kustomization, parse_image
from fleetops.engine.render_stage import RenderError, source_path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nginx:1.27", {"name": "nginx", "newTag": "1.27"}),
        (
            "nginx=registry.local:5000/nginx:1.27",
            {"name": "nginx", "newName": "registry.local:5000/nginx", "newTag": "1.27"},
        ),
        ("nginx@sha256:abc", {"name": "nginx", "digest": "sha256:abc"}),
        ("payment-service=payment-service:v2.4.0", {"name": "payment-service", "newTag": "v2.4.0"}),
    ],
)
def test_parse_image(text: str, expected: dict[str, str]) -> None:
    assert parse_image(text) == expected


def test_overrides_apply_on_top_of_the_application_path() -> None:
    fs = MemoryFileSystem(
        {
            "/apps/a/kustomization.yaml": "resources:\n- d.yaml\n",
            "/apps/a/d.yaml": (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
                "  selector:\n    matchLabels: {app: web}\n"
                "  template:\n    metadata:\n      labels: {app: web}\n"
                "    spec:\n      containers:\n      - name: web\n        image: nginx:1.0\n"
            ),
        }
    )
    overrides = KustomizeOverrides(
        images=("nginx:1.27",),
        name_prefix="prod-",
        common_labels={"team": "pay"},
        replicas=(Replica("web", 3),),
    )
    overlay = OverlayFileSystem(fs, overlay_kustomization(overrides, "/apps/a"))
    (deployment,) = build(overlay, OVERLAY_DIR).manifests
    assert deployment["metadata"]["name"] == "prod-web"
    assert deployment["metadata"]["labels"]["team"] == "pay"
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


@pytest.mark.parametrize("path", ["../x", "a/../../x", "/etc"])
def test_paths_outside_the_repository_are_refused(path: str) -> None:
    with pytest.raises(RenderError, match="outside the repository"):
        source_path({"repoURL": "r", "path": path})


@pytest.mark.parametrize(("path", "expected"), [(".", "/"), ("apps/a/", "/apps/a"), ("apps/./a", "/apps/a")])
def test_paths_inside_the_repository(path: str, expected: str) -> None:
    assert source_path({"repoURL": "r", "path": path}) == expected
