"""A real Git server for tests: `git http-backend` (smart HTTP) behind a small aiohttp handler.

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
import datetime
import getpass
import ipaddress
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
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

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


class GitServer:
    """`git http-backend` served on 127.0.0.1 from a background thread."""

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
        """Serve https with a self-signed certificate for 127.0.0.1 (clients must skip verification)."""
        self.requests: list[ServedRequest] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
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
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        context = _self_signed_context(self.root) if self.tls else None
        loop = asyncio.new_event_loop()
        app = web.Application(client_max_size=1 << 30)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(runner.setup())
                loop.run_until_complete(web.SockSite(runner, sock, ssl_context=context).start())
            except BaseException as error:
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()

        self._loop, self._runner = loop, runner
        self._thread = threading.Thread(target=serve, name="git-http-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            loop.close()
            raise failure[0]
        return self

    def stop(self) -> None:
        loop, thread, runner = self._loop, self._thread, self._runner
        if loop is None or thread is None or runner is None:
            return
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        self._loop = self._thread = self._runner = None

    def __enter__(self) -> GitServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- HTTP ---------------------------------------------------------------------------------

    def _user(self, request: web.Request) -> str | None:
        """The authenticated user, "" when no auth is required, None when refused."""
        header = request.headers.get("Authorization", "")
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

    def _log(self, request: web.Request, status: int, user: str) -> None:
        with self._lock:
            self.requests.append(
                ServedRequest(request.method, request.path, request.query_string, status, user)
            )

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        user = self._user(request)
        if user is None:
            self._log(request, 401, "")
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="git"'})
        body = await request.read()  # aiohttp has already undone any Content-Encoding
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_PROJECT_ROOT": str(self.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_COUNT": "2",
            "GIT_CONFIG_KEY_0": "http.receivepack",
            "GIT_CONFIG_VALUE_0": "true",
            "GIT_CONFIG_KEY_1": "safe.directory",
            "GIT_CONFIG_VALUE_1": "*",
            "REQUEST_METHOD": request.method,
            "PATH_INFO": request.path,
            "QUERY_STRING": request.query_string,
            "CONTENT_TYPE": request.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": user or "anonymous",
            "REMOTE_ADDR": "127.0.0.1",
        }
        if "Git-Protocol" in request.headers:
            env["GIT_PROTOCOL"] = request.headers["Git-Protocol"]
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(None, _run_backend, env, body)
        status, headers, payload = _parse_cgi(result)
        self._log(request, status, user)
        return web.Response(status=status, headers=headers, body=payload)


def _self_signed_context(directory: Path) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "server.crt", directory / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def _run_backend(env: dict[str, str], body: bytes) -> bytes:
    done = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=False)
    return done.stdout


def _parse_cgi(output: bytes) -> tuple[int, dict[str, str], bytes]:
    head, separator, payload = output.partition(b"\r\n\r\n")
    if not separator:
        head, _, payload = output.partition(b"\n\n")
    status = 200
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.strip().split()[0])
        elif name:
            headers[name.strip()] = value.strip()
    return status, headers, payload


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
