"""The render cache: reuse a render while nothing it looked at has changed.

A render is recorded through `RecordingTree`: the Git blob id of every file read, the kind of
every path asked about (misses included), the entries of every directory listed and every
symlink resolution. At a new commit the record is checked against the new tree (blob ids are
known without reading blobs), so a commit that changes nothing an application looked at does not
re-render it, and one that adds a file where the render looked (or into a directory it listed)
does.

Public API::

    RenderInputs(repo_url, path, renderer="kustomize", overrides={}).key
    RecordingTree(fs)                 a FileSystem; .record(inputs, commit="") -> RenderRecord
    RenderRecord(inputs_key, files, kinds, listings, real_paths, commit); .missing
    PathKind (FILE, DIR, MISSING, ESCAPE); path_kind(fs, path)
    is_still_valid(record, fs_at_new_commit, inputs=None) -> bool
    RenderCache[T](max_entries).lookup(key, fs, inputs, commit="") -> T | None,
        .store(key, record, output), .discard(key), .record_of(key), .stats (hits, misses,
        invalidated)
"""

from fleetops.core.rendercache.cache import CacheStats, RenderCache
from fleetops.core.rendercache.inputs import RenderInputs
from fleetops.core.rendercache.record import PathKind, RenderRecord
from fleetops.core.rendercache.recorder import RecordingTree, path_kind
from fleetops.core.rendercache.validity import is_still_valid

__all__ = [
    "CacheStats",
    "PathKind",
    "RecordingTree",
    "RenderCache",
    "RenderInputs",
    "RenderRecord",
    "is_still_valid",
    "path_kind",
]
