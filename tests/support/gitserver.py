"""A real Git server for tests: the embedded mode's `GitHttpServer` (`git http-backend`, smart
HTTP, `fleetops.embedded.gitserver`) with authentication, TLS and a request log added.

    from tests.support.gitserver import GitServer

    with GitServer(tmp_path / "srv", username="u", password="p") as server:
        repo = server.create_repo("gitops-config")
        sha = repo.commit({"apps/a/kustomization.yaml": "resources: []\\n"}, "first")
        url = server.url_for("gitops-config")      # http://127.0.0.1:PORT/gitops-config.git

The server runs on 127.0.0.1 on a free port, in a thread with its own event loop, so sync and
async tests (and code under test running in the test's loop) can use it alike. Every request is
logged (`server.requests`), e.g. to count how many fetches reached the network. Basic auth is
enforced when a username is given; pushes (receive-pack) are enabled.

`BareRepo.commit` writes commits straight into the served bare repository with pygit2 (files as
`str`/`bytes`, `Symlink(target)`, or `None` to delete), no working tree involved.
"""

from __future__ import annotations

import asyncio
import base64
import getpass
import os
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pygit2
import pytest
from aiohttp import web

from fleetops.embedded.gitserver import GitHttpServer
from fleetops.kubesim import tls

AUTHOR = pygit2.Signature("Test Author", "author@example.com", 1_700_000_000, 0)


@dataclass(frozen=True)
class Symlink:
    """A symbolic link in a commit: its target as written in the link."""

    target: str


@dataclass(frozen=True)
class ServedRequest:
    method: str
    path: str
    query: str
    status: int
    user: str


FileContent = str | bytes | Symlink | None


class BareRepo:
    """A bare repository served by a GitServer, written to with pygit2."""

    def __init__(self, path: Path, *, initial_branch: str = "main") -> None:
        self.path = path
        if path.exists():
            self.repo = pygit2.Repository(str(path))
        else:
            self.repo = pygit2.init_repository(str(path), bare=True, initial_head=initial_branch)
        self._tick = 0

    def commit(
        self,
        files: Mapping[str, FileContent],
        message: str = "change",
        *,
        branch: str = "main",
    ) -> str:
        """Commit `files` (path -> content, None deletes) on top of `branch`; returns the SHA."""
        ref_name = f"refs/heads/{branch}"
        parent = self.repo.references.get(ref_name)
        index = pygit2.Index()
        parents: list[pygit2.Oid] = []
        if parent is not None:
            commit = self.repo[parent.target]
            assert isinstance(commit, pygit2.Commit)
            index.read_tree(commit.tree)
            parents.append(commit.id)
        for path, content in files.items():
            if content is None:
                index.remove_all([path]) if path not in index else index.remove(path)
                continue
            if isinstance(content, Symlink):
                oid = self.repo.create_blob(content.target.encode())
                mode = pygit2.enums.FileMode.LINK
            else:
                data = content.encode() if isinstance(content, str) else content
                oid = self.repo.create_blob(data)
                mode = pygit2.enums.FileMode.BLOB
            index.add(pygit2.IndexEntry(path, oid, mode))
        tree = index.write_tree(self.repo)
        self._tick += 1
        signature = pygit2.Signature(AUTHOR.name, AUTHOR.email, AUTHOR.time + self._tick, 0)
        oid = self.repo.create_commit(ref_name, signature, signature, message, tree, parents)
        return str(oid)

    def tag(self, name: str, sha: str, *, annotated: bool = False) -> None:
        if annotated:
            self.repo.create_tag(name, pygit2.Oid(hex=sha), pygit2.enums.ObjectType.COMMIT, AUTHOR, name)
        else:
            self.repo.references.create(f"refs/tags/{name}", pygit2.Oid(hex=sha))

    def set_head(self, branch: str) -> None:
        self.repo.references.create("HEAD", f"refs/heads/{branch}", force=True)

    def head_of(self, branch: str) -> str:
        return str(self.repo.references[f"refs/heads/{branch}"].target)

    def read(self, sha: str, path: str) -> bytes:
        commit = self.repo[pygit2.Oid(hex=sha)]
        assert isinstance(commit, pygit2.Commit)
        blob = commit.tree[path]
        assert isinstance(blob, pygit2.Blob)
        return blob.data


class _ServingGitHttpServer(GitHttpServer):
    """The production server with the tests' basic/bearer authentication and request log."""

    def __init__(self, owner: GitServer, context: ssl.SSLContext | None) -> None:
        super().__init__(owner.root, host="127.0.0.1", port=0, ssl_context=context)
        self.owner = owner

    def authenticate(self, request: web.Request) -> str | None:
        return self.owner.authenticate(request.headers.get("Authorization", ""))

    def served(self, request: web.Request, status: int, user: str) -> None:
        self.owner.log(ServedRequest(request.method, request.path, request.query_string, status, user))


