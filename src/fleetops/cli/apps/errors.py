"""`CliError`: a failure reported in one line (no traceback), with the exit status to use."""

from __future__ import annotations


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code
