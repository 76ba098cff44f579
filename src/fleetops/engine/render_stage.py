"""Render: the application's manifests from its source tree at one commit (Kustomize or plain
directory, `spec.source.kustomize` overrides), reused from the render cache while nothing the
last render looked at has changed."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping
from typing import Any

from fleetops.core import app as applications
from fleetops.core.kustomize import BuildOptions, FileSystem, KustomizeError, build
from fleetops.core.render import DirectoryRenderError, render_directory
from fleetops.core.rendercache import RecordingTree, RenderCache, RenderInputs
from fleetops.core.source import SourceTree
from fleetops.engine.overrides import OVERLAY_DIR, OverlayFileSystem, overlay_kustomization
from fleetops.model.manifest import Manifest

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
RENDERER_VERSION = "1"


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
        inputs = RenderInputs(applications.repo_url(source), path, f"{kind}/{RENDERER_VERSION}", settings)
        hit = cache.lookup(cache_key, tree, inputs, commit=commit)
        if hit is not None:
            return Rendered([dict(m) for m in hit], kind, cached=True)
        recording = RecordingTree(tree)
        manifests = _run(kind, recording, path, overrides, options)
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


def _run(
    kind: applications.SourceType,
    fs: FileSystem,
    path: str,
    overrides: applications.KustomizeOverrides,
    options: applications.DirectoryOptions,
) -> list[Manifest]:
    if kind is applications.SourceType.KUSTOMIZE:
        if overrides.empty:
            return build(fs, path, BuildOptions()).manifests
        overlay = OverlayFileSystem(fs, overlay_kustomization(overrides, path))
        return build(overlay, OVERLAY_DIR, BuildOptions()).manifests
    if kind is applications.SourceType.DIRECTORY:
        return render_directory(
            fs, path, recurse=options.recurse, include=options.include, exclude=options.exclude
        ).manifests
    raise RenderError(f"{kind} sources are not supported yet")
