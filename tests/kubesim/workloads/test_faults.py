"""Fault settings: image references, pull decisions, run-time updates through the control document."""

from __future__ import annotations

import pytest

from fleetops.kubesim.faults import ClusterFaults, ImageReference


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", ("docker.io", "library/nginx", "latest", "")),
        ("nginx:1.27", ("docker.io", "library/nginx", "1.27", "")),
        ("acme/api:2", ("docker.io", "acme/api", "2", "")),
        ("ghcr.io/acme/api:2.0", ("ghcr.io", "acme/api", "2.0", "")),
        ("localhost:5000/api", ("localhost:5000", "api", "latest", "")),
        (
            "registry.internal:5000/team/api:v1@sha256:abc",
            ("registry.internal:5000", "team/api", "v1", "sha256:abc"),
        ),
        ("nginx@sha256:abc", ("docker.io", "library/nginx", "", "sha256:abc")),
    ],
)
def test_image_references_split_like_a_runtime(image: str, expected: tuple[str, str, str, str]) -> None:
    reference = ImageReference.parse(image)
    assert (reference.registry, reference.repository, reference.tag, reference.digest) == expected


def test_pull_errors_follow_deny_lists_and_allowed_registries() -> None:
    faults = ClusterFaults(denied_tags={"bad"}, denied_images={"acme/secret"})
    assert faults.pull_error("nginx:bad") is not None
    assert faults.pull_error("nginx:1.27") is None
    assert faults.pull_error("docker.io/acme/secret:1") is not None
    faults.allowed_registries = {"ghcr.io/acme"}
    assert faults.pull_error("ghcr.io/acme/api:1") is None
    assert faults.pull_error("ghcr.io/other/api:1") is not None
    assert faults.pull_error("nginx:1.27") is not None


def test_settings_round_trip_and_reject_unknown_keys() -> None:
    faults = ClusterFaults()
    faults.update(
        {
            "deniedTags": ["bad"],
            "crashImages": ["crasher"],
            "readinessDelays": {"slow": 2},
            "unreachable": "hang",
            "latencySeconds": 0.5,
            "errorRate": 0.25,
            "errorCodes": [503],
        }
    )
    assert faults.to_dict() == {
        "deniedTags": ["bad"],
        "deniedImages": [],
        "allowedRegistries": [],
        "crashImages": ["crasher"],
        "readinessDelays": {"slow": 2.0},
        "unreachable": "hang",
        "latencySeconds": 0.5,
        "errorRate": 0.25,
        "errorCodes": [503],
    }
    assert faults.crashes("crasher:7") and faults.readiness_delay("slow:1") == 2.0
    with pytest.raises(ValueError, match="unknown fault settings: nope"):
        faults.update({"nope": 1})
    with pytest.raises(ValueError, match="errorRate"):
        faults.update({"errorRate": 2})
    faults.reset()
    assert faults.to_dict() == ClusterFaults().to_dict()


def test_error_rate_draws_errors_at_about_that_rate() -> None:
    faults = ClusterFaults(error_rate=0.3, seed=7)
    drawn = [faults.draw_error() for _ in range(2000)]
    errors = [code for code in drawn if code is not None]
    assert 0.25 < len(errors) / len(drawn) < 0.35
    assert set(errors) == {500, 429}
    assert ClusterFaults().draw_error() is None
