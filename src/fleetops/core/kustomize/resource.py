"""A resource in a build: the object plus what kustomize remembers about its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize.resid import Gvk, ResId
from fleetops.core.yamlio.reader import deep_copy

Manifest = dict[str, Any]


@dataclass
class Resource:
    obj: Manifest
    prev_ids: list[ResId] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    # generator bookkeeping
    generated: bool = False
    behavior: str = ""
    hash_suffix: bool = False
    # vars bookkeeping
    ref_var_names: list[str] = field(default_factory=list)
    origin: dict[str, Any] | None = None
    transformations: list[dict[str, Any]] = field(default_factory=list)
    stringify_annotations: bool = False
    shared_values: list[tuple[tuple[Any, ...], str, str]] = field(default_factory=list)
    """(path of a map, key, text) set by commonLabels/commonAnnotations with `$(VAR)` in the text."""

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.obj.get("metadata")
        if not isinstance(meta, dict):
            meta = {}
            self.obj["metadata"] = meta
        return meta

    @property
    def gvk(self) -> Gvk:
        return Gvk.from_api_version(str(self.obj.get("apiVersion") or ""), str(self.obj.get("kind") or ""))

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind") or "")

    @property
    def name(self) -> str:
        meta = self.obj.get("metadata")
        return str(meta.get("name") or "") if isinstance(meta, dict) else ""

    @name.setter
    def name(self, value: str) -> None:
        self.metadata["name"] = value

    @property
    def namespace(self) -> str:
        meta = self.obj.get("metadata")
        value = meta.get("namespace") if isinstance(meta, dict) else None
        return str(value) if value is not None else ""

    @namespace.setter
    def namespace(self, value: str) -> None:
        self.metadata["namespace"] = value

    @property
    def labels(self) -> dict[str, Any]:
        value = self.metadata.get("labels")
        return value if isinstance(value, dict) else {}

    @property
    def annotations(self) -> dict[str, Any]:
        value = self.metadata.get("annotations")
        return value if isinstance(value, dict) else {}

    def cur_id(self) -> ResId:
        return ResId(self.gvk, self.name, self.namespace)

    def org_id(self) -> ResId:
        return self.prev_ids[0] if self.prev_ids else self.cur_id()

    def all_ids(self) -> list[ResId]:
        return [self.cur_id(), *self.prev_ids]

    def store_previous_id(self) -> None:
        """Remember the current id before a name, namespace or kind change."""
        self.prev_ids.append(self.cur_id())
        self.stringify_annotations = True

    def prefixes_suffixes_equal(self, other: Resource, *, allow_empty: bool = False) -> bool:
        if allow_empty:
            return (
                not self.prefixes or not other.prefixes or _same_ending(self.prefixes, other.prefixes)
            ) and (not self.suffixes or not other.suffixes or _same_ending(self.suffixes, other.suffixes))
        return _same_ending(self.prefixes, other.prefixes) and _same_ending(self.suffixes, other.suffixes)

    def copy(self) -> Resource:

        return Resource(
            obj=deep_copy(self.obj),
            prev_ids=list(self.prev_ids),
            prefixes=list(self.prefixes),
            suffixes=list(self.suffixes),
            generated=self.generated,
            behavior=self.behavior,
            hash_suffix=self.hash_suffix,
            ref_var_names=list(self.ref_var_names),
            origin=self.origin,
            transformations=list(self.transformations),
            stringify_annotations=self.stringify_annotations,
            shared_values=list(self.shared_values),
        )


def _same_ending(left: list[str], right: list[str]) -> bool:
    shorter, longer = (left, right) if len(left) <= len(right) else (right, left)
    if not shorter:
        return not longer
    return longer[len(longer) - len(shorter) :] == shorter
