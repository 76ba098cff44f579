"""Repository URLs: Argo CD's normalisation, redaction, and insteadOf-style rewriting."""

from __future__ import annotations

import pytest

from fleetops.core.source import UrlRewrites, is_ssh_url, normalize_url, redact_url, same_url, url_scheme


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://github.com/org/gitops-config", "https://github.com/org/gitops-config"),
        ("https://github.com/org/gitops-config.git", "https://github.com/org/gitops-config"),
        ("https://GitHub.com/Org/Gitops-Config/", "https://github.com/org/gitops-config"),
        ("git@github.com:org/gitops-config.git", "git@github.com/org/gitops-config"),
        ("ssh://git@github.com/org/gitops-config.git", "git@github.com/org/gitops-config"),
        ("  http://127.0.0.1:8080/x.git ", "http://127.0.0.1:8080/x"),
        ("file:///srv/git/repo.git", "file:///srv/git/repo"),
    ],
)
def test_normalize(url: str, normalized: str) -> None:
    assert normalize_url(url) == normalized


def test_same_url_across_ssh_forms() -> None:
    assert same_url("git@github.com:org/repo.git", "ssh://git@github.com/org/repo")
    assert not same_url("https://github.com/org/repo", "https://github.com/org/repo2")


@pytest.mark.parametrize(
    ("url", "scheme", "ssh"),
    [
        ("git@github.com:org/repo.git", "ssh", True),
        ("ssh://git@host:2222/repo", "ssh", True),
        ("https://host/repo", "https", False),
        ("http://host/repo", "http", False),
        ("file:///x", "file", False),
        ("/srv/git/repo.git", "file", False),
    ],
)
def test_schemes(url: str, scheme: str, ssh: bool) -> None:
    assert url_scheme(url) == scheme and is_ssh_url(url) is ssh


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("https://user:hunter2@github.com/org/repo", "https://***@github.com/org/repo"),
        ("https://token@github.com/org/repo", "https://token@github.com/org/repo"),
        ("http://u:p@127.0.0.1:8080/x.git", "http://***@127.0.0.1:8080/x.git"),
        ("https://github.com/org/repo", "https://github.com/org/repo"),
        ("git@github.com:org/repo.git", "git@github.com:org/repo.git"),
    ],
)
def test_redact(url: str, redacted: str) -> None:
    assert redact_url(url) == redacted


REWRITES = UrlRewrites(
    {
        "https://github.com/org/gitops-config": "http://127.0.0.1:9000/gitops-config.git",
        "https://github.com/": "http://mirror.local/github/",
        "https://github.com/org/": "http://mirror.local/org/",
    }
)


@pytest.mark.parametrize(
    ("url", "rewritten"),
    [
        ("https://github.com/org/gitops-config", "http://127.0.0.1:9000/gitops-config.git"),
        ("https://github.com/org/gitops-config.git", "http://127.0.0.1:9000/gitops-config.git"),
        ("https://github.com/org/gitops-config/", "http://127.0.0.1:9000/gitops-config.git"),
        (
            "https://github.com/org/gitops-config-2",
            "http://mirror.local/org/gitops-config-2",
        ),  # no half names
        ("https://github.com/org/other.git", "http://mirror.local/org/other.git"),  # longest prefix
        ("https://github.com/else/x", "http://mirror.local/github/else/x"),
        ("https://gitlab.com/org/x", "https://gitlab.com/org/x"),
    ],
)
def test_rewrite(url: str, rewritten: str) -> None:
    assert REWRITES.apply(url) == rewritten


def test_no_rules() -> None:
    assert UrlRewrites().apply("https://github.com/x") == "https://github.com/x"
