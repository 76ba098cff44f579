"""Running a command's coroutine: one event loop, failures as one line on stderr and an exit
status (never a traceback with local variables, which may hold secrets)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Coroutine
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console

from fleetops.cli.apps.errors import CliError

T = TypeVar("T")

TTY_MIN_WIDTH = 200
WIDE = 1000
"""Width of output when stdout is not a terminal (pipes, tests): table rows are never cut."""


def console(*, stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        # Tables keep their natural width (the terminal wraps long rows, as with kubectl).
        width = max(shutil.get_terminal_size().columns, TTY_MIN_WIDTH)
        return Console(file=stream, highlight=False, width=width)
    return Console(file=stream, width=WIDE, highlight=False, soft_wrap=False, color_system=None)


def run(work: Coroutine[Any, Any, T], *, error_code: int | None = None) -> T:
    """Run `work`; a `CliError`, Kubernetes or Git failure exits with its code (or `error_code`)."""
    from fleetops.core.source import SourceError  # noqa: PLC0415
    from fleetops.ports.kube import KubeError  # noqa: PLC0415

    try:
        return asyncio.run(work)
    except CliError as error:
        _fail(str(error), error_code if error_code is not None else error.code)
    except (KubeError, SourceError) as error:
        _fail(str(error), error_code if error_code is not None else 1)
    except KeyboardInterrupt:
        _fail("interrupted", 130)


def _fail(message: str, code: int) -> NoReturn:
    console(stderr=True).print(f"error: {message}", markup=False)
    raise typer.Exit(code)
