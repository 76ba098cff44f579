"""Sync options: the Application's list and the per-resource annotation; errors and unknown options."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.sync import (
    PropagationPolicy,
    ResourceSyncOptions,
    SyncOptionError,
    SyncOptions,
    parse_sync_options,
    resource_sync_options,
)


def annotated(value: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {
            "name": "data",
            "namespace": "shop",
            "annotations": {"argocd.argoproj.io/sync-options": value},
        },
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (None, SyncOptions()),
        ([], SyncOptions()),
        (["CreateNamespace=true"], SyncOptions(create_namespace=True)),
        (
            ["PruneLast=true", "ApplyOutOfSyncOnly=true"],
            SyncOptions(prune_last=True, apply_out_of_sync_only=True),
        ),
        (["Replace=true", "Force=true"], SyncOptions(replace=True, force=True)),
        (["ServerSideApply=true"], SyncOptions(server_side_apply=True)),
        (["ServerSideApply=false"], SyncOptions(server_side_apply=False)),
        (["Validate=false"], SyncOptions(validate=False)),
        (["RespectIgnoreDifferences=true"], SyncOptions(respect_ignore_differences=True)),
        (["FailOnSharedResource=true"], SyncOptions(fail_on_shared_resource=True)),
        (["PrunePropagationPolicy=orphan"], SyncOptions(prune_propagation_policy=PropagationPolicy.ORPHAN)),
        (
            ["PrunePropagationPolicy=background"],
            SyncOptions(prune_propagation_policy=PropagationPolicy.BACKGROUND),
        ),
        (["SkipDryRunOnMissingResource=true"], SyncOptions(skip_dry_run_on_missing_resource=True)),
        ([" CreateNamespace = true "], SyncOptions(create_namespace=True)),
        (["CreateNamespace=true", "CreateNamespace=false"], SyncOptions(create_namespace=False)),
    ],
)
def test_application_options(options: list[str] | None, expected: SyncOptions) -> None:
    assert parse_sync_options(options) == expected


def test_unknown_application_options_are_reported() -> None:
    parsed = parse_sync_options(["CreateNamespace=true", "Turbo=true", "Prune=false"])
    assert parsed.create_namespace
    assert parsed.unknown == ("Turbo=true", "Prune=false")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("CreateNamespace=yes", 'sync option "CreateNamespace=yes": the value must be "true" or "false"'),
        ("PruneLast=True", 'sync option "PruneLast=True": the value must be "true" or "false"'),
        ("CreateNamespace", 'sync option "CreateNamespace": expected CreateNamespace=<value>'),
        (
            "PrunePropagationPolicy=now",
            'sync option "PrunePropagationPolicy=now": '
            'the value must be "foreground" or "background" or "orphan"',
        ),
    ],
)
def test_bad_values_are_errors(option: str, message: str) -> None:
    with pytest.raises(SyncOptionError) as error:
        parse_sync_options([option])
    assert str(error.value) == message
    assert error.value.option == option


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ResourceSyncOptions()),
        ("Prune=false", ResourceSyncOptions(prune=False)),
        ("Delete=false", ResourceSyncOptions(delete=False)),
        ("Prune=false,Delete=false", ResourceSyncOptions(prune=False, delete=False)),
        ("Prune=confirm", ResourceSyncOptions(prune_requires_confirmation=True)),
        ("Delete=confirm", ResourceSyncOptions(delete_requires_confirmation=True)),
        ("Replace=true", ResourceSyncOptions(replace=True)),
        ("ServerSideApply=true", ResourceSyncOptions(server_side_apply=True)),
        ("PruneLast=true", ResourceSyncOptions(prune_last=True)),
        ("Validate=false", ResourceSyncOptions(validate=False)),
        ("SkipDryRunOnMissingResource=true", ResourceSyncOptions(skip_dry_run_on_missing_resource=True)),
        (" Replace=true , Validate=false ,", ResourceSyncOptions(replace=True, validate=False)),
    ],
)
def test_resource_options(value: str, expected: ResourceSyncOptions) -> None:
    assert resource_sync_options(annotated(value)) == expected


def test_unknown_resource_options_are_reported() -> None:
    assert resource_sync_options(annotated("Prune=false,Hurry=true")).unknown == ("Hurry=true",)


@pytest.mark.parametrize("value", ["Prune=no", "Delete", "Replace=maybe"])
def test_bad_resource_options_name_the_resource(value: str) -> None:
    with pytest.raises(SyncOptionError) as error:
        resource_sync_options(annotated(value))
    assert error.value.resource == "/PersistentVolumeClaim/shop/data"
    assert str(error.value).startswith("/PersistentVolumeClaim/shop/data: ")
