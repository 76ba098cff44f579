"""A small smart-HTTP Git server: `git http-backend` (CGI) behind aiohttp on 127.0.0.1, serving
the bare repositories under one directory, fetches and pushes, no authentication (local only).

    server = GitHttpServer(root, port=0)
    await server.start()             # server.url_for("org/gitops-config.git")
    ...
    await server.stop()

Extension points (the tests' Git server, `tests/support/gitserver.py`, builds on them):
`ssl_context=` serves https; `authenticate(request)` returns the user ("" anonymous) or None to
answer 401 with a Basic challenge; `served(request, status, user)` sees every answered request.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
from collections.abc import Awaitable, Callable

from aiohttp import web

from fleetops.kubesim.sockets import site_port

CGI_TIMEOUT = 300.0
OnPush = Callable[[str], Awaitable[None]]


class GitServerError(RuntimeError):
    """`git` is missing or the server cannot start."""


class GitHttpServer:
    def __init__(
        self,
        root: os.PathLike[str] | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        on_push: OnPush | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.root = os.fspath(root)
        self.ssl_context = ssl_context
        self.on_push = on_push
        """Called after each successful push with the repository's path under the root
        (e.g. `org/gitops-config.git`)."""
        self.host = host
        self._requested_port = port
        self.port = 0
        self.pushes = 0
        """Receive-pack requests served (pushes)."""
        self._runner: web.AppRunner | None = None
        self._git = shutil.which("git")
        self._announcements: set[asyncio.Future[None]] = set()

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://{self.host}:{self.port}"

    def url_for(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}"

    async def start(self) -> None:
        if self._git is None:
            raise GitServerError("the `git` command is needed to serve repositories (git http-backend)")
        app = web.Application(client_max_size=1 << 30)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        try:
            site = web.TCPSite(self._runner, self.host, self._requested_port, ssl_context=self.ssl_context)
            await site.start()
        except OSError:
            if not self._requested_port:
                raise
            site = web.TCPSite(self._runner, self.host, 0, ssl_context=self.ssl_context)  # the port is taken
            await site.start()
        self.port = site_port(site)

    async def stop(self) -> None:
        for task in self._announcements:
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def authenticate(self, request: web.Request) -> str | None:
        """The requesting user: "" anonymous (the default: no authentication), None refused."""
        return ""

    def served(self, request: web.Request, status: int, user: str) -> None:
        """Called for every answered request (a hook for subclasses; nothing by default)."""

    async def _handle(self, request: web.Request) -> web.Response:
        user = self.authenticate(request)
        if user is None:
            self.served(request, 401, "")
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="git"'})
        body = await request.read()  # aiohttp has already undone any Content-Encoding
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.root,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_PROJECT_ROOT": self.root,
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
            "REMOTE_ADDR": request.remote or "127.0.0.1",
        }
        if "Git-Protocol" in request.headers:
            env["GIT_PROTOCOL"] = request.headers["Git-Protocol"]
        assert self._git is not None
        process = await asyncio.create_subprocess_exec(
            self._git,
            "http-backend",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(body), CGI_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            self.served(request, 504, user)
            return web.Response(status=504, text="git http-backend timed out\n")
        status, headers, payload = parse_cgi(output)
        self.served(request, status, user)
        if request.path.endswith("/git-receive-pack") and status == 200:
            self.pushes += 1
            if self.on_push is not None:
                repository = request.path.removesuffix("/git-receive-pack").strip("/")
                self._announcements.add(asyncio.ensure_future(self.on_push(repository)))
                self._announcements = {task for task in self._announcements if not task.done()}
        return web.Response(status=status, headers=headers, body=payload)


def parse_cgi(output: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a CGI response."""
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
