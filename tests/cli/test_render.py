"""`fleetops render DIR`: same text as `kubectl kustomize DIR`, exit codes, stderr, -o FILE."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.shared import SHARED_DIR

from fleetops.cli import render

STAGING = SHARED_DIR / "seed" / "examples" / "kustomize" / "overlays" / "staging"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def _simple(tmp_path: Path) -> Path:
    return _tree(
        tmp_path / "app",
        {
            "kustomization.yaml": "resources:\n- cm.yaml\nnamePrefix: p-\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n",
        },
    )


def test_prints_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert render.main([str(_simple(tmp_path))]) == 0
    out = capsys.readouterr()
    assert out.out == "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: p-c\n"
    assert out.err == ""


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.yaml"
    assert render.main([str(_simple(tmp_path)), "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text().endswith("name: p-c\n")


def test_error_exit_code_and_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = _tree(tmp_path / "bad", {"kustomization.yaml": "resources:\n- missing.yaml\n"})
    assert render.main([str(app)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith("Error: accumulating resources")
    assert "missing.yaml" in out.err


def test_load_restrictor_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tree(
        tmp_path,
        {
            "shared/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n",
            "app/kustomization.yaml": "resources:\n- ../shared/cm.yaml\n",
        },
    )
    assert render.main([str(tmp_path / "app")]) == 1
    assert "is not in or below" in capsys.readouterr().err
    assert render.main([str(tmp_path / "app"), "--load-restrictor", "LoadRestrictionsNone"]) == 0
    assert "name: s" in capsys.readouterr().out


def test_reorder_none_keeps_input_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = _tree(
        tmp_path / "app",
        {
            "kustomization.yaml": "resources:\n- r.yaml\n",
            "r.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n"
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
        },
    )
    assert render.main([str(app), "--reorder", "none"]) == 0
    assert capsys.readouterr().out.index("kind: Service") < 40
    assert render.main([str(app)]) == 0
    assert capsys.readouterr().out.startswith("apiVersion: v1\nkind: Namespace")


def test_deprecation_warnings_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    if not STAGING.is_dir():
        pytest.skip("seed examples absent")
    assert render.main([str(STAGING)]) == 0
    err = capsys.readouterr().err
    assert "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead." in err


@pytest.mark.oracle
def test_same_text_as_kubectl_kustomize(kubectl: Path, tmp_path: Path) -> None:
    if not STAGING.is_dir():
        pytest.skip("seed examples absent")
    script = "import sys; from fleetops.cli.main import main; sys.exit(main(sys.argv[1:]))"
    ours = subprocess.run(
        [sys.executable, "-c", script, "render", str(STAGING)], capture_output=True, text=True, check=False
    )
    theirs = subprocess.run(
        [str(kubectl), "kustomize", str(STAGING)], capture_output=True, text=True, check=True
    )
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout


def test_render_does_not_import_typer() -> None:
    code = (
        "import sys\nfrom fleetops.cli.main import main\n"
        f"main(['render', {str(STAGING)!r}])\n"
        "assert 'typer' not in sys.modules and 'rich' not in sys.modules, 'heavy import'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["dir"],
        ["dir", "-o", "out.yaml"],
        ["-o", "out.yaml", "dir"],
        ["dir", "--output=out.yaml", "--reorder", "none"],
        ["--load-restrictor", "LoadRestrictionsNone", "dir", "--enable-helm"],
        ["--load-restrictor=LoadRestrictionsRootOnly", "--reorder=legacy", "dir"],
    ],
)
def test_quick_parse_agrees_with_argparse(argv: list[str]) -> None:
    quick = render._quick_parse(argv)
    assert quick is not None
    assert vars(quick) == vars(render._parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv", [["-h"], ["--reorder", "bogus"], ["a", "b"], ["--output"], ["-o=x"], ["--unknown", "d"]]
)
def test_unusual_command_lines_go_to_argparse(argv: list[str]) -> None:
    assert render._quick_parse(argv) is None
