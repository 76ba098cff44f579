"""An ordered set of resources with kustomize's id rules (no two resources share a current id)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.resid import ResId
from fleetops.core.kustomize.resource import Resource

if TYPE_CHECKING:
    from fleetops.core.kustomize.openapi import CustomSchema


class ResMap:
    def __init__(self, resources: list[Resource] | None = None) -> None:
        self.resources: list[Resource] = []
        self.openapi: CustomSchema | None = None
        """A custom OpenAPI schema (the kustomization's `openapi:`) strategic merges use."""
        for resource in resources or []:
            self.append(resource)

    def __iter__(self) -> Iterator[Resource]:
        return iter(list(self.resources))

    def __len__(self) -> int:
        return len(self.resources)

    def append(self, resource: Resource) -> None:
        new_id = resource.cur_id()
        for existing in self.resources:
            if existing.name == new_id.name and existing.cur_id().equals(new_id):
                raise KustomizeError(f"may not add resource with an already registered id: {new_id}")
        self.resources.append(resource)

    def append_all(self, other: ResMap) -> None:
        for resource in other.resources:
            self.append(resource)

    def remove(self, resource: Resource) -> None:
        self.resources = [r for r in self.resources if r is not resource]

    def replace(self, old: Resource, new: Resource) -> None:
        self.resources = [new if r is old else r for r in self.resources]

    def matching_any_id(self, predicate: Callable[[ResId], bool]) -> list[Resource]:
        return [r for r in self.resources if any(predicate(i) for i in r.all_ids())]

    def matching_current_id(self, predicate: Callable[[ResId], bool]) -> list[Resource]:
        return [r for r in self.resources if predicate(r.cur_id())]

    def get_by_id(self, res_id: ResId) -> Resource:
        """The one resource any of whose ids equals `res_id` (kustomize's GetById)."""
        matches = self.matching_any_id(res_id.equals)
        if len(matches) == 1:
            return matches[0]
        problem = "multiple matches" if matches else "no matches"
        raise KustomizeError(f"{problem} for Id {res_id}; failed to find unique target for patch {res_id}")

    def clear(self) -> None:
        self.resources = []
