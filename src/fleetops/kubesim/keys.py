"""How the store names things: a resource is a group plus a plural (`apps`, `deployments`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class GroupResource:
    group: str
    resource: str

    def __str__(self) -> str:
        return f"{self.resource}.{self.group}" if self.group else self.resource


ObjectName = tuple[str, str]
"""(namespace, name); the namespace is "" for cluster-scoped objects."""
