"""Typed patch errors; each names the offending path (e.g. `spec.template.spec.containers[2]`)."""

from __future__ import annotations

from collections.abc import Sequence

PathStep = str | int
Path = tuple[PathStep, ...]


def format_path(path: Sequence[PathStep]) -> str:
    """`("spec", "containers", 2, "env")` -> `spec.containers[2].env`; the root is `.`."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text or "."


class PatchError(ValueError):
    """A patch that cannot be applied (or computed); `.path` is where, `.reason` is why."""

    def __init__(self, reason: str, path: Sequence[PathStep] | str = ()) -> None:
        self.reason = reason
        self.path = path if isinstance(path, str) else format_path(path)
        super().__init__(f"{self.path}: {reason}")


class NoStrategicMergeSchemaError(PatchError):
    """The kind has no strategic-merge metadata (a custom resource, or a kind the schema lacks)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"strategic merge patch is not supported for {kind}; use a JSON merge patch", ())
