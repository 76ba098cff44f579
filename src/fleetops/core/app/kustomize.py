"""`source.kustomize`: the overrides Argo CD applies on top of a kustomization
(`kustomize edit set image|nameprefix|namesuffix|label|annotation|namespace|replicas`, patches)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.app.fields import mapping, sequence, string, string_map, strings
from fleetops.core.app.source import Source


@dataclass(frozen=True, slots=True)
class Replica:
    """`replicas[]`: the replica count for the workloads named `name`."""

    name: str
    count: int | str  # Argo CD accepts an integer or its string form


@dataclass(frozen=True, slots=True)
class KustomizeOverrides:
    images: tuple[str, ...] = ()  # "name=newName:tag", "name:tag", "name@digest"
    name_prefix: str = ""
    name_suffix: str = ""
    namespace: str = ""
    common_labels: Mapping[str, str] = field(default_factory=dict)
    common_annotations: Mapping[str, str] = field(default_factory=dict)
    force_common_labels: bool = False
    force_common_annotations: bool = False
    label_without_selector: bool = False
    label_include_templates: bool = False
    replicas: tuple[Replica, ...] = ()
    patches: tuple[Mapping[str, Any], ...] = ()  # kustomize `patches` entries, as written
    components: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self == KustomizeOverrides()


def kustomize_overrides(source: Source) -> KustomizeOverrides:
    """The source's `kustomize` block (an empty `KustomizeOverrides` when absent)."""
    raw = mapping(source.get("kustomize"))
    return KustomizeOverrides(
        images=strings(raw.get("images")),
        name_prefix=string(raw.get("namePrefix")),
        name_suffix=string(raw.get("nameSuffix")),
        namespace=string(raw.get("namespace")),
        common_labels=string_map(raw.get("commonLabels")),
        common_annotations=string_map(raw.get("commonAnnotations")),
        force_common_labels=raw.get("forceCommonLabels") is True,
        force_common_annotations=raw.get("forceCommonAnnotations") is True,
        label_without_selector=raw.get("labelWithoutSelector") is True,
        label_include_templates=raw.get("labelIncludeTemplates") is True,
        replicas=tuple(_replica(item) for item in sequence(raw.get("replicas"))),
        patches=tuple(mapping(item) for item in sequence(raw.get("patches"))),
        components=strings(raw.get("components")),
    )


def _replica(item: object) -> Replica:
    raw = mapping(item)
    count = raw.get("count")
    return Replica(
        name=string(raw.get("name")),
        count=count if isinstance(count, int | str) and not isinstance(count, bool) else 0,
    )
