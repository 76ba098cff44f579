"""Ordering of Kubernetes API versions, as the API server orders a group's versions in discovery:
GA before beta before alpha, then higher numbers first (`v2` > `v1` > `v1beta2` > `v1beta1` >
`v1alpha1`); versions not in that form sort last, alphabetically."""

from __future__ import annotations

import re

_KUBE_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")
_STAGES = {"alpha": 0, "beta": 1, None: 2}


def version_priority(version: str) -> tuple[int, int, int]:
    """A sort key: the preferred version has the largest key; other versions get (-1, 0, 0)."""
    match = _KUBE_VERSION.match(version)
    if match is None:
        return (-1, 0, 0)
    major, stage, minor = match.groups()
    return (_STAGES[stage], int(major), int(minor or 0))


def by_preference(versions: list[str]) -> list[str]:
    """`versions` ordered preferred first; non-Kubernetes versions last, alphabetically."""
    kube = [version for version in versions if _KUBE_VERSION.match(version)]
    other = sorted(version for version in versions if not _KUBE_VERSION.match(version))
    return sorted(kube, key=version_priority, reverse=True) + other
