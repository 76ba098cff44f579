"""Remote bases: kustomize's Git URLs, and the port a build reads their trees through.

A `resources:` entry such as `github.com/org/repo//path?ref=v1`,
`https://host/org/repo.git//path?ref=v1`, `git@host:org/repo.git//path?ref=v1`,
`ssh://git@host/org/repo//path`, `file:///srv/repo.git//path` is a remote base: a kustomization
directory inside a Git repository at a ref. `parse_repo_spec` follows kustomize v5's
`NewRepoSpecFromURL` (api/internal/git/repospec.go): the query (`ref`, or `version`;
`timeout`, `submodules`) is cut first, then the scheme (`ssh://`, `https://`, `http://`,
`file://`; `git::` is ignored) and an optional `user@`; without a scheme only scp-like
`user@host:path` and `github.com/…` are URLs. The repository path ends at `_git/<name>`, at `//`,
or after `.git`; otherwise it is the first two path segments (all of them for `file://`).
`github.com` URLs are normalised to `https://github.com/` (or `git@github.com:` for ssh).

The build itself does no I/O: it asks a `RemoteResolver` (synchronous, given in `BuildOptions`)
for the tree of (clone URL, ref). When the resolver does not have it yet, the build goes on to
find the other remotes it needs and then raises `RemoteNeededError` listing them; the caller
fetches them (an adapter, through Git) and builds again, until no new remote is needed.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Protocol

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.filesystem import FileSystem

_SCHEMES = ("ssh://", "https://", "http://", "file://")
_USER = re.compile(r"^([a-zA-Z][a-zA-Z0-9-]*)@")
_GIT_ROOT = "_git/"


@dataclass(frozen=True)
class RepoSpec:
    raw: str
    host: str
    """Scheme, user and host as kustomize keeps them: `https://github.com/`, `git@host:`."""
    repo_path: str
    """The repository's path on the host: `org/repo`, `org/repo.git`, `/srv/repo.git`."""
    root: str
    """The kustomization directory inside the repository (`` for its top)."""
    ref: str
    """The branch, tag or full commit (`` for the remote's default branch)."""
    timeout: float = 27.0
    submodules: bool = True

    @property
    def clone_url(self) -> str:
        return self.host + self.repo_path


@dataclass(frozen=True)
class RemoteRequest:
    """A (clone URL, ref) a build needs the tree of."""

    url: str
    ref: str
    raw: str
    """The `resources:` entry that asked for it (first seen)."""


@dataclass(frozen=True)
class RemoteTree:
    """A fetched repository at one commit, seen as a FileSystem rooted at the repository's top."""

    fs: FileSystem
    commit: str


@dataclass(frozen=True)
class RemoteUse:
    """A remote a build read: the cache key of a render must include it."""

    url: str
    ref: str
    commit: str


class RemoteResolver(Protocol):
    def tree(self, url: str, ref: str) -> RemoteTree | None:
        """The tree of `url` at `ref` if it is at hand, None when it has to be fetched first.
        Raises KustomizeError when it is known not to exist (e.g. a fetch already failed)."""
        ...


class RemoteNeededError(KustomizeError):
    """The build needs remote trees the resolver does not have yet: fetch them and retry."""

    def __init__(self, requests: list[RemoteRequest]) -> None:
        self.requests = requests
        wanted = ", ".join(f"{r.url}?ref={r.ref}" if r.ref else r.url for r in requests)
        super().__init__(f"remote bases are needed: {wanted}")


class RemoteDisabledError(KustomizeError):
    """A remote base in a build where remote resources are not enabled."""


def parse_repo_spec(text: str) -> RepoSpec | None:
    """The Git URL parts of a `resources:` entry, None when it is not a remote base."""
    if not text or text.startswith("/"):
        return None
    rest, _, query = text.partition("?")
    ref, timeout, submodules = _parse_query(query)
    found = _extract_host(rest)
    if found is None:
        return None
    host, rest = found
    parts = _split_path(rest, all_segments=host.startswith("file://"))
    if parts is None:
        return None
    repo_path, root = parts
    return RepoSpec(text, host, repo_path, root, ref, timeout, submodules)