class GitServer:
    """The embedded mode's `GitHttpServer` (`git http-backend`), served on 127.0.0.1 from a
    background thread, with optional basic/bearer authentication, TLS and a request log."""

    def __init__(
        self,
        root: Path,
        *,
        username: str | None = None,
        password: str | None = None,
        bearer_token: str | None = None,
        tls: bool = False,
    ) -> None:
        self.root = root
        self.username = username
        self.password = password
        self.bearer_token = bearer_token
        """Also (or only, without a username) accept `Authorization: Bearer <token>`."""
        self.tls = tls
        """Serve https with a fresh certificate for 127.0.0.1 (clients must skip verification)."""
        self.requests: list[ServedRequest] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: _ServingGitHttpServer | None = None
        self._lock = threading.Lock()

    # -- repositories -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def url_for(self, name: str) -> str:
        return f"{self.url}/{name}.git"

    def create_repo(self, name: str, *, initial_branch: str = "main") -> BareRepo:
        """A new bare repository `name` (or the existing one) served at `url_for(name)`."""
        return BareRepo(self.root / f"{name}.git", initial_branch=initial_branch)

    def upload_pack_requests(self, name: str | None = None) -> list[ServedRequest]:
        """Requests that started a fetch (ref advertisement for git-upload-pack); basic-auth
        challenges (401) are not counted."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.status != 401
                and r.path.endswith("/info/refs")
                and "service=git-upload-pack" in r.query
                and (name is None or r.path.startswith(f"/{name}.git/"))
            ]

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> GitServer:
        """Start serving; works from sync code and from inside a running event loop."""
        self.root.mkdir(parents=True, exist_ok=True)
        context = tls.generate("git-server").server_context() if self.tls else None
        server = _ServingGitHttpServer(self, context)
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="git-http-server", daemon=True)
        thread.start()
        try:
            asyncio.run_coroutine_threadsafe(server.start(), loop).result()
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
            raise
        self._loop, self._thread, self._server, self.port = loop, thread, server, server.port
        return self

    def stop(self) -> None:
        loop, thread, server = self._loop, self._thread, self._server
        if loop is None or thread is None or server is None:
            return
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        self._loop = self._thread = self._server = None

    def __enter__(self) -> GitServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- HTTP ---------------------------------------------------------------------------------

    def authenticate(self, header: str) -> str | None:
        """The user an `Authorization` header authenticates, "" when no auth is required, None
        when refused."""
        if self.bearer_token is not None and header == f"Bearer {self.bearer_token}":
            return "bearer"
        if self.username is None:
            return "" if self.bearer_token is None else None
        if not header.startswith("Basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return user if (user, password) == (self.username, self.password) else None

    def log(self, request: ServedRequest) -> None:
        with self._lock:
            self.requests.append(request)


SSHD = Path("/usr/sbin/sshd")


class SshGitServer:
    """A private OpenSSH server on 127.0.0.1 serving the bare repositories under `root`.

    Key-only login as the current user with `client_key` (OpenSSH private key text). Needs
    Debian's `openssh-server` (the sshd binary) and root (privilege separation directory).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.user = getpass.getuser()
        self.port = 0
        self.client_key = ""
        self._process: subprocess.Popen[bytes] | None = None

    def url_for(self, name: str) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}{self.root / 'repos' / name}.git"

    def create_repo(self, name: str, *, initial_branch: str = "main") -> BareRepo:
        return BareRepo(self.root / "repos" / f"{name}.git", initial_branch=initial_branch)

    def start(self) -> SshGitServer:
        keys = self.root / "keys"
        keys.mkdir(parents=True, exist_ok=True)
        (self.root / "repos").mkdir(exist_ok=True)
        for name in ("host", "client"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True
            )
        self.client_key = (keys / "client").read_text()
        (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = self.root / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\n"
            f"PidFile {self.root / 'sshd.pid'}\nAuthorizedKeysFile {keys / 'authorized_keys'}\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
            f"PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nAllowUsers {self.user}\n"
        )
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
        with (self.root / "sshd.log").open("wb") as log:
            self._process = subprocess.Popen(
                [str(SSHD), "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=log
            )
        _wait_for_port(self.port, self._process)
        return self

    def host_key_line(self) -> str:
        """The known_hosts line for this server."""
        key = (self.root / "keys" / "host.pub").read_text().split()
        return f"[127.0.0.1]:{self.port} {key[0]} {key[1]}\n"

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait()
            self._process = None

    def __enter__(self) -> SshGitServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], attempts: int = 500) -> None:
    """Until the port accepts connections (a readiness wait, not a timing assertion)."""
    for _ in range(attempts):
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        threading.Event().wait(0.02)
    raise RuntimeError(f"sshd did not listen on {port}")


@pytest.fixture
def ssh_git_server(tmp_path: Path) -> Iterator[SshGitServer]:
    """A local sshd serving Git repositories; skipped where openssh-server is not installed."""
    if not SSHD.exists() or os.geteuid() != 0:
        pytest.skip("needs Debian's openssh-server (/usr/sbin/sshd) and root")
    with SshGitServer(tmp_path / "ssh-server") as server:
        yield server


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[GitServer]:
    """An anonymous smart-HTTP Git server for one test."""
    with GitServer(tmp_path / "git-server") as server:
        yield server


@pytest.fixture
def git_server_with_auth(tmp_path: Path) -> Iterator[GitServer]:
    """A smart-HTTP Git server that requires basic auth as `fleetops` / `s3cret-password`."""
    with GitServer(tmp_path / "git-server-auth", username="fleetops", password="s3cret-password") as server:
        yield server
