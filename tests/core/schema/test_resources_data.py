"""The committed resources data file is what `scripts/gen_resources.py` derives today."""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[3]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_resources", REPO_ROOT / "scripts" / "gen_resources.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


def test_committed_resources_match_the_installed_kubernetes_client() -> None:
    generator = _generator()
    committed = resources.files("fleetops.core.schema").joinpath("data", "resources.json").read_text()
    derived = generator.render(generator.derive_document())
    assert json.loads(committed) == json.loads(derived), (
        "src/fleetops/core/schema/data/resources.json is stale: run .venv/bin/python scripts/gen_resources.py"
    )
    assert committed == derived