def _parse_query(query: str) -> tuple[str, float, bool]:
    values: dict[str, str] = {}
    for item in query.split("&") if query else ():
        key, _, value = item.partition("=")
        values.setdefault(_unquote(key), _unquote(value))
    ref = values.get("ref") or values.get("version") or ""
    timeout = 27.0
    raw_timeout = values.get("timeout", "")
    if raw_timeout.isdigit() and int(raw_timeout) > 0:
        timeout = float(raw_timeout)
    else:
        seconds = _go_duration(raw_timeout)
        if seconds:
            timeout = seconds
    submodules = True
    flag = values.get("submodules", "").lower()
    if flag in ("1", "t", "true"):
        submodules = True
    elif flag in ("0", "f", "false"):
        submodules = False
    return ref, timeout, submodules


def _unquote(text: str) -> str:
    from urllib.parse import unquote_plus  # noqa: PLC0415 - only for remote bases

    return unquote_plus(text)


_DURATION = re.compile(r"(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _go_duration(text: str) -> float:
    if not text or _DURATION.sub("", text):
        return 0.0
    return sum(float(n) * _UNITS[u] for n, u in _DURATION.findall(text))


def _trim_prefix(text: str, prefix: str) -> tuple[str, bool]:
    if len(prefix) <= len(text) and text[: len(prefix)].lower() == prefix:
        return text[len(prefix) :], True
    return text, False


def _extract_host(text: str) -> tuple[str, str] | None:
    text, _ = _trim_prefix(text, "git::")
    scheme = ""
    for prefix in _SCHEMES:
        text, found = _trim_prefix(text, prefix)
        if found:
            scheme = prefix
            break
    username = ""
    match = _USER.match(text)
    if match:
        username = match[1] + "@"
        text = text[len(username) :]
    lowered = text.lower()
    github = lowered.startswith(("github.com/", "github.com:"))
    scp = scheme == "" and (username != "" or github)
    if scheme == "" and not scp:
        return None
    if scheme == "file://":
        return scheme, username + text
    host, rest = text, ""
    separator = text.find("/")
    if scp:
        colon = text.find(":")
        if separator == -1 or 0 < colon < separator:
            separator = colon
    if separator >= 0:
        host, rest = text[: separator + 1], text[separator + 1 :]
    if github:
        if scheme.startswith("ssh://") or username:
            scheme, host = "", "github.com:"
        else:
            scheme, username, host = "https://", "", "github.com/"
    if not host:
        return None
    return scheme + username + host, rest


def _split_path(text: str, *, all_segments: bool) -> tuple[str, str] | None:
    repo_path, root = "", ""
    git_root = text.find(_GIT_ROOT)
    double = text.find("//")
    suffix = text.find(".git")
    if git_root >= 0:
        segments = text[git_root + len(_GIT_ROOT) :].split("/")
        repo_path, root = text[: git_root + len(_GIT_ROOT)] + segments[0], "/".join(segments[1:])
    elif double >= 0:
        repo_path, root = text[:double], text[double + 2 :]
    elif suffix >= 0:
        repo_path, root = text[: suffix + 4], text[suffix + 4 :]
    elif all_segments:
        repo_path = text
    else:
        segments = text.split("/")
        if len(segments) < 2:
            return None
        repo_path, root = "/".join(segments[:2]), "/".join(segments[2:])
    if not repo_path:
        return None
    cleaned = posixpath.normpath(root.lstrip("/")) if root.strip("/") else "."
    if cleaned == ".." or cleaned.startswith("../"):
        return None
    return repo_path, root.lstrip("/")


def is_remote_file_url(text: str) -> bool:
    """An http(s) URL kustomize would first try to download as a file."""
    lowered = text[:8].lower()
    return lowered.startswith(("http://", "https://"))
