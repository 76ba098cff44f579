"""The error a kustomize build fails with; its text follows kustomize's messages."""

from __future__ import annotations


class KustomizeError(Exception):
    """A build failure; `str(error)` is the message `kubectl kustomize` would print after `Error: `."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def wrap(self, prefix: str) -> KustomizeError:
        return KustomizeError(f"{prefix}: {self.message}")

    def __str__(self) -> str:
        return self.message
