"""The strategic-merge oracle: `kubectl patch --local -f OBJ.json -p PATCH --type strategic -o json`."""

from __future__ import annotations

import json
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class KubectlResult:
    """kubectl's answer: the patched object, or the error it printed (stderr is ignored on success)."""

    ok: bool
    obj: dict[str, Any] | None
    error: str


def kubectl_patch(kubectl: Path, obj: dict[str, Any], patch: dict[str, Any]) -> KubectlResult:
    with tempfile.TemporaryDirectory(prefix="fleetops-smp-") as directory:
        path = Path(directory) / "obj.json"
        path.write_text(json.dumps(obj))
        command = [str(kubectl), "patch", "--local", "-f", str(path), "-p", json.dumps(patch)]
        completed = subprocess.run(
            [*command, "--type", "strategic", "-o", "json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    if completed.returncode != 0:
        return KubectlResult(False, None, (completed.stderr or completed.stdout).strip())
    return KubectlResult(True, json.loads(completed.stdout), "")


def kubectl_patch_all(
    kubectl: Path, pairs: list[tuple[dict[str, Any], dict[str, Any]]], *, workers: int = 8
) -> list[KubectlResult]:
    """kubectl's answers for many (object, patch) pairs, run concurrently, in input order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda pair: kubectl_patch(kubectl, *pair), pairs))
