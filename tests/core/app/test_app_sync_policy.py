"""`spec.syncPolicy` parsed into one frozen value (core.sync's types inside)."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
import yaml

from fleetops.core import app as applications
from fleetops.core import sync


def _app(policy: str) -> dict[str, Any]:
    return {"spec": {"syncPolicy": yaml.safe_load(textwrap.dedent(policy))}}


def test_seed_policy() -> None:
    policy = applications.sync_policy(
        _app("""
        automated: {prune: true, selfHeal: true}
        syncOptions: [CreateNamespace=true]
        retry: {limit: 5, backoff: {duration: 5s, factor: 2, maxDuration: 3m}}
        """)
    )
    assert policy.automated == sync.Automated(prune=True, self_heal=True)
    assert policy.automated_enabled
    assert policy.sync_options == ("CreateNamespace=true",)
    assert policy.options.create_namespace
    assert policy.retry == sync.RetryStrategy(5, sync.Backoff(duration=5.0, factor=2.0, max_duration=180.0))
    assert policy.managed_namespace_metadata is None


def test_no_policy() -> None:
    policy = applications.sync_policy({"spec": {}})
    assert policy == applications.SyncPolicy()
    assert not policy.automated_enabled
    assert not applications.autosync_enabled({"spec": {}})


def test_automated_disabled_by_enabled_false() -> None:
    app = _app("automated: {prune: true, enabled: false}")
    assert not applications.sync_policy(app).automated_enabled
    assert not applications.autosync_enabled(app)
    assert applications.autosync_enabled(_app("automated: {}"))


def test_managed_namespace_metadata() -> None:
    policy = applications.sync_policy(
        _app("managedNamespaceMetadata: {labels: {env: prod}, annotations: {owner: team-a}}")
    )
    assert policy.managed_namespace_metadata == applications.ManagedNamespaceMetadata(
        labels={"env": "prod"}, annotations={"owner": "team-a"}
    )


@pytest.mark.parametrize(
    ("policy", "path"),
    [
        ("syncOptions: [CreateNamespace=yes]", "spec.syncPolicy.syncOptions"),
        ("retry: {limit: 2, backoff: {duration: soon}}", "spec.syncPolicy.retry"),
        ("retry: {limit: two}", "spec.syncPolicy.retry"),
    ],
)
def test_invalid_values_name_their_field(policy: str, path: str) -> None:
    with pytest.raises(applications.SpecError) as caught:
        applications.sync_policy(_app(policy))
    assert caught.value.path == path
    assert str(caught.value).startswith(path + ": ")


def test_unknown_sync_option_is_kept_for_reporting() -> None:
    policy = applications.sync_policy(_app("syncOptions: [Validate=false, Frobnicate=true]"))
    assert not policy.options.validate
    assert policy.options.unknown == ("Frobnicate=true",)
