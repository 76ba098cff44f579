"""Ports: the typing.Protocol interfaces for I/O that the engine is written against.

Public API::

    GitSource (fetch, resolve, tree, commit_and_push, log) and its data: FetchResult,
    PathChange = WriteFile | DeletePath | RestorePath, CommitAuthor, CommitResult, CommitInfo
"""

from fleetops.ports.git import (
    CommitAuthor,
    CommitInfo,
    CommitResult,
    DeletePath,
    FetchResult,
    GitSource,
    PathChange,
    RestorePath,
    WriteFile,
)

__all__ = [
    "CommitAuthor",
    "CommitInfo",
    "CommitResult",
    "DeletePath",
    "FetchResult",
    "GitSource",
    "PathChange",
    "RestorePath",
    "WriteFile",
]
