"""``fleetops version`` and ``fleetops --help``, in process and through the console script."""

from __future__ import annotations

import inspect
import platform
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import fleetops
from fleetops.cli import app, main, version
from fleetops.core import schema

runner = CliRunner()


def test_version_prints_fleetops_python_and_default_schema() -> None:
    result = runner.invoke(app.build_app(), ["version"])
    assert result.exit_code == 0, result.output
    assert f"fleetops {fleetops.__version__}" in result.output
    assert f"Python {platform.python_version()}" in result.output
    assert "Kubernetes schema 1.32 (default)" in result.output


def test_reported_schema_version_is_load_schemas_default() -> None:
    default = inspect.signature(schema.load_schema).parameters["version"].default
    assert f"Kubernetes schema {default} (default)" in version.version_lines()


def test_help_lists_version() -> None:
    result = runner.invoke(app.build_app(), ["--help"])
    assert result.exit_code == 0, result.output
    assert "version" in result.output
    assert "GitOps" in result.output


def test_unknown_command_is_a_usage_error() -> None:
    assert main.main(["no-such-command"]) == 2


def test_main_returns_the_exit_status_of_version() -> None:
    assert main.main(["version"]) == 0


def test_installed_console_script_prints_version() -> None:
    script = Path(sys.executable).parent / "fleetops"
    completed = subprocess.run(
        [str(script), "version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == f"fleetops {fleetops.__version__}"
    assert lines[1].startswith(f"Python {platform.python_version()}")
    assert lines[2] == "Kubernetes schema 1.32 (default)"


def test_installed_console_script_help_lists_version() -> None:
    script = Path(sys.executable).parent / "fleetops"
    completed = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert "version" in completed.stdout
