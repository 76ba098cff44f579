"""A Git tree at one commit as a kustomize FileSystem, read from the object database (no checkout).

Paths are absolute POSIX paths inside `root` (a directory of the repository shown as `/`).
A `..` that climbs above `/`, or a symlink whose target leads outside `root` (absolute targets
included), raises PathEscapeError (a PermissionError); `is_file`/`is_dir` answer False for them.
`content_id(path)` is the blob id, known without reading the blob.
"""

from __future__ import annotations

import errno
import posixpath

import pygit2

from fleetops.core.source import PathEscapeError

_MAX_SYMLINKS = 40
_Entry = pygit2.Tree | pygit2.Blob | None


class GitTreeFileSystem:
    def __init__(self, repo: pygit2.Repository, tree: pygit2.Tree, root: str = "/") -> None:
        self._repo = repo
        self._root: pygit2.Tree = tree
        parts = split_path(root, root)
        found = self._walk(parts, root) if parts else (tree, ())
        if not isinstance(found[0], pygit2.Tree):
            raise FileNotFoundError(f"'{root}' is not a directory at this commit")
        self._root = found[0]

    # -- FileSystem ---------------------------------------------------------------------------

    def read_bytes(self, path: str) -> bytes:
        entry, _ = self._lookup(path)
        if isinstance(entry, pygit2.Tree):
            raise IsADirectoryError(path)
        if entry is None:
            raise FileNotFoundError(path)
        return entry.data

    def is_dir(self, path: str) -> bool:
        return isinstance(self._lookup_quiet(path), pygit2.Tree)

    def is_file(self, path: str) -> bool:
        return isinstance(self._lookup_quiet(path), pygit2.Blob)

    def list_dir(self, path: str) -> list[str]:
        entry, _ = self._lookup(path)
        if entry is None:
            raise FileNotFoundError(path)
        if not isinstance(entry, pygit2.Tree):
            raise NotADirectoryError(path)
        return sorted(str(e.name) for e in entry)

    def real_path(self, path: str) -> str:
        _, parts = self._lookup(path)
        return "/" + "/".join(parts)

    # -- SourceTree ---------------------------------------------------------------------------

    def content_id(self, path: str) -> str:
        entry, _ = self._lookup(path)
        if isinstance(entry, pygit2.Tree):
            raise IsADirectoryError(path)
        if entry is None:
            raise FileNotFoundError(path)
        return str(entry.id)

    def tree_id(self, path: str) -> str:
        """The id of the directory's tree: equal ids mean equal contents, recursively."""
        entry, _ = self._lookup(path)
        if not isinstance(entry, pygit2.Tree):
            raise NotADirectoryError(path)
        return str(entry.id)

    # -- lookup -------------------------------------------------------------------------------

    def _lookup_quiet(self, path: str) -> _Entry:
        try:
            return self._lookup(path)[0]
        except (PermissionError, OSError):
            return None

    def _lookup(self, path: str) -> tuple[_Entry, tuple[str, ...]]:
        """The object at `path` (None if absent) and its real path's parts, symlinks followed."""
        parts = split_path(path, path)
        if not parts:
            return self._root, ()
        fast = self._fast(parts)
        if fast is not None:
            return fast
        return self._walk(parts, path)

    def _fast(self, parts: tuple[str, ...]) -> tuple[_Entry, tuple[str, ...]] | None:
        """One lookup in C when no symlink is on the way (the common case)."""
        try:
            entry = self._root["/".join(parts)]
        except KeyError:
            return None
        if entry.filemode in (pygit2.enums.FileMode.LINK, pygit2.enums.FileMode.COMMIT):
            return None
        obj = self._repo[entry.id]
        if isinstance(obj, pygit2.Tree | pygit2.Blob):
            return obj, parts
        return None

    def _walk(self, parts: tuple[str, ...], original: str) -> tuple[_Entry, tuple[str, ...]]:
        done: list[str] = []
        todo = list(parts)
        hops = 0
        obj: _Entry = self._root
        while todo:
            name = todo.pop(0)
            if not isinstance(obj, pygit2.Tree):
                return None, tuple(done)
            try:
                entry = obj[name]
            except KeyError:
                return None, (*done, name, *todo)
            if entry.filemode == pygit2.enums.FileMode.LINK:
                hops += 1
                if hops > _MAX_SYMLINKS:
                    raise OSError(errno.ELOOP, "too many levels of symbolic links", original)
                target = self._repo[entry.id]
                assert isinstance(target, pygit2.Blob)
                link = target.data.decode("utf-8", "surrogateescape")
                if link.startswith("/"):
                    raise PathEscapeError(original)
                joined = posixpath.join("/", *done, link)
                todo = list(split_path(joined, original)) + todo
                done, obj = [], self._root
                continue
            if entry.filemode == pygit2.enums.FileMode.COMMIT:
                return None, (*done, name, *todo)  # a submodule: not part of this tree
            child = self._repo[entry.id]
            obj = child if isinstance(child, pygit2.Tree | pygit2.Blob) else None
            done.append(name)
        return obj, tuple(done)


def split_path(path: str, original: str) -> tuple[str, ...]:
    """Path components with `.` and `..` applied; a `..` above the root is an escape."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise PathEscapeError(original)
            parts.pop()
        else:
            parts.append(part)
    return tuple(parts)
