"""Repository credentials from Argo CD repository Secrets, and which of them serve a URL.

Argo CD keeps repositories as Secrets labelled `argocd.argoproj.io/secret-type: repository`
(one repository: `url` and optional credentials) and credential templates labelled `repo-creds`
(`url` is a prefix: every repository under it uses these credentials). `credentials_for` follows
Argo CD: a `repository` Secret whose URL is the same repository comes first; if it carries no
credentials of its own, or there is none, the `repo-creds` template with the longest URL prefix
(compared in normalised form) supplies them.

Secret values are kept out of `repr()`: printing a RepoCredentials never shows them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fleetops.core.source.urls import normalize_url

SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"
REPOSITORY = "repository"
REPO_CREDS = "repo-creds"


@dataclass(frozen=True)
class RepoCredentials:
    url: str
    kind: str = REPOSITORY
    """`repository` (one repository) or `repo-creds` (a URL prefix template)."""
    username: str = ""
    password: str = field(default="", repr=False)
    """A password or a token (GitHub, GitLab and Gitea take a token as the password)."""
    bearer_token: str = field(default="", repr=False)
    ssh_private_key: str = field(default="", repr=False)
    insecure: bool = False
    """Skip TLS certificate (https) or host key (ssh) verification."""
    type: str = "git"
    name: str = ""
    project: str = ""

    @property
    def has_credentials(self) -> bool:
        return bool(self.username or self.password or self.bearer_token or self.ssh_private_key)

    def with_credentials_of(self, template: RepoCredentials) -> RepoCredentials:
        """This repository with the secrets of a `repo-creds` template."""
        return replace(
            self,
            username=template.username,
            password=template.password,
            bearer_token=template.bearer_token,
            ssh_private_key=template.ssh_private_key,
            insecure=self.insecure or template.insecure,
        )


def secret_data(secret: Mapping[str, Any]) -> dict[str, str]:
    """A Secret's `data` (base64-decoded) overlaid with its `stringData`."""
    values: dict[str, str] = {}
    for key, encoded in (secret.get("data") or {}).items():
        try:
            values[str(key)] = base64.b64decode(str(encoded), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            continue
    for key, text in (secret.get("stringData") or {}).items():
        values[str(key)] = str(text)
    return values


def credentials_from_secret(secret: Mapping[str, Any]) -> RepoCredentials | None:
    """The credentials an Argo CD `repository` or `repo-creds` Secret holds; None for others."""
    labels = (secret.get("metadata") or {}).get("labels") or {}
    kind = labels.get(SECRET_TYPE_LABEL)
    if kind not in (REPOSITORY, REPO_CREDS):
        return None
    data = secret_data(secret)
    if not data.get("url"):
        return None
    return RepoCredentials(
        url=data["url"],
        kind=str(kind),
        username=data.get("username", ""),
        password=data.get("password", ""),
        bearer_token=data.get("bearerToken", ""),
        ssh_private_key=data.get("sshPrivateKey", ""),
        insecure=data.get("insecure", "").strip().lower() == "true",
        type=data.get("type", "git") or "git",
        name=data.get("name", ""),
        project=data.get("project", ""),
    )


def credentials_for(
    url: str, secrets: Iterable[Mapping[str, Any] | RepoCredentials]
) -> RepoCredentials | None:
    """The credentials Argo CD would use for `url`, from Secrets (manifests) or parsed entries."""
    entries = [s if isinstance(s, RepoCredentials) else credentials_from_secret(s) for s in secrets]
    git = [e for e in entries if e is not None and e.type == "git"]
    wanted = normalize_url(url)
    repository = next((e for e in git if e.kind == REPOSITORY and normalize_url(e.url) == wanted), None)
    if repository is not None and repository.has_credentials:
        return repository
    template = _longest_prefix(wanted, [e for e in git if e.kind == REPO_CREDS])
    if template is None:
        return repository
    if repository is not None:
        return repository.with_credentials_of(template)
    return replace(template, url=url, kind=REPOSITORY)


def _longest_prefix(normalized: str, templates: list[RepoCredentials]) -> RepoCredentials | None:
    best: RepoCredentials | None = None
    best_length = 0
    for template in templates:
        prefix = normalize_url(template.url)
        if template.url.strip().endswith("/"):
            prefix += "/"  # `https://github.com/org/` must not match `.../organisation`
        if normalized.startswith(prefix) and len(prefix) > best_length:
            best, best_length = template, len(prefix)
    return best
