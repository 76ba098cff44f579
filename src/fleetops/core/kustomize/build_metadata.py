"""buildMetadata (originAnnotations, transformerAnnotations, managedByLabel) and --add-managedby."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetops.core.kustomize.resource import Resource

if TYPE_CHECKING:
    from fleetops.core.kustomize.build import BuildOptions

MANAGED_BY = "app.kubernetes.io/managed-by"


def apply_build_metadata(resources: list[Resource], build_metadata: list[Any], options: BuildOptions) -> None:
    if options.add_managed_by_label or "managedByLabel" in build_metadata:
        for resource in resources:
            labels = resource.metadata.get("labels")
            if not isinstance(labels, dict):
                labels = {}
                resource.metadata["labels"] = labels
            labels.setdefault(MANAGED_BY, options.managed_by)
