"""What a render was asked to do, besides the files it read: part of the render-cache key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RenderInputs:
    repo_url: str
    path: str
    """The source path inside the repository (`spec.source.path`)."""
    renderer: str = "kustomize"
    """`kustomize`, `directory`, ... (with a version, to invalidate records across upgrades)."""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    """`spec.source.kustomize` / `directory` options: images, namePrefix, commonLabels, ..."""

    @property
    def key(self) -> str:
        """A digest of the inputs (canonical JSON: key order does not matter)."""
        inputs = {"repo": self.repo_url, "path": self.path, "renderer": self.renderer}
        text = json.dumps(
            {**inputs, "overrides": self.overrides},
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(text.encode()).hexdigest()
