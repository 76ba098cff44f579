"""Admission of CustomResourceDefinitions: 422 for definitions the schema cannot serve, and the
cleanup finalizer that makes deleting a CRD delete its custom resources first."""

from __future__ import annotations

from typing import Any

from fleetops.core.schema.errors import InvalidCustomResourceDefinitionError
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.state import ClusterState

Manifest = dict[str, Any]

CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"


def is_crd(info: ResourceInfo) -> bool:
    return info.gvk.group == "apiextensions.k8s.io" and info.gvk.kind == "CustomResourceDefinition"


def on_create(obj: Manifest) -> None:
    finalizers = obj["metadata"].setdefault("finalizers", [])
    if CLEANUP_FINALIZER not in finalizers:
        finalizers.append(CLEANUP_FINALIZER)


def causes(state: ClusterState, info: ResourceInfo, obj: Manifest) -> list[errors.Cause]:
    if not is_crd(info):
        return []
    try:
        state.schema.with_crd(obj)
    except InvalidCustomResourceDefinitionError as exc:
        return [errors.Cause("FieldValueInvalid", f"Invalid value: {exc.reason}", exc.path)]
    return []
