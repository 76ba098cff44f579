"""What a render looked at: the render-cache record, checked against a later commit's tree."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class PathKind(enum.Enum):
    FILE = "file"
    DIR = "dir"
    MISSING = "missing"
    ESCAPE = "escape"
    """Refused: the path (or a symlink on it) leads outside the root."""


@dataclass(frozen=True)
class RenderRecord:
    inputs_key: str
    """`RenderInputs.key` of the render."""
    files: Mapping[str, str] = field(default_factory=dict)
    """Every file read: path -> Git blob id of its content."""
    kinds: Mapping[str, PathKind] = field(default_factory=dict)
    """Every path whose existence or type was asked about (misses included)."""
    listings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Every directory listed: path -> entry names, sorted."""
    real_paths: Mapping[str, str] = field(default_factory=dict)
    """Every symlink resolution asked for: path -> resolved path."""
    commit: str = ""
    """The commit rendered (informational; a record is valid at any commit it passes at)."""

    @property
    def missing(self) -> frozenset[str]:
        """Paths looked for and not found: a file appearing there changes the render."""
        return frozenset(p for p, kind in self.kinds.items() if kind is PathKind.MISSING)

    @property
    def size(self) -> int:
        return len(self.files) + len(self.kinds) + len(self.listings) + len(self.real_paths)
