"""The ``fleetops`` console script.

``fleetops render …`` is dispatched before typer and rich are imported: CI scripts run it in
loops, so its start-up cost is only Python's and the renderer's own.
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["main"]

_RENDER_MODULE = "fleetops.cli.render"


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["render"]:
        return _render(args[1:])
    return _run_app(args)


def _render(args: list[str]) -> int:
    # Imported by name so that this module does not depend on the renderer at import time.
    try:
        render = importlib.import_module(_RENDER_MODULE)
    except ModuleNotFoundError as error:
        if error.name != _RENDER_MODULE:
            raise
        print("fleetops: `render` is not available in this build", file=sys.stderr)
        return 2
    status: int = render.main(args)
    return status


def _run_app(args: list[str]) -> int:
    from fleetops.cli.app import build_app  # noqa: PLC0415 - typer/rich load only past `render`

    try:
        build_app()(args=args, prog_name="fleetops")
    except SystemExit as exit_:
        return _exit_status(exit_.code)
    return 0


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
