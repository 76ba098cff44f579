"""What a kustomization accumulates: resources, transformer configuration, vars."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize.builtin_config import TransformerConfig
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource


@dataclass
class Accumulator:
    resources: ResMap = field(default_factory=ResMap)
    config: TransformerConfig = field(default_factory=TransformerConfig)
    vars: list[dict[str, Any]] = field(default_factory=list)

    def merge(self, other: Accumulator) -> None:
        self.config.merge(other.config)
        self.merge_vars(other.vars)

    def merge_vars(self, new_vars: list[dict[str, Any]]) -> None:
        for var in new_vars:
            name = var.get("name")
            if any(v.get("name") == name for v in self.vars):
                raise KustomizeError(f"var '{name}' already encountered")
            self.vars.append(var)

    def absorb(self, generated: list[Resource]) -> None:
        """Add generated resources, honouring behavior create / merge / replace."""
        for resource in generated:
            self._absorb_one(resource)

    def _absorb_one(self, resource: Resource) -> None:
        res_id = resource.cur_id()
        matches = self.resources.matching_any_id(res_id.equals)
        if not matches:
            if resource.behavior in ("merge", "replace"):
                raise KustomizeError(f"id {res_id} does not exist; cannot merge or replace")
            self.resources.append(resource)
            return
        if len(matches) > 1:
            raise KustomizeError(
                f"found multiple objects {[str(m.cur_id()) for m in matches]} that could "
                f"accept merge of {res_id}"
            )
        old = matches[0]
        if resource.behavior not in ("merge", "replace"):
            raise KustomizeError(f"id {res_id} exists; behavior must be merge or replace")
        _copy_merge_metadata(resource, old)
        if resource.behavior == "merge":
            for key in ("data", "binaryData"):
                merged = dict(old.obj.get(key) or {})
                merged.update(resource.obj.get(key) or {})
                if merged:
                    resource.obj[key] = merged
            if resource.origin is None or old.origin is not None:
                resource.origin = old.origin
        self.resources.replace(old, resource)


def _copy_merge_metadata(new: Resource, old: Resource) -> None:
    labels = dict(old.labels)
    labels.update(new.labels)
    annotations = dict(old.annotations)
    annotations.update(new.annotations)
    meta = new.metadata
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    meta["name"] = old.name
    if old.namespace:
        meta["namespace"] = old.namespace
    else:
        meta.pop("namespace", None)
    new.prev_ids = list(old.prev_ids)
    new.prefixes = list(old.prefixes)
    new.suffixes = list(old.suffixes)
    new.hash_suffix = old.hash_suffix and new.hash_suffix
    new.ref_var_names = list(old.ref_var_names)
    new.stringify_annotations = old.stringify_annotations or new.stringify_annotations
