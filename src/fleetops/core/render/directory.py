"""Render a directory of plain manifests, as Argo CD's `directory` source does."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.kustomize.digest import sha256_hex
from fleetops.core.kustomize.filesystem import FileSystem, clean
from fleetops.core.render.globs import glob_match
from fleetops.core.yamlio import YamlReadError, load_documents

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


class DirectoryRenderError(ValueError):
    """A manifest file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class DirectoryResult:
    manifests: list[dict[str, Any]]
    files_read: dict[str, str] = field(default_factory=dict)
    listed: frozenset[str] = frozenset()


def _matches(patterns: str, relative: str) -> bool:
    """Argo CD matches one glob (or a `{a,b}` set) against the path relative to the source."""
    return glob_match(patterns, relative)


def render_directory(
    fs: FileSystem, path: str, *, recurse: bool = False, include: str = "", exclude: str = ""
) -> DirectoryResult:
    root = clean(path)
    if not fs.is_dir(root):
        raise DirectoryRenderError(f"'{root}' is not a directory")
    files: list[str] = []
    listed: set[str] = set()
    _walk(fs, root, recurse=recurse, files=files, listed=listed)
    manifests: list[dict[str, Any]] = []
    files_read: dict[str, str] = {}
    for file in files:
        relative = posixpath.relpath(file, root)
        if include and not _matches(include, relative):
            continue
        if exclude and _matches(exclude, relative):
            continue
        data = fs.read_bytes(file)
        files_read[file] = sha256_hex(data)
        manifests.extend(_manifests(file, data))
    return DirectoryResult(manifests=manifests, files_read=files_read, listed=frozenset(listed))


def _walk(fs: FileSystem, directory: str, *, recurse: bool, files: list[str], listed: set[str]) -> None:
    listed.add(directory)
    for name in fs.list_dir(directory):
        child = posixpath.join(directory, name)
        if fs.is_dir(child):
            if recurse and not name.startswith("."):
                _walk(fs, child, recurse=recurse, files=files, listed=listed)
        elif name.endswith(MANIFEST_SUFFIXES):
            files.append(child)


def _manifests(file: str, data: bytes) -> list[dict[str, Any]]:
    documents: list[Any]
    try:
        if file.endswith(".json"):
            decoded = json.loads(data)
            documents = decoded if isinstance(decoded, list) else [decoded]
        else:
            documents = load_documents(data)
    except (ValueError, YamlReadError) as error:
        raise DirectoryRenderError(f"failed to unmarshal {file}: {error}") from None
    result = []
    for document in documents:
        if document is None or document == {}:
            continue
        if not isinstance(document, dict):
            raise DirectoryRenderError(f"{file}: a document is not an object")
        result.append(document)
    return result
