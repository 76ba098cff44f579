"""Shared builders for ApplicationSet tests: cluster Secrets and an in-memory Git tree."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

SecretFactory = Callable[..., dict[str, Any]]


class MemoryTree:
    """A :class:`fleetops.core.appset.RepoTree` over a dict of file path → text."""

    def __init__(self, files: Mapping[str, str], directories: Sequence[str] = ()) -> None:
        self._files = dict(files)
        derived = {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
        self._directories = sorted(derived | set(directories))

    def directories(self, repo_url: str, revision: str) -> Sequence[str]:
        return self._directories

    def files(self, repo_url: str, revision: str) -> Sequence[str]:
        return sorted(self._files)

    def read(self, repo_url: str, revision: str, path: str) -> bytes:
        return self._files[path].encode()


def make_cluster_secret(
    name: str,
    server: str,
    *,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    project: str | None = None,
) -> dict[str, Any]:
    """An Argo CD cluster Secret as the API returns it (base64 ``data``)."""
    data = {"name": name, "server": server, "config": "{}"}
    if project is not None:
        data["project"] = project
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": f"cluster-{name}",
            "namespace": "argocd",
            "labels": {"argocd.argoproj.io/secret-type": "cluster", **(labels or {})},
            "annotations": dict(annotations or {}),
        },
        "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
    }


@pytest.fixture
def cluster_secret() -> SecretFactory:
    return make_cluster_secret


@pytest.fixture
def memory_tree() -> type[MemoryTree]:
    return MemoryTree
