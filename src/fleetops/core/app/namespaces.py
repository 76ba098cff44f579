"""Argo CD's apps-in-any-namespace rule: an Application outside the control-plane namespace is
reconciled only when its project lists the Application's namespace in `spec.sourceNamespaces`
(globs, or `/regexp/`).

The `default` project fleetops assumes when no AppProject exists (core.project) has no source
namespaces, as Argo CD's own: Applications elsewhere need an AppProject that names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.app.fields import mapping, strings
from fleetops.core.app.globs import match_in_list
from fleetops.model import manifest


def source_namespaces(project: Mapping[str, Any]) -> tuple[str, ...]:
    return strings(mapping(project.get("spec")).get("sourceNamespaces"))


def is_namespace_permitted(
    namespace: str, control_plane_namespace: str, project: Mapping[str, Any] | None
) -> bool:
    """Argo CD's `IsAppNamespacePermitted`."""
    if not namespace or namespace == control_plane_namespace:
        return True
    return project is not None and match_in_list(source_namespaces(project), namespace)


def is_reconcilable(
    app: Mapping[str, Any], control_plane_namespace: str, project: Mapping[str, Any] | None
) -> bool:
    """May fleetops reconcile `app`? Yes in the control-plane namespace (or without a
    namespace); elsewhere only when `project` (the AppProject the app names, None when it does
    not exist) allows the app's namespace."""
    return is_namespace_permitted(manifest.namespace(app), control_plane_namespace, project)
