"""The public surfaces of the source, webhook, render-cache, port and Git adapter packages."""

from __future__ import annotations

import importlib

import pytest

SURFACES = {
    "fleetops.core.source": {
        "REPOSITORY",
        "REPO_CREDS",
        "SECRET_TYPE_LABEL",
        "AuthenticationError",
        "PathEscapeError",
        "PushRejectedError",
        "RepoCredentials",
        "RepositoryNotFoundError",
        "RepositoryUnreachableError",
        "RevisionKind",
        "RevisionNotFoundError",
        "SourceError",
        "SourceTree",
        "UrlRewrites",
        "candidate_refs",
        "content_id",
        "credentials_for",
        "credentials_from_secret",
        "git_blob_id",
        "is_commit_sha",
        "is_ssh_url",
        "is_truncated_sha",
        "normalize_url",
        "redact_url",
        "revision_kind",
        "same_url",
        "secret_data",
        "url_scheme",
    },
    "fleetops.core.webhook": {
        "MAX_BODY",
        "Provider",
        "PushEvent",
        "WebhookError",
        "detect_provider",
        "parse_push",
        "sign",
        "verify",
    },
    "fleetops.core.rendercache": {
        "CacheStats",
        "PathKind",
        "RecordingTree",
        "RenderCache",
        "RenderInputs",
        "RenderRecord",
        "is_still_valid",
        "path_kind",
    },
    "fleetops.ports.git": set(),
    "fleetops.adapters.git": {"GitTreeFileSystem", "PygitSource", "RequestObserver"},
}


@pytest.mark.parametrize("module", sorted(SURFACES))
def test_public_surface(module: str) -> None:
    imported = importlib.import_module(module)
    names = set(getattr(imported, "__all__", ()))
    assert names >= SURFACES[module]
    if SURFACES[module]:
        assert names == SURFACES[module]
    for name in names:
        assert hasattr(imported, name), name


def test_ports_export_the_git_port() -> None:
    ports = importlib.import_module("fleetops.ports")
    assert {
        "GitSource",
        "FetchResult",
        "WriteFile",
        "DeletePath",
        "RestorePath",
        "PathChange",
        "CommitAuthor",
        "CommitResult",
        "CommitInfo",
    } <= set(ports.__all__)
