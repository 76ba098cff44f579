"""Is a render still valid at a new commit? Only what the render looked at is compared."""

from __future__ import annotations

from fleetops.core.kustomize.filesystem import FileSystem
from fleetops.core.rendercache.inputs import RenderInputs
from fleetops.core.rendercache.record import RenderRecord
from fleetops.core.rendercache.recorder import path_kind
from fleetops.core.source.tree import content_id


def is_still_valid(record: RenderRecord, fs: FileSystem, inputs: RenderInputs | None = None) -> bool:
    """True when rendering again in `fs` (with `inputs`, if given) would look at exactly the
    same things and find them unchanged: every file read has the same content id, every path
    asked about is of the same kind (a miss is still a miss), every directory listed has the
    same entries and every symlink resolves the same way."""
    if inputs is not None and inputs.key != record.inputs_key:
        return False
    try:
        for path, kind in record.kinds.items():
            if path_kind(fs, path) is not kind:
                return False
        for path, blob in record.files.items():
            if content_id(fs, path) != blob:
                return False
        for path, names in record.listings.items():
            if tuple(fs.list_dir(path)) != names:
                return False
        for path, resolved in record.real_paths.items():
            if fs.real_path(path) != resolved:
                return False
    except OSError:  # a file read became a directory, vanished, or now escapes the root
        return False
    return True
