"""An Application's sources: the single `spec.source` or the multi-source `spec.sources`.

As in Argo CD, a non-empty `spec.sources` wins over `spec.source`. Sources stay plain dicts; these
functions read their fields with Argo CD's defaults (`targetRevision` HEAD, `path` ".").
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from fleetops.core.app.fields import mapping, sequence, spec, string

DEFAULT_REVISION = "HEAD"

Source = Mapping[str, Any]


class SourceType(enum.StrEnum):
    """`status.sourceType` values (Argo CD's `ApplicationSourceType`)."""

    KUSTOMIZE = "Kustomize"
    DIRECTORY = "Directory"
    HELM = "Helm"
    PLUGIN = "Plugin"


def has_multiple_sources(app: Mapping[str, Any]) -> bool:
    return bool(sequence(spec(app).get("sources")))


def sources(app: Mapping[str, Any]) -> list[Source]:
    """`spec.sources` when it is non-empty, else `[spec.source]` (or `[]` without a source)."""
    many = [mapping(item) for item in sequence(spec(app).get("sources"))]
    if many:
        return many
    single = spec(app).get("source")
    return [mapping(single)] if isinstance(single, Mapping) else []


def primary_source(app: Mapping[str, Any]) -> Source:
    """The first source (what Argo CD's `GetSource()` returns); `{}` without any."""
    found = sources(app)
    return found[0] if found else {}


def repo_url(source: Source) -> str:
    return string(source.get("repoURL"))


def path(source: Source) -> str:
    """The directory inside the repository; "." (its root) when empty."""
    return string(source.get("path"), ".")


def target_revision(source: Source) -> str:
    """Branch, tag, commit or HEAD (the default)."""
    return string(source.get("targetRevision"), DEFAULT_REVISION)


def ref(source: Source) -> str:
    """The `ref` name other sources use in `$ref/...` value files ("" when not a ref source)."""
    return string(source.get("ref"))


def chart(source: Source) -> str:
    return string(source.get("chart"))


def declared_source_type(source: Source) -> SourceType | None:
    """The type the source's own fields declare (None: the renderer decides from the files,
    Kustomize when a kustomization file exists, else Directory)."""
    if chart(source) or source.get("helm"):
        return SourceType.HELM
    if source.get("plugin") is not None:
        return SourceType.PLUGIN
    if source.get("kustomize"):
        return SourceType.KUSTOMIZE
    if source.get("directory"):
        return SourceType.DIRECTORY
    return None
