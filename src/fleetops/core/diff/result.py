"""``ResourceDiff``: the outcome of comparing one desired object with its live copy."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.diff.changes import ChangedPath
from fleetops.core.yamlio import dump_document
from fleetops.model.keys import ResourceKey

__all__ = ["ResourceDiff"]

Manifest = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ResourceDiff:
    """What a sync would change in one object.

    ``predicted_live`` is the live object as a sync would leave it and ``normalized_live`` the
    live object now (None when it does not exist), both without server-owned fields and ignored
    fields, Secret values masked. ``changes`` lists the differing paths.
    """

    key: ResourceKey
    modified: bool
    predicted_live: Manifest
    normalized_live: Manifest | None
    changes: tuple[ChangedPath, ...] = field(default=())

    @property
    def missing(self) -> bool:
        """The object does not exist in the cluster."""
        return self.normalized_live is None

    def render_diff(self, *, context: int = 3) -> str:
        """A unified diff of the two objects' YAML, as ``argocd app diff`` / ``kubectl diff`` show.

        Empty when nothing differs.
        """
        if not self.modified:
            return ""
        live_text = dump_document(self.normalized_live) if self.normalized_live is not None else ""
        desired_text = dump_document(self.predicted_live)
        title = f"{self.key.group}/{self.key.kind} {self.key.namespace}/{self.key.name}"
        lines = difflib.unified_diff(
            live_text.splitlines(keepends=True),
            desired_text.splitlines(keepends=True),
            fromfile=f"live/{_label(self.key)}",
            tofile=f"desired/{_label(self.key)}",
            n=context,
        )
        body = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        return f"===== {title} ======\n{body}"


def _label(key: ResourceKey) -> str:
    return ".".join(part for part in (key.group, key.kind, key.namespace, key.name) if part)
