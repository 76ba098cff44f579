"""Which Argo CD repository Secret's credentials serve a URL."""

from __future__ import annotations

import base64
from typing import Any

from fleetops.core.source import RepoCredentials, credentials_for, credentials_from_secret


def secret(kind: str, **data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": f"{kind}-x",
            "namespace": "argocd",
            "labels": {"argocd.argoproj.io/secret-type": kind},
        },
        "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
    }


ORG_CREDS = secret("repo-creds", url="https://github.com/org", username="org-bot", password="org-token")
TEAM_CREDS = secret(
    "repo-creds", url="https://github.com/org/team-", username="team-bot", password="team-token"
)
EXACT = secret("repository", url="https://github.com/org/gitops-config.git", username="me", password="pw")
NO_CREDS = secret("repository", url="https://github.com/org/public-config", name="public")
SSH = secret("repository", url="git@github.com:org/ssh-config.git", sshPrivateKey="-----BEGIN KEY-----")
CLUSTER = secret("cluster", url="https://github.com/org/gitops-config", password="nope")


def test_exact_repository_first() -> None:
    found = credentials_for("https://github.com/org/gitops-config", [ORG_CREDS, EXACT, CLUSTER])
    assert found is not None and (found.username, found.password) == ("me", "pw")


def test_longest_repo_creds_prefix() -> None:
    found = credentials_for("https://github.com/org/team-payments", [ORG_CREDS, TEAM_CREDS])
    assert found is not None and found.username == "team-bot"
    assert found.url == "https://github.com/org/team-payments" and found.kind == "repository"
    found = credentials_for("https://github.com/org/other", [TEAM_CREDS, ORG_CREDS])
    assert found is not None and found.username == "org-bot"


def test_repository_without_credentials_inherits_the_template() -> None:
    found = credentials_for("https://github.com/org/public-config.git", [NO_CREDS, ORG_CREDS])
    assert found is not None and found.name == "public" and found.password == "org-token"


def test_no_match() -> None:
    assert credentials_for("https://gitlab.com/x/y", [ORG_CREDS, EXACT]) is None
    assert (
        credentials_for(
            "https://github.com/organisation/x", [secret("repo-creds", url="https://github.com/org/")]
        )
        is None
    )


def test_ssh_key_and_string_data() -> None:
    found = credentials_for("ssh://git@github.com/org/ssh-config", [SSH])
    assert found is not None and found.ssh_private_key.startswith("-----BEGIN")
    plain = {
        "metadata": {"labels": {"argocd.argoproj.io/secret-type": "repository"}},
        "stringData": {"url": "https://h/r", "password": "tok", "insecure": "true"},
    }
    parsed = credentials_from_secret(plain)
    assert parsed is not None and parsed.password == "tok" and parsed.insecure


def test_helm_repositories_and_other_secrets_are_ignored() -> None:
    helm = secret("repository", url="https://github.com/org/gitops-config", type="helm", password="helm")
    assert credentials_for("https://github.com/org/gitops-config", [helm]) is None
    assert credentials_from_secret(CLUSTER) is None
    assert credentials_from_secret(secret("repository", username="no-url")) is None


def test_secrets_never_in_repr() -> None:
    creds = RepoCredentials(
        url="https://h/r", username="u", password="hunter2", ssh_private_key="KEY", bearer_token="T"
    )
    text = repr(creds)
    assert "hunter2" not in text and "KEY" not in text and "T'" not in text and "u" in text
