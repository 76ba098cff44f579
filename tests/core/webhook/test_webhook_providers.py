"""Webhook verification and parsing for GitHub, GitLab, Gitea and Bitbucket (Cloud and Server)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from webhook_payloads import (
    AFTER,
    BEFORE,
    BITBUCKET_CLOUD_PUSH,
    BITBUCKET_SERVER_PUSH,
    GITEA_PUSH,
    GITHUB_PUSH,
    GITLAB_PUSH,
    body,
)

from fleetops.core.webhook import Provider, WebhookError, detect_provider, parse_push, sign, verify

SECRET = "webhook-s3cret"
BODIES = {
    Provider.GITHUB: body(GITHUB_PUSH),
    Provider.GITLAB: body(GITLAB_PUSH),
    Provider.GITEA: body(GITEA_PUSH),
    Provider.BITBUCKET: body(BITBUCKET_CLOUD_PUSH),
    Provider.BITBUCKET_SERVER: body(BITBUCKET_SERVER_PUSH),
}
EVENT_HEADERS = {
    Provider.GITHUB: {"X-GitHub-Event": "push", "X-GitHub-Delivery": "d1"},
    Provider.GITLAB: {"X-Gitlab-Event": "Push Hook"},
    Provider.GITEA: {"X-GitHub-Event": "push", "X-Gogs-Event": "push", "X-Gitea-Event": "push"},
    Provider.BITBUCKET: {"X-Event-Key": "repo:push", "X-Hook-UUID": "f1e0c5a2-uuid"},
    Provider.BITBUCKET_SERVER: {"X-Event-Key": "repo:refs_changed", "X-Request-Id": "r1"},
}
Signer = Callable[[bytes, str], dict[str, str]]
SIGNERS: dict[Provider, Signer] = {
    Provider.GITHUB: lambda b, s: {"X-Hub-Signature-256": "sha256=" + sign(b, s)},
    Provider.GITLAB: lambda _b, s: {"X-Gitlab-Token": s},
    Provider.GITEA: lambda b, s: {"X-Gitea-Signature": sign(b, s)},
    Provider.BITBUCKET: lambda b, s: {"X-Hub-Signature": "sha256=" + sign(b, s)},
    Provider.BITBUCKET_SERVER: lambda b, s: {"X-Hub-Signature": "sha256=" + sign(b, s)},
}


def headers(
    provider: Provider, signed_with: str | None = SECRET, payload: bytes | None = None
) -> dict[str, str]:
    found = dict(EVENT_HEADERS[provider])
    if signed_with is not None:
        found.update(SIGNERS[provider](BODIES[provider] if payload is None else payload, signed_with))
    return found


@pytest.mark.parametrize("provider", list(Provider))
def test_provider_is_detected(provider: Provider) -> None:
    assert detect_provider(headers(provider)) is provider
    assert detect_provider({k.lower(): v for k, v in headers(provider).items()}) is provider


@pytest.mark.parametrize("provider", list(Provider))
@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", True),
        ("bad signature", False),
        ("missing signature", False),
        ("tampered body", False),
        ("empty secret", False),
    ],
)
def test_verify(provider: Provider, case: str, expected: bool) -> None:
    raw = BODIES[provider]
    secret = SECRET
    if case == "valid":
        given = headers(provider)
    elif case == "bad signature":
        given = headers(provider, signed_with="not-the-secret")
    elif case == "missing signature":
        given = headers(provider, signed_with=None)
        if provider is Provider.BITBUCKET:
            given.pop("X-Hook-UUID")
    elif case == "tampered body":
        given = headers(provider)
        raw = raw.replace(b"main", b"evil").replace(b"master", b"evil").replace(b"develop", b"evil")
        if provider is Provider.GITLAB:
            expected = True  # GitLab sends a token, not a signature of the body
    else:
        given, secret = headers(provider, signed_with=""), ""
    assert verify(provider, given, raw, secret) is expected


def test_bitbucket_cloud_uuid_as_argo_cd_configures_it() -> None:
    given = dict(EVENT_HEADERS[Provider.BITBUCKET])
    assert verify(Provider.BITBUCKET, given, BODIES[Provider.BITBUCKET], "f1e0c5a2-uuid")
    assert verify(Provider.BITBUCKET, given, BODIES[Provider.BITBUCKET], "{f1e0c5a2-uuid}")
    assert not verify(Provider.BITBUCKET, given, BODIES[Provider.BITBUCKET], "other-uuid")


def test_signature_header_case_and_prefix() -> None:
    raw = BODIES[Provider.GITHUB]
    assert verify(
        Provider.GITHUB, {"x-hub-signature-256": "sha256=" + sign(raw, SECRET).upper()}, raw, SECRET
    )
    assert not verify(Provider.GITHUB, {"X-Hub-Signature-256": sign(raw, SECRET)}, raw, SECRET)  # no prefix
    assert not verify(Provider.GITHUB, {"X-Hub-Signature-256": "sha1=" + sign(raw, SECRET)}, raw, SECRET)


def test_github_push() -> None:
    event = parse_push(headers(Provider.GITHUB), BODIES[Provider.GITHUB])
    assert event is not None
    assert event.provider is Provider.GITHUB
    assert event.repo_urls == (
        "https://github.com/org/gitops-config",
        "https://github.com/org/gitops-config.git",
        "git@github.com:org/gitops-config.git",
        "git://github.com/org/gitops-config.git",
    )
    assert (event.ref, event.revision, event.branch, event.tag) == ("refs/heads/main", "main", "main", "")
    assert (event.before, event.after) == (BEFORE, AFTER)
    assert event.changed_files == {
        "apps/web/x.yaml",
        "apps/payment-service/overlays/prod/kustomization.yaml",
        "old.yaml",
    }
    assert event.is_for("https://github.com/org/gitops-config")
    assert event.is_for("git@github.com:org/gitops-config.git")
    assert event.is_for("HTTPS://github.com/Org/gitops-config/")
    assert not event.is_for("https://github.com/org/other")


def test_gitea_push() -> None:
    event = parse_push(headers(Provider.GITEA), BODIES[Provider.GITEA])
    assert event is not None and event.provider is Provider.GITEA
    assert event.branch == "develop"
    assert event.changed_files == {"a.yaml", "b.yaml"}
    assert event.is_for("http://localhost:3000/gitea/webhooks.git")


def test_gitlab_push_and_truncated_commit_lists() -> None:
    event = parse_push(headers(Provider.GITLAB), BODIES[Provider.GITLAB])
    assert event is not None and event.provider is Provider.GITLAB
    assert event.repo_urls == (
        "http://example.com/mike/diaspora",
        "http://example.com/mike/diaspora.git",
        "git@example.com:mike/diaspora.git",
    )
    assert event.branch == "master"
    assert event.changed_files == {"CHANGELOG", "app/controller/application.rb"}
    truncated = dict(GITLAB_PUSH, total_commits_count=40)
    event = parse_push(headers(Provider.GITLAB), body(truncated))
    assert event is not None and event.changed_files is None


def test_gitlab_tag_push() -> None:
    payload = dict(GITLAB_PUSH, object_kind="tag_push", ref="refs/tags/v1.0.0", before="0" * 40, commits=[])
    event = parse_push({"X-Gitlab-Event": "Tag Push Hook"}, body(payload))
    assert event is not None
    assert (event.tag, event.revision, event.branch, event.changed_files) == ("v1.0.0", "v1.0.0", "", None)


def test_bitbucket_cloud_push() -> None:
    event = parse_push(headers(Provider.BITBUCKET), BODIES[Provider.BITBUCKET])
    assert event is not None and event.provider is Provider.BITBUCKET
    assert event.repo_urls == (
        "https://bitbucket.org/org/gitops-config",
        "https://bitbucket.org/org/gitops-config.git",
        "git@bitbucket.org:org/gitops-config.git",
    )
    assert (event.ref, event.before, event.after, event.changed_files) == (
        "refs/heads/main",
        BEFORE,
        AFTER,
        None,
    )


def test_bitbucket_server_push() -> None:
    event = parse_push(headers(Provider.BITBUCKET_SERVER), BODIES[Provider.BITBUCKET_SERVER])
    assert event is not None and event.provider is Provider.BITBUCKET_SERVER
    assert event.repo_urls[:2] == (
        "ssh://git@bitbucket.example.com:7999/prj/gitops-config.git",
        "https://bitbucket.example.com/scm/prj/gitops-config.git",
    )
    assert event.ref == "refs/heads/master" and event.after == AFTER
    assert event.is_for("https://bitbucket.example.com/scm/prj/gitops-config")


def test_new_and_deleted_branches_have_unknown_changed_files() -> None:
    created = dict(GITHUB_PUSH, before="0" * 40)
    event = parse_push(headers(Provider.GITHUB), body(created))
    assert event is not None and event.changed_files is None


@pytest.mark.parametrize(
    ("given", "raw"),
    [
        ({"X-GitHub-Event": "ping"}, b'{"zen": "Keep it logically awesome."}'),
        ({"X-GitHub-Event": "pull_request"}, b"{}"),
        ({"X-Gitlab-Event": "Merge Request Hook"}, b"{}"),
        ({"X-Event-Key": "pr:opened"}, b"{}"),
        ({"X-Gitlab-Event": "System Hook"}, json.dumps({"object_kind": "merge_request"}).encode()),
    ],
)
def test_other_events_are_not_pushes(given: dict[str, str], raw: bytes) -> None:
    assert parse_push(given, raw) is None


@pytest.mark.parametrize(
    ("given", "raw"),
    [
        ({}, b"{}"),
        ({"X-GitHub-Event": "push"}, b"not json"),
        ({"X-GitHub-Event": "push"}, b"[1, 2]"),
        ({"X-GitHub-Event": "push"}, b'{"ref": "refs/heads/main"}'),
        ({"X-GitHub-Event": "push"}, b'{"repository": "x", "ref": 7}'),
    ],
)
def test_malformed_requests(given: dict[str, str], raw: bytes) -> None:
    with pytest.raises(WebhookError):
        parse_push(given, raw)
