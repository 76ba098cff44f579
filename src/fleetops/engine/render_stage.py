"""Render: the application's manifests from its source tree at one commit (Kustomize or plain
directory, `spec.source.kustomize` overrides), reused from the render cache while nothing the
last render looked at has changed.

Remote Kustomize bases (Git URLs in `resources:`) are refused unless the caller passes
`remote_bases` (enabled in the controller's configuration): an object that fetches them
(`fleetops.adapters.kustomize_remote.GitRemoteBases`). The build lists the remote bases it
needs, they are fetched and the build runs again. The (URL, ref, commit) of every remote base
a render read is part of its cache record's inputs, and the next lookup resolves the same
(URL, ref)s again first, so a moved branch is a cache miss. Fetching blocks: a caller that
enables remote bases should render in a worker thread.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping
from typing import Any, Protocol

from fleetops.core import app as applications
from fleetops.core.kustomize import (
    BuildOptions,
    FileSystem,
    KustomizeError,
    RemoteNeededError,
    RemoteRequest,
    RemoteTree,
    RemoteUse,
    build,
)
from fleetops.core.render import DirectoryRenderError, render_directory
from fleetops.core.rendercache import RecordingTree, RenderCache, RenderInputs
from fleetops.core.source import SourceTree
from fleetops.engine.overrides import OVERLAY_DIR, OverlayFileSystem, overlay_kustomization
from fleetops.model.manifest import Manifest

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
RENDERER_VERSION = "1"


MAX_REMOTE_ROUNDS = 50


class RemoteBases(Protocol):
    """Remote Kustomize bases: a kustomize `RemoteResolver` that can also fetch (blocking)."""

    def tree(self, url: str, ref: str) -> RemoteTree | None: ...

    def fetch(self, requests: list[RemoteRequest]) -> None: ...

    @property
    def last_read(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Render-cache key -> the (URL, ref)s its last render read (kept for the next lookup)."""
        ...


class RenderError(Exception):
    """The source could not be rendered; the message says why (a ComparisonError)."""


@dataclasses.dataclass(frozen=True)
class Rendered:
    manifests: list[Manifest]
    source_type: applications.SourceType
    cached: bool


def source_path(source: Mapping[str, Any]) -> str:
    """The source's path as an absolute path inside the repository; RenderError outside it."""
    written = applications.path(source)
    inside = posixpath.normpath(posixpath.join("/repo", written))
    if posixpath.isabs(written) or (inside != "/repo" and not inside.startswith("/repo/")):
        raise RenderError(f"app path {written!r} is outside the repository")
    return "/" + inside[len("/repo/") :] if inside != "/repo" else "/"


def _source_type(tree: FileSystem, path: str, source: Mapping[str, Any]) -> applications.SourceType:
    declared = applications.declared_source_type(source)
    if declared is not None:
        return declared
    if any(tree.is_file(posixpath.join(path, name)) for name in KUSTOMIZATION_FILES):
        return applications.SourceType.KUSTOMIZE
    return applications.SourceType.DIRECTORY


def render(
    source: Mapping[str, Any],
    tree: SourceTree,
    *,
    cache: RenderCache[list[Manifest]],
    cache_key: str,
    commit: str,
    remote_bases: RemoteBases | None = None,
) -> Rendered:
    path = source_path(source)
    try:
        if not tree.is_dir(path):
            raise RenderError(f"app path does not exist: {applications.path(source)}")
        kind = _source_type(tree, path, source)
        overrides = applications.kustomize_overrides(source)
        options = applications.directory_options(source)
        is_kustomize = kind is applications.SourceType.KUSTOMIZE
        settings = {"kustomize": repr(overrides)} if is_kustomize else {"directory": repr(options)}
        repo_url, renderer = applications.repo_url(source), f"{kind}/{RENDERER_VERSION}"
        lookup_settings = dict(settings)
        if remote_bases is not None and is_kustomize:
            pins = _current_pins(remote_bases, remote_bases.last_read.get(cache_key, ()))
            lookup_settings["remotes"] = repr(pins)
        inputs = RenderInputs(repo_url, path, renderer, lookup_settings)
        hit = cache.lookup(cache_key, tree, inputs, commit=commit)
        if hit is not None:
            return Rendered([dict(m) for m in hit], kind, cached=True)
        recording = RecordingTree(tree)
        manifests, remotes = _run(kind, recording, path, overrides, options, remote_bases=remote_bases)
        if remote_bases is not None and is_kustomize:
            remote_bases.last_read[cache_key] = tuple(sorted({(use.url, use.ref) for use in remotes}))
            used = sorted({(use.url, use.ref, use.commit) for use in remotes})
            inputs = RenderInputs(repo_url, path, renderer, {**settings, "remotes": repr(used)})
        cache.store(cache_key, recording.record(inputs, commit=commit), manifests)
        return Rendered([dict(m) for m in manifests], kind, cached=False)
    except RenderError:
        raise
    except (KustomizeError, DirectoryRenderError) as error:
        raise RenderError(str(error)) from error
    except PermissionError as error:
        raise RenderError(f"path outside the repository: {error}") from error
    except (OSError, ValueError) as error:
        raise RenderError(f"{type(error).__name__}: {error}") from error


def _current_pins(bases: RemoteBases, wanted: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    """The commits the (URL, ref)s of the last render resolve to now (fetching as needed)."""
    pins: list[tuple[str, str, str]] = []
    for url, ref in wanted:
        try:
            found = bases.tree(url, ref)
            if found is None:
                bases.fetch([RemoteRequest(url, ref, url)])
                found = bases.tree(url, ref)
        except KustomizeError:
            found = None
        pins.append((url, ref, found.commit if found is not None else ""))
    return pins


def _run(
    kind: applications.SourceType,
    fs: FileSystem,
    path: str,
    overrides: applications.KustomizeOverrides,
    options: applications.DirectoryOptions,
    *,
    remote_bases: RemoteBases | None,
) -> tuple[list[Manifest], tuple[RemoteUse, ...]]:
    if kind is applications.SourceType.KUSTOMIZE:
        if not overrides.empty:
            fs, path = OverlayFileSystem(fs, overlay_kustomization(overrides, path)), OVERLAY_DIR
        build_options = BuildOptions(remote=remote_bases)
        for _ in range(MAX_REMOTE_ROUNDS):
            try:
                result = build(fs, path, build_options)
            except RemoteNeededError as needed:
                assert remote_bases is not None  # only a resolver asks for remote bases
                remote_bases.fetch(needed.requests)
                continue
            return result.manifests, result.remotes
        raise RenderError(f"remote bases: still needing more after {MAX_REMOTE_ROUNDS} fetch rounds")
    if kind is applications.SourceType.DIRECTORY:
        rendered = render_directory(
            fs, path, recurse=options.recurse, include=options.include, exclude=options.exclude
        )
        return rendered.manifests, ()
    raise RenderError(f"{kind} sources are not supported yet")
