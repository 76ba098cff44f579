"""Who asks, and the options of a write, as decoded from the request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldValidation = Literal["Strict", "Warn", "Ignore"]


@dataclass(frozen=True, slots=True)
class Caller:
    identity: str
    user_agent: str = ""

    def default_manager(self) -> str:
        """The field manager of a write without `fieldManager`: the user agent's program name."""
        program = self.user_agent.split("/")[0].strip()
        return program or "unknown"


@dataclass(frozen=True, slots=True)
class WriteOptions:
    dry_run: bool = False
    field_manager: str = ""
    field_validation: FieldValidation = "Warn"
    force: bool = False

    def manager(self, caller: Caller) -> str:
        return self.field_manager or caller.default_manager()


@dataclass(frozen=True, slots=True)
class DeleteOptions:
    dry_run: bool = False
    propagation: str = ""
    """`Background`, `Foreground`, `Orphan`, or "" for the resource's default."""
    orphan_dependents: bool | None = None
    precondition_uid: str = ""
    precondition_resource_version: str = ""
    grace_period_seconds: int | None = None
