"""A FileSystem wrapper that records what a render looks at, as a RenderRecord.

    recorder = RecordingTree(source.tree(repo_url, sha))
    result = kustomize.build(recorder, "/apps/web/overlays/prod")
    record = recorder.record(inputs, commit=sha)

Content ids come from the wrapped file system's `content_id` when it has one (a Git tree: no
extra read), else from the content read (the same Git blob id).
"""

from __future__ import annotations

from fleetops.core.kustomize.filesystem import FileSystem, clean
from fleetops.core.rendercache.inputs import RenderInputs
from fleetops.core.rendercache.record import PathKind, RenderRecord
from fleetops.core.source.tree import git_blob_id


def path_kind(fs: FileSystem, path: str) -> PathKind:
    """What is at `path` in `fs`."""
    try:
        if fs.is_file(path):
            return PathKind.FILE
        if fs.is_dir(path):
            return PathKind.DIR
        fs.real_path(path)  # an escaping path answers False above: tell it from a plain miss
    except PermissionError:
        return PathKind.ESCAPE
    except OSError:
        return PathKind.MISSING
    return PathKind.MISSING


class RecordingTree:
    def __init__(self, inner: FileSystem) -> None:
        self.inner = inner
        self._files: dict[str, str] = {}
        self._kinds: dict[str, PathKind] = {}
        self._listings: dict[str, tuple[str, ...]] = {}
        self._real_paths: dict[str, str] = {}

    def record(self, inputs: RenderInputs | str, *, commit: str = "") -> RenderRecord:
        """The record of everything looked at so far."""
        return RenderRecord(
            inputs_key=inputs if isinstance(inputs, str) else inputs.key,
            files=dict(self._files),
            kinds=dict(self._kinds),
            listings=dict(self._listings),
            real_paths=dict(self._real_paths),
            commit=commit,
        )

    # -- FileSystem ---------------------------------------------------------------------------

    def read_bytes(self, path: str) -> bytes:
        key = clean(path)
        try:
            data = self.inner.read_bytes(path)
        except OSError:  # PermissionError (an escape) included
            self._note_kind(key)
            raise
        self._files[key] = self._content_id(path, data)
        return data

    def is_dir(self, path: str) -> bool:
        self._note_kind(clean(path))
        return self.inner.is_dir(path)

    def is_file(self, path: str) -> bool:
        self._note_kind(clean(path))
        return self.inner.is_file(path)

    def list_dir(self, path: str) -> list[str]:
        key = clean(path)
        try:
            names = self.inner.list_dir(path)
        except OSError:
            self._note_kind(key)
            raise
        self._listings[key] = tuple(names)
        return names

    def real_path(self, path: str) -> str:
        key = clean(path)
        try:
            resolved = self.inner.real_path(path)
        except OSError:
            self._note_kind(key)
            raise
        self._real_paths[key] = resolved
        return resolved

    def content_id(self, path: str) -> str:
        key = clean(path)
        try:
            found = self._content_id(path, None)
        except OSError:
            self._note_kind(key)
            raise
        self._files[key] = found
        return found

    # -- internals ----------------------------------------------------------------------------

    def _note_kind(self, key: str) -> None:
        if key not in self._kinds:
            self._kinds[key] = path_kind(self.inner, key)

    def _content_id(self, path: str, data: bytes | None) -> str:
        method = getattr(self.inner, "content_id", None)
        if callable(method):
            return str(method(path))
        return git_blob_id(self.inner.read_bytes(path) if data is None else data)
