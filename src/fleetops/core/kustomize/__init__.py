"""A Kustomize-compatible renderer: what `kubectl kustomize DIR` builds, in pure Python.

Public API::

    build(fs, path, options=BuildOptions()) -> BuildResult
        fs: a FileSystem (MemoryFileSystem, or an adapter's: a directory on disk,
        fleetops.adapters.kustomize_disk.DiskFileSystem, or a Git tree);
        path: the kustomization directory, absolute inside fs ("/overlays/prod").
        BuildResult.manifests (list of dicts, in kubectl kustomize's order), .files_read
        (path -> SHA-256 of every file read), .missing (paths looked for and absent), .listed,
        .warnings (deprecation notices), .yaml() (kubectl kustomize's text).
    BuildOptions(reorder="unspecified"|"legacy"|"none", load_restrictor=
        "LoadRestrictionsRootOnly"|"LoadRestrictionsNone", add_managed_by_label=False,
        remote=None)
        remote: a RemoteResolver for remote bases (Git URLs in resources/components); None
        refuses them (RemoteDisabledError). A resolver that lacks a tree makes the build raise
        RemoteNeededError(.requests: [RemoteRequest(url, ref, raw)]): fetch, then build again
        (fleetops.adapters.kustomize_remote does both). BuildResult.remotes lists
        RemoteUse(url, ref, commit) for every remote base read.
    parse_repo_spec(text) -> RepoSpec | None: kustomize v5's Git URL forms.
    render_yaml(manifests) -> str
    KustomizeError: the build failed; str(error) is kustomize's message.

helmCharts and remote files over HTTP are refused with a clear error in this version.
"""

from fleetops.core.kustomize.build import (
    BuildOptions,
    BuildResult,
    build,
    render_yaml,
)
from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.filesystem import FileSystem, MemoryFileSystem
from fleetops.core.kustomize.loader import NONE as LOAD_RESTRICTIONS_NONE
from fleetops.core.kustomize.loader import ROOT_ONLY as LOAD_RESTRICTIONS_ROOT_ONLY
from fleetops.core.kustomize.remote import (
    RemoteDisabledError,
    RemoteNeededError,
    RemoteRequest,
    RemoteResolver,
    RemoteTree,
    RemoteUse,
    RepoSpec,
    parse_repo_spec,
)

__all__ = [
    "LOAD_RESTRICTIONS_NONE",
    "LOAD_RESTRICTIONS_ROOT_ONLY",
    "BuildOptions",
    "BuildResult",
    "FileSystem",
    "KustomizeError",
    "MemoryFileSystem",
    "RemoteDisabledError",
    "RemoteNeededError",
    "RemoteRequest",
    "RemoteResolver",
    "RemoteTree",
    "RemoteUse",
    "RepoSpec",
    "build",
    "parse_repo_spec",
    "render_yaml",
]
