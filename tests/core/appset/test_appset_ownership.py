"""What the ApplicationSet controller writes: owner references, applicationsSync policies, Argo
CD's update rules, the resources finalizer, validation and the status conditions."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.appset import AppSetError, GenerationInputs, generate
from fleetops.core.appset.ownership import (
    RESOURCES_FINALIZER,
    appset_conditions,
    controller_uid,
    error_conditions,
    owner_reference,
    plan_changes,
    resource_entries,
)
from fleetops.core.appset.validation import known_clusters, validate_applications

UID = "1111"


def _appset(policy: str | None = None, **spec: Any) -> dict[str, Any]:
    sync: dict[str, Any] = {"applicationsSync": policy} if policy else {}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": "set", "namespace": "fleetops", "uid": UID},
        "spec": {
            "generators": [{"list": {"elements": [{"c": "a"}, {"c": "b"}]}}],
            "template": {"metadata": {"name": "{{c}}"}, "spec": {"project": "default"}},
            "syncPolicy": sync,
            **spec,
        },
    }


def _existing(
    name: str, *, uid: str | None = UID, spec: dict[str, Any] | None = None, **meta: Any
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "namespace": "fleetops", "resourceVersion": "7", **meta}
    if uid is not None:
        metadata["ownerReferences"] = [owner_reference({"metadata": {"name": "set", "uid": uid}})]
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": metadata,
        "spec": spec if spec is not None else {"project": "default"},
        "status": {"sync": {"status": "Synced"}},
    }


def test_owner_reference() -> None:
    assert owner_reference(_appset()) == {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "name": "set",
        "uid": UID,
        "controller": True,
        "blockOwnerDeletion": True,
    }
    assert controller_uid(_existing("a")) == UID
    assert controller_uid(_existing("a", uid=None)) is None


def test_resources_finalizer_unless_preserved_or_named() -> None:
    (first, _) = generate(_appset())
    assert first["metadata"]["finalizers"] == [RESOURCES_FINALIZER]
    preserved = _appset(syncPolicy={"preserveResourcesOnDeletion": True})
    assert "finalizers" not in generate(preserved)[0]["metadata"]
    named = _appset()
    named["spec"]["template"]["metadata"]["finalizers"] = ["example.com/x"]
    assert generate(named)[0]["metadata"]["finalizers"] == ["example.com/x"]


@pytest.mark.parametrize(
    ("policy", "created", "updated", "deleted"),
    [
        (None, ["b"], ["a"], ["old"]),
        ("sync", ["b"], ["a"], ["old"]),
        ("create-only", ["b"], [], []),
        ("create-update", ["b"], ["a"], []),
        ("create-delete", ["b"], [], ["old"]),
    ],
)
def test_applications_sync_policies(
    policy: str | None, created: list[str], updated: list[str], deleted: list[str]
) -> None:
    appset = _appset(policy)
    desired = generate(appset, GenerationInputs())
    existing = [_existing("a", spec={"project": "other"}), _existing("old"), _existing("foreign", uid=None)]
    changes = plan_changes(appset, desired, existing)
    assert [a["metadata"]["name"] for a in changes.create] == created
    assert [a["metadata"]["name"] for a in changes.update] == updated
    assert [a["metadata"]["name"] for a in changes.delete] == deleted
    for app in changes.create:
        assert app["metadata"]["ownerReferences"] == [owner_reference(appset)]


def test_update_keeps_status_operation_and_preserved_annotations() -> None:
    appset = _appset(preservedFields={"annotations": ["team"], "labels": ["keep"]})
    appset["spec"]["template"]["metadata"]["labels"] = {"env": "{{c}}"}
    current = _existing(
        "a",
        spec={"project": "old"},
        annotations={"team": "x", "argocd.argoproj.io/refresh": "hard", "other": "gone"},
        labels={"keep": "1", "drop": "2"},
    )
    current["operation"] = {"sync": {}}
    (update,) = plan_changes(appset, generate(appset)[:1], [current]).update
    assert update["spec"] == {"project": "default"}
    assert update["status"] == current["status"] and update["operation"] == {"sync": {}}
    assert update["metadata"]["resourceVersion"] == "7"
    assert update["metadata"]["annotations"] == {"team": "x", "argocd.argoproj.io/refresh": "hard"}
    assert update["metadata"]["labels"] == {"env": "a", "keep": "1"}
    assert update["metadata"]["finalizers"] == [RESOURCES_FINALIZER]


def test_unchanged_applications_are_not_written() -> None:
    appset = _appset()
    desired = generate(appset)
    existing = [
        _existing("a", finalizers=[RESOURCES_FINALIZER]),
        _existing("b", finalizers=[RESOURCES_FINALIZER]),
    ]
    changes = plan_changes(appset, desired, existing)
    assert changes.create == () and changes.update == () and changes.delete == ()
    assert changes.unchanged == ("a", "b")


def test_unowned_application_is_adopted_and_a_foreign_one_refused() -> None:
    appset = _appset()
    desired = generate(appset)
    (adopted,) = plan_changes(appset, desired[:1], [_existing("a", uid=None)]).update
    assert adopted["metadata"]["ownerReferences"] == [owner_reference(appset)]
    with pytest.raises(AppSetError, match="application a is already controlled by another object"):
        plan_changes(appset, desired[:1], [_existing("a", uid="2222")])


def test_a_sync_request_is_written_even_with_create_only() -> None:
    appset = _appset("create-only")
    (update,) = plan_changes(
        appset, generate(appset)[:1], [_existing("a", spec={"project": "x"})], operations={"a": {"sync": {}}}
    ).update
    assert update["operation"] == {"sync": {}} and update["spec"] == {"project": "x"}


def test_unknown_policy() -> None:
    with pytest.raises(AppSetError, match="applicationsSync 'sometimes'"):
        plan_changes(_appset("sometimes"), [], [])


def _secret(name: str, server: str) -> dict[str, Any]:
    return {
        "kind": "Secret",
        "metadata": {"name": f"cluster-{name}"},
        "stringData": {"name": name, "server": server},
    }


def test_validation_of_destinations_and_projects() -> None:
    clusters = known_clusters([_secret("prod", "https://prod:6443/")])
    assert clusters == {"https://kubernetes.default.svc": "in-cluster", "https://prod:6443": "prod"}
    apps = [
        {
            "metadata": {"name": "ok"},
            "spec": {"project": "default", "destination": {"server": "https://prod:6443"}},
        },
        {"metadata": {"name": "by-name"}, "spec": {"project": "p", "destination": {"name": "prod"}}},
        {"metadata": {"name": "far"}, "spec": {"project": "default", "destination": {"server": "https://x"}}},
        {"metadata": {"name": "noproj"}, "spec": {"project": "nope", "destination": {"name": "in-cluster"}}},
    ]
    assert validate_applications(apps, clusters, projects=["p"]) == [
        "application far: the destination is invalid: there are no clusters with this URL or name: https://x",
        "application noproj references project nope which does not exist",
    ]
    assert validate_applications(apps[:1], known_clusters([], include_in_cluster=False)) == [
        "application ok: the destination is invalid: there are no clusters with this URL or name: "
        "https://prod:6443"
    ]


def test_conditions_keep_their_transition_time() -> None:
    first = appset_conditions([], now="T0")
    assert [(c["type"], c["status"], c["reason"]) for c in first] == [
        ("ErrorOccurred", "False", "ApplicationSetUpToDate"),
        ("ParametersGenerated", "True", "ParametersGenerated"),
        ("ResourcesUpToDate", "True", "ApplicationSetUpToDate"),
    ]
    again = appset_conditions(first, now="T1", rollout=("True", "ApplicationSetModified", "m"))
    assert [c["lastTransitionTime"] for c in again] == ["T0", "T0", "T0", "T1"]
    failed = error_conditions(again, "RenderTemplateParamsError", "bad", now="T2")
    assert [(c["type"], c["status"], c["lastTransitionTime"]) for c in failed] == [
        ("ErrorOccurred", "True", "T2"),
        ("ParametersGenerated", "False", "T2"),
        ("ResourcesUpToDate", "False", "T2"),
        ("RolloutProgressing", "True", "T1"),
    ]


def test_resource_entries() -> None:
    app = _existing("a")
    app["status"]["health"] = {"status": "Degraded", "message": "deadline"}
    assert resource_entries([app]) == [
        {
            "group": "argoproj.io",
            "version": "v1alpha1",
            "kind": "Application",
            "name": "a",
            "namespace": "fleetops",
            "status": "Synced",
            "health": {"status": "Degraded", "message": "deadline"},
        }
    ]
