"""``ResourceDiff``: the outcome of comparing one desired object with its live copy."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.diff.changes import ChangedPath
from fleetops.core.yamlio import dump_document
from fleetops.model.keys import ResourceKey

__all__ = ["ResourceDiff", "render_yaml_diff"]

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
        return render_yaml_diff(self.key, self.normalized_live, self.predicted_live, context=context)


def render_yaml_diff(
    key: ResourceKey, live: Manifest | None, desired: Manifest | None, *, context: int = 3
) -> str:
    """``===== group/Kind namespace/name ======`` and the unified diff of the YAML of both sides
    (None: the side does not exist: a missing object or one to be pruned)."""
    live_text = dump_document(live) if live is not None else ""
    desired_text = dump_document(desired) if desired is not None else ""
    lines = difflib.unified_diff(
        live_text.splitlines(keepends=True),
        desired_text.splitlines(keepends=True),
        fromfile=f"live/{_label(key)}",
        tofile=f"desired/{_label(key)}",
        n=context,
    )
    body = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return f"===== {key.group}/{key.kind} {key.namespace}/{key.name} ======\n{body}"


def _label(key: ResourceKey) -> str:
    return ".".join(part for part in (key.group, key.kind, key.namespace, key.name) if part)
