"""libgit2 credential and certificate callbacks from RepoCredentials.

libgit2 asks again for credentials each time the server refuses them; the callbacks give them
once and then stop the operation (CredentialsRejected), which becomes an AuthenticationError.
"""

from __future__ import annotations

from typing import Any

import pygit2

from fleetops.core.source import RepoCredentials

_ALLOWED = pygit2.enums.CredentialType


class CredentialsRejected(Exception):
    """The server refused the credentials (or wanted some and there were none)."""

    def __init__(self, offered: bool) -> None:
        self.offered = offered
        super().__init__("credentials rejected" if offered else "credentials required")


class UntrustedHost(Exception):
    """The server's TLS certificate or SSH host key did not verify."""

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(f"the TLS certificate or SSH host key of {host} is not trusted")


class SourceCallbacks(pygit2.RemoteCallbacks):
    def __init__(self, credentials: RepoCredentials | None) -> None:
        super().__init__()
        self._credentials = credentials
        self._asked = 0
        self.rejected_refs: dict[str, str] = {}

    def credentials(
        self, url: str, username_from_url: str | None, allowed_types: Any
    ) -> pygit2.Username | pygit2.UserPass | pygit2.Keypair | pygit2.KeypairFromMemory:
        self._asked += 1
        found = self._credentials
        if found is None or self._asked > 1:
            raise CredentialsRejected(offered=found is not None)
        if found.bearer_token and url.lower().startswith("http"):
            raise CredentialsRejected(offered=True)  # asked after the Authorization header was sent
        allowed = _ALLOWED(int(allowed_types))
        if found.ssh_private_key and allowed & _ALLOWED.SSH_KEY:
            user = username_from_url or found.username or "git"
            return pygit2.KeypairFromMemory(user, "", found.ssh_private_key, "")
        if allowed & _ALLOWED.USERPASS_PLAINTEXT:
            return pygit2.UserPass(found.username or username_from_url or "git", found.password)
        if allowed & _ALLOWED.USERNAME:
            return pygit2.Username(username_from_url or found.username or "git")
        raise CredentialsRejected(offered=False)

    def custom_headers(self) -> list[str] | None:
        """A `bearerToken` (Argo CD's, for Bitbucket Data Center) goes in an Authorization header."""
        if self._credentials is not None and self._credentials.bearer_token:
            return [f"Authorization: Bearer {self._credentials.bearer_token}"]
        return None

    def certificate_check(self, certificate: Any, valid: bool, host: bytes | str) -> bool:
        """`valid` is libgit2's verdict: the CA store for https, ~/.ssh/known_hosts for ssh."""
        if valid or (self._credentials is not None and self._credentials.insecure):
            return True
        raise UntrustedHost(host.decode() if isinstance(host, bytes) else str(host))

    def push_update_reference(self, refname: str, message: str | None) -> None:
        if message:
            self.rejected_refs[refname] = message
