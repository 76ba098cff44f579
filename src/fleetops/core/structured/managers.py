"""Field ownership: which manager owns which fields, at which API version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fleetops.core.structured.fieldset import FieldSet
from fleetops.core.structured.pathelements import FieldPath, Path

__all__ = ["Conflict", "ConflictError", "ManagedFields", "VersionedSet"]


@dataclass(frozen=True, slots=True)
class VersionedSet:
    """The fields one manager owns, recorded at ``api_version``; ``applied``: by an apply."""

    fields: FieldSet
    api_version: str
    applied: bool


ManagedFields = Mapping[str, VersionedSet]


@dataclass(frozen=True, slots=True, order=True)
class Conflict:
    """Another manager owns ``path`` and the apply would change it."""

    manager: str
    path: Path

    def __post_init__(self) -> None:
        if not isinstance(self.path, FieldPath):
            object.__setattr__(self, "path", FieldPath(self.path))

    def __str__(self) -> str:
        return f"conflict with {self.manager!r}: {self.path}"


class ConflictError(Exception):
    """A non-forced apply would change fields other managers own."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = sorted(conflicts)
        super().__init__("; ".join(str(c) for c in self.conflicts))
