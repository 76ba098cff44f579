"""Resource tracking, as Argo CD does it: the `argocd.argoproj.io/tracking-id` annotation
`<app>:<group>/<kind>:<namespace>/<name>` (annotation method, the default), or the
`app.kubernetes.io/instance` label (label method, read for migrations from older Argo CD setups)."""

from __future__ import annotations

import copy
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.core.sync import argo_annotations as argo
from fleetops.model import manifest as manifests
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest

INSTANCE_LABEL = "app.kubernetes.io/instance"


class TrackingMethod(enum.StrEnum):
    ANNOTATION = "annotation"
    LABEL = "label"
    ANNOTATION_AND_LABEL = "annotation+label"


class TrackingIdError(ValueError):
    """A tracking id that is not `<app>:<group>/<kind>:<namespace>/<name>`."""


@dataclass(frozen=True, slots=True)
class TrackingId:
    app: str
    group: str
    kind: str
    namespace: str
    name: str

    @property
    def key(self) -> ResourceKey:
        return ResourceKey(self.group, self.kind, self.namespace, self.name)

    def __str__(self) -> str:
        return f"{self.app}:{self.group}/{self.kind}:{self.namespace}/{self.name}"


def instance_name(app: str, app_namespace: str = "", control_plane_namespace: str = "") -> str:
    """How Argo CD names an application in tracking data: `<namespace>_<name>` for an
    application outside the control-plane namespace (apps in any namespace), else `<name>`."""
    if app_namespace and control_plane_namespace and app_namespace != control_plane_namespace:
        return f"{app_namespace}_{app}"
    return app


def tracking_id(app: str, obj: Mapping[str, Any]) -> str:
    """The tracking id of `obj` when application `app` manages it."""
    key = ResourceKey.of(obj)
    return str(TrackingId(app, key.group, key.kind, key.namespace, key.name))


def parse_tracking_id(value: str) -> TrackingId:
    parts = value.split(":")
    if len(parts) != 3:
        raise TrackingIdError(f'tracking id "{value}": expected <app>:<group>/<kind>:<namespace>/<name>')
    group_kind, namespace_name = parts[1].split("/"), parts[2].split("/")
    if len(group_kind) != 2 or len(namespace_name) != 2 or not parts[0]:
        raise TrackingIdError(f'tracking id "{value}": expected <app>:<group>/<kind>:<namespace>/<name>')
    return TrackingId(parts[0], group_kind[0], group_kind[1], namespace_name[0], namespace_name[1])


def app_name_of(obj: Mapping[str, Any], *, method: TrackingMethod = TrackingMethod.ANNOTATION) -> str | None:
    """The application that manages `obj`, or None. With annotation tracking the id must name
    `obj` itself: a copied object (another name, kind or namespace) is not managed."""
    if method is TrackingMethod.LABEL:
        return manifests.labels(obj).get(INSTANCE_LABEL) or None
    value = manifests.annotations(obj).get(argo.TRACKING_ID)
    if not value:
        return None
    try:
        parsed = parse_tracking_id(value)
    except TrackingIdError:
        return None
    key = ResourceKey.of(obj)
    # Argo CD writes the namespace into every target, cluster-scoped ones included; accept both.
    same_namespace = parsed.namespace == key.namespace or not key.namespace
    if (parsed.group, parsed.kind, parsed.name) != (key.group, key.kind, key.name) or not same_namespace:
        return None
    return parsed.app


def is_managed_by(
    obj: Mapping[str, Any], app: str, *, method: TrackingMethod = TrackingMethod.ANNOTATION
) -> bool:
    return app_name_of(obj, method=method) == app


def with_tracking(obj: Manifest, app: str, *, method: TrackingMethod = TrackingMethod.ANNOTATION) -> Manifest:
    """A copy of `obj` marked as managed by `app` (annotation and/or label by `method`)."""
    tracked = copy.deepcopy(obj)
    metadata = tracked.setdefault("metadata", {})
    if method in (TrackingMethod.ANNOTATION, TrackingMethod.ANNOTATION_AND_LABEL):
        metadata.setdefault("annotations", {})[argo.TRACKING_ID] = tracking_id(app, obj)
    if method in (TrackingMethod.LABEL, TrackingMethod.ANNOTATION_AND_LABEL):
        metadata.setdefault("labels", {})[INSTANCE_LABEL] = app
    return tracked
