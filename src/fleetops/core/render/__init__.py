"""Plain-directory rendering: Argo CD's `directory` source (YAML and JSON files, `recurse`,
`include`/`exclude` globs), read through the same FileSystem as the Kustomize renderer.

Public API::

    render_directory(fs, path, *, recurse=False, include="", exclude="") -> DirectoryResult
        .manifests (files in path order, documents in file order), .files_read (path -> SHA-256),
        .listed (directories listed)
    DirectoryRenderError: a file that is not valid YAML/JSON or holds a non-object document.
"""

from fleetops.core.render.directory import DirectoryRenderError, DirectoryResult, render_directory
from fleetops.core.render.globs import glob_match

__all__ = ["DirectoryRenderError", "DirectoryResult", "glob_match", "render_directory"]
