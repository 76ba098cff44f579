"""Identities of Kubernetes kinds and resources: group/version/kind, group/version/resource, group/kind."""

from __future__ import annotations

from dataclasses import dataclass


def split_api_version(api_version: str) -> tuple[str, str]:
    """`apps/v1` -> (`apps`, `v1`); the core group's `v1` -> (``, `v1`)."""
    group, slash, version = api_version.rpartition("/")
    if not slash:
        return "", api_version
    return group, version


def join_api_version(group: str, version: str) -> str:
    """The inverse of `split_api_version`: the core group has no `group/` prefix."""
    return f"{group}/{version}" if group else version


@dataclass(frozen=True, order=True, slots=True)
class GroupKind:
    group: str
    kind: str

    def __str__(self) -> str:
        return f"{self.kind}.{self.group}" if self.group else self.kind


@dataclass(frozen=True, order=True, slots=True)
class GroupVersionKind:
    group: str
    version: str
    kind: str

    @classmethod
    def from_api_version(cls, api_version: str, kind: str) -> GroupVersionKind:
        group, version = split_api_version(api_version)
        return cls(group, version, kind)

    @property
    def api_version(self) -> str:
        return join_api_version(self.group, self.version)

    @property
    def group_kind(self) -> GroupKind:
        return GroupKind(self.group, self.kind)

    def __str__(self) -> str:
        return f"{self.api_version}, Kind={self.kind}"


@dataclass(frozen=True, order=True, slots=True)
class GroupVersionResource:
    group: str
    version: str
    resource: str

    @property
    def api_version(self) -> str:
        return join_api_version(self.group, self.version)

    def __str__(self) -> str:
        return f"{self.api_version}, Resource={self.resource}"
