"""``fleetops render`` is dispatched before typer and rich are imported."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest
import typer
from typer.testing import CliRunner

from fleetops.cli import app, main


def _fake_render(calls: list[list[str]], status: int) -> types.ModuleType:
    module = types.ModuleType("fleetops.cli.render")

    def render_main(argv: list[str]) -> int:
        calls.append(argv)
        return status

    module.main = render_main  # type: ignore[attr-defined]
    return module


def test_render_is_dispatched_with_the_remaining_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setitem(sys.modules, "fleetops.cli.render", _fake_render(calls, 3))
    assert main.main(["render", "overlays/prod", "--output", "x"]) == 3
    assert calls == [["overlays/prod", "--output", "x"]]


def test_render_only_when_it_is_the_first_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setitem(sys.modules, "fleetops.cli.render", _fake_render(calls, 0))
    assert main.main(["version", "render"]) == 2  # typer: unexpected extra argument
    assert calls == []


def test_a_missing_renderer_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fleetops.cli.render", None)
    assert main.main(["render"]) == 2
    assert "render" in capsys.readouterr().err


# Run in a fresh interpreter: a stand-in renderer reports which modules were loaded.
_PROBE = """
import sys, types
render = types.ModuleType("fleetops.cli.render")
render.main = lambda argv: print(sorted(m for m in ("typer", "rich", "click") if m in sys.modules)) or 0
sys.modules["fleetops.cli.render"] = render
from fleetops.cli import main
raise SystemExit(main.main(["render", "."]))
"""


def test_render_dispatch_imports_neither_typer_nor_rich() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_command_modules_register_either_a_sub_app_or_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    example = typer.Typer(name="example")

    @example.command("hello")
    def hello() -> None:
        typer.echo("hello from example")

    group = types.ModuleType("fleetops.cli.example")
    group.app = example  # type: ignore[attr-defined]
    monkeypatch.setattr(app, "COMMAND_MODULES", (*app.COMMAND_MODULES, group))
    result = CliRunner().invoke(app.build_app(), ["example", "hello"])
    assert result.exit_code == 0, result.output
    assert "hello from example" in result.output


def test_a_module_without_app_or_register_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "COMMAND_MODULES", (types.ModuleType("fleetops.cli.empty"),))
    with pytest.raises(TypeError, match="neither a typer `app` nor `register"):
        app.build_app()
