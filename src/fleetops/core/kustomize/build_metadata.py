"""buildMetadata (originAnnotations, transformerAnnotations, managedByLabel) and --add-managedby."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetops.core.kustomize.resource import Resource

if TYPE_CHECKING:
    from fleetops.core.kustomize.build import BuildOptions

MANAGED_BY = "app.kubernetes.io/managed-by"


ORIGIN = "config.kubernetes.io/origin"
TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations"


def _origin_text(origin: dict[str, Any], indent: str = "") -> str:
    lines = []
    for key in ("path", "repo", "ref", "configuredIn"):
        if origin.get(key):
            lines.append(f"{key}: {origin[key]}")
    by = origin.get("configuredBy")
    if isinstance(by, dict):
        lines.append("configuredBy:")
        for key in ("apiVersion", "kind", "name", "namespace"):
            if by.get(key):
                lines.append(f"  {key}: {by[key]}")
    return "".join(f"{indent if i else ''}{line}\n" for i, line in enumerate(lines))


def apply_build_metadata(resources: list[Resource], build_metadata: list[Any], options: BuildOptions) -> None:
    if "originAnnotations" in build_metadata:
        for resource in resources:
            if resource.origin:
                resource.metadata.setdefault("annotations", {})
                resource.metadata["annotations"][ORIGIN] = _origin_text(resource.origin)
    if "transformerAnnotations" in build_metadata:
        for resource in resources:
            if resource.transformations:
                text = "".join("- " + _origin_text(t, "  ") for t in resource.transformations)
                resource.metadata.setdefault("annotations", {})
                resource.metadata["annotations"][TRANSFORMATIONS] = text
    if options.add_managed_by_label or "managedByLabel" in build_metadata:
        for resource in resources:
            labels = resource.metadata.get("labels")
            if not isinstance(labels, dict):
                labels = {}
                resource.metadata["labels"] = labels
            labels.setdefault(MANAGED_BY, options.managed_by)
