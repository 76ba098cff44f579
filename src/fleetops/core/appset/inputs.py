"""What generation reads from the outside world, handed in as plain data or a small Protocol."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

__all__ = ["IN_CLUSTER_NAME", "IN_CLUSTER_SERVER", "GenerationInputs", "RepoTree"]

IN_CLUSTER_SERVER = "https://kubernetes.default.svc"
IN_CLUSTER_NAME = "in-cluster"


class RepoTree(Protocol):
    """A Git repository's tree at a revision, as the git generators need it."""

    def directories(self, repo_url: str, revision: str) -> Sequence[str]:
        """Every directory path in the tree, relative to its root, ``/``-separated."""
        ...

    def files(self, repo_url: str, revision: str) -> Sequence[str]:
        """Every file path in the tree, relative to its root, ``/``-separated."""
        ...

    def read(self, repo_url: str, revision: str, path: str) -> bytes:
        """The content of one file."""
        ...


@dataclasses.dataclass(frozen=True)
class GenerationInputs:
    """Argo CD cluster Secrets (plain dicts) in the hub namespace, whether the hub itself
    (``in-cluster``) is a destination, and the Git trees the git generators read."""

    cluster_secrets: Sequence[Mapping[str, Any]] = ()
    include_in_cluster: bool = True
    repo: RepoTree | None = None
