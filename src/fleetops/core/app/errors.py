"""Errors in an Application's spec."""

from __future__ import annotations


class SpecError(ValueError):
    """A spec field with a value fleetops cannot use (an `InvalidSpecError` condition)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")
