"""Which writes are validated strictly (`fieldValidation=Strict`): Argo CD's rule — the
application's `Validate` and not `Validate=false` on the resource; the resource cannot turn
validation back on. And the fields the schema does not declare, as the API server finds them."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.schema import load_schema
from fleetops.core.schema.unknown_fields import prune_unknown
from fleetops.core.sync import parse_sync_options
from fleetops.core.sync.options import validates
from fleetops.model import GroupVersionKind


def config_map(annotation: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "settings"}
    if annotation is not None:
        metadata["annotations"] = {"argocd.argoproj.io/sync-options": annotation}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata}


@pytest.mark.parametrize(
    ("app_options", "annotation", "expected"),
    [
        ([], None, True),
        (["Validate=true"], None, True),
        (["Validate=false"], None, False),
        ([], "Validate=false", False),
        ([], "Replace=true, Validate = false", False),
        ([], "Validate=true", True),
        (["Validate=false"], "Validate=true", False),
        ([], "Prune=false", True),
    ],
)
def test_validates(app_options: list[str], annotation: str | None, expected: bool) -> None:
    assert validates(parse_sync_options(app_options), config_map(annotation)) is expected


def test_unknown_fields_are_named_like_the_strict_decoder_and_pruned() -> None:
    schema = load_schema("1.32")
    node = schema.node_for(GroupVersionKind("apps", "v1", "Deployment"))
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"any": "label"}, "bogus": 1},
        "spec": {
            "replicaz": 3,
            "template": {
                "spec": {"containers": [{"name": "web", "image": "nginx", "imagePullPolicyy": "x"}]}
            },
        },
    }
    pruned, unknown = prune_unknown(obj, node)
    assert unknown == ["metadata.bogus", "spec.replicaz", "spec.template.spec.containers[0].imagePullPolicyy"]
    assert pruned["metadata"] == {"name": "web", "labels": {"any": "label"}}
    assert pruned["spec"] == {"template": {"spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
    assert "bogus" in obj["metadata"], "the input is not changed"
