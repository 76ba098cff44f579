"""Errors of sync planning; each names the resource or option at fault."""

from __future__ import annotations


class SyncPlanError(ValueError):
    """A manifest or option that makes a sync impossible to plan."""


class SyncOptionError(SyncPlanError):
    """A sync option with a value Argo CD does not define (`CreateNamespace=yes`)."""

    def __init__(self, option: str, reason: str, *, resource: str = "") -> None:
        self.option = option
        self.reason = reason
        self.resource = resource
        where = f"{resource}: " if resource else ""
        super().__init__(f'{where}sync option "{option}": {reason}')


class SyncWaveError(SyncPlanError):
    """A `sync-wave` (or Helm `hook-weight`) annotation that is not an integer."""

    def __init__(self, resource: str, value: str, annotation: str) -> None:
        self.resource = resource
        self.value = value
        super().__init__(f'{resource}: {annotation} "{value}" is not an integer')


class HookError(SyncPlanError):
    """A hook annotation naming no hook type or delete policy Argo CD defines."""

    def __init__(self, resource: str, annotation: str, value: str) -> None:
        self.resource = resource
        self.value = value
        super().__init__(f'{resource}: unknown {annotation} "{value}"')
