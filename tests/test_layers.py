"""The import-linter contracts cover every package of fleetops (ARCHITECTURE.md section 3)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.support.shared import REPO_ROOT

PACKAGE_DIR = REPO_ROOT / "src" / "fleetops"


def _packages() -> set[str]:
    return {
        f"fleetops.{path.name}"
        for path in PACKAGE_DIR.iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    }


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads(Path(REPO_ROOT / "pyproject.toml").read_text())
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _layer_modules() -> set[str]:
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    names: set[str] = set()
    for layer in layers["layers"]:  # type: ignore[attr-defined]
        for part in str(layer).split("|"):
            names.add(part.strip().strip("()"))
    return names


def test_every_package_but_kubesim_is_in_a_layer() -> None:
    missing = _packages() - _layer_modules() - {"fleetops.kubesim"}
    assert not missing, f"add {sorted(missing)} to the layers contract in pyproject.toml"


def test_no_package_but_the_cli_may_import_kubesim() -> None:
    (contract,) = [c for c in _contracts() if c.get("forbidden_modules") == ["fleetops.kubesim"]]
    sources = set(contract["source_modules"])  # type: ignore[call-overload]
    missing = _packages() - sources - {"fleetops.cli", "fleetops.embedded", "fleetops.kubesim"}
    assert not missing, f"add {sorted(missing)} to the 'Nothing but the CLI wiring imports kubesim' contract"


def test_kubesim_imports_only_model_and_core() -> None:
    (contract,) = [c for c in _contracts() if c.get("source_modules") == ["fleetops.kubesim"]]
    forbidden = set(contract["forbidden_modules"])  # type: ignore[call-overload]
    missing = _packages() - forbidden - {"fleetops.model", "fleetops.core", "fleetops.kubesim"}
    assert not missing, f"add {sorted(missing)} to the 'kubesim imports only model and core' contract"
