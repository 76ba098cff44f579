"""`Transport`: one cluster's HTTP connection — aiohttp session, TLS, credentials, the client-side
rate limit, connect timeouts, and the mapping of failures onto the port's errors.

Why our own client on aiohttp rather than the official `kubernetes` package: that client is
synchronous (every call would need a thread, and a watch pins one per kind per cluster), its
generated models are heavy to build and to convert back into the plain dicts core works on, and
its `kubernetes_asyncio` twin lags releases. The API surface fleetops needs — CRUD, four patch
types, discovery and line-delimited watch streams — is small; owning it gives one async code
path, typed errors, per-cluster rate limiting and exact control of content types.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp

from fleetops.adapters.kube.auth import Authenticator, Credential
from fleetops.adapters.kube.config import ClusterConfig
from fleetops.adapters.kube.connector import TrackingConnector
from fleetops.adapters.kube.ratelimit import Clock, TokenBucket
from fleetops.adapters.kube.status import decode_error
from fleetops.adapters.kube.tls import client_ssl_context
from fleetops.ports.kube import KubeError, Unreachable

USER_AGENT = "fleetops/0.1.0"
RequestObserver = Callable[[str, str, int], None]
"""Called with (method, path, HTTP status or 0 when unreachable) after every request."""
ConnectionListener = Callable[[KubeError | None], None]
"""Told whether the server answers: None after a response (any status but 401 and 403, which
say nothing about reachability that the caller does not see), the `Unreachable` error after a
connection failure or a timeout (while waiting for the response, its body or a watch's next
line)."""

Params = Mapping[str, str]


class Transport:
    def __init__(
        self,
        config: ClusterConfig,
        *,
        clock: Clock | None = None,
        observer: RequestObserver | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.config = config
        self.limiter = TokenBucket(config.qps, config.burst, clock=clock)
        self.auth = Authenticator(config)
        self._observer = observer
        self.connection_listener: ConnectionListener | None = None
        self._user_agent = user_agent
        self._session: aiohttp.ClientSession | None = None
        self._connector: TrackingConnector | None = None
        self._session_cert: tuple[bytes | None, bytes | None] = (None, None)
        self._session_lock = asyncio.Lock()
        self._tls = config.server.startswith("https://")

    async def close(self) -> None:
        if self._session is not None:
            await self._close_session()

    async def _close_session(self) -> None:
        assert self._session is not None and self._connector is not None
        await self._session.close()
        self._connector.abort_all()
        self._session = None
        self._connector = None
        await asyncio.sleep(0)  # let the aborted transports close their sockets

    async def _session_for(self, credential: Credential) -> aiohttp.ClientSession:
        cert = (credential.client_cert_pem, credential.client_key_pem)
        async with self._session_lock:
            if self._session is not None and cert != self._session_cert:
                await self._close_session()  # an exec plugin rotated the client certificate
            if self._session is None:
                context: ssl.SSLContext | bool = False
                if self._tls:
                    context = client_ssl_context(self.config, cert_pem=cert[0], key_pem=cert[1])
                self._connector = TrackingConnector(ssl=context, limit=0)
                self._session = aiohttp.ClientSession(
                    connector=self._connector, headers={"User-Agent": self._user_agent}
                )
                self._session_cert = cert
            return self._session

    def _timeout(self, *, streaming: bool, watch_seconds: int | None = None) -> aiohttp.ClientTimeout:
        connect = self.config.connect_timeout
        if streaming:
            read = None if watch_seconds is None else watch_seconds + self.config.request_timeout
            return aiohttp.ClientTimeout(total=None, connect=connect, sock_connect=connect, sock_read=read)
        return aiohttp.ClientTimeout(
            total=None, connect=connect, sock_connect=connect, sock_read=self.config.request_timeout
        )

    def _observe(self, method: str, path: str, status: int) -> None:
        if self._observer is not None:
            self._observer(method, path, status)

    def _connection(self, error: KubeError | None) -> None:
        if self.connection_listener is not None:
            self.connection_listener(error)

    def _unreachable(self, error: BaseException) -> Unreachable:
        failure = Unreachable(self.config.server, error)
        self._connection(failure)
        return failure

    async def _open(
        self,
        method: str,
        path: str,
        *,
        params: Params | None,
        body: bytes | None,
        content_type: str,
        accept: str,
        timeout: aiohttp.ClientTimeout,
        header_timeout: float | None = None,
    ) -> aiohttp.ClientResponse:
        """Send one request (rate limited, authenticated, one retry after a 401 with fresh
        credentials); failures to connect become `Unreachable`, HTTP failures typed `ApiError`s.
        `header_timeout` bounds the wait for the response's headers when `timeout` does not (a
        watch: its body may be silent for long, but a server that does not even answer is down)."""
        for attempt in (1, 2):
            await self.limiter.acquire()
            credential = await self.auth.credential()
            session = await self._session_for(credential)
            headers = {"Accept": accept}
            if body is not None:
                headers["Content-Type"] = content_type
            if credential.authorization:
                headers["Authorization"] = credential.authorization
            try:
                async with asyncio.timeout(header_timeout):
                    response = await session.request(
                        method,
                        self.config.server + path,
                        params=params,
                        data=body,
                        headers=headers,
                        timeout=timeout,
                        server_hostname=self.config.tls_server_name or None,
                    )
            except (aiohttp.ClientConnectionError, TimeoutError, ssl.SSLError, OSError) as error:
                self._observe(method, path, 0)
                raise self._unreachable(error) from error
            self._observe(method, path, response.status)
            if response.status not in (401, 403):
                self._connection(None)
            if response.status < 400:
                return response
            raw = await response.read()
            response.release()
            if response.status == 401 and attempt == 1 and self.auth.refreshable:
                self.auth.invalidate()
                continue
            raise decode_error(response.status, raw)
        raise AssertionError("unreachable")  # pragma: no cover

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Any = None,
        content_type: str = "application/json",
        accept: str = "application/json",
    ) -> Any:
        """One request with a JSON body (already-encoded bytes are sent as they are)."""
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        response = await self._open(
            method,
            path,
            params=params,
            body=data,
            content_type=content_type,
            accept=accept,
            timeout=self._timeout(streaming=False),
        )
        try:
            raw = await response.read()
        except (aiohttp.ClientConnectionError, TimeoutError) as error:
            raise self._unreachable(error) from error
        finally:
            self._finish(response)
        return json.loads(raw) if raw else None

    def _finish(self, response: aiohttp.ClientResponse) -> None:
        """Give a response's connection back, or drop it at once when its body was not read to
        the end (a cancelled watch or read): a TLS close handshake left pending would outlive
        the session, since the connector no longer tracks the connection."""
        if response.content.at_eof():
            response.release()
            return
        connection = response.connection
        transport = connection.transport if connection is not None else None
        if transport is not None:
            transport.abort()
        response.close()

    async def stream_lines(
        self, path: str, *, params: Params, watch_seconds: int | None
    ) -> AsyncIterator[dict[str, Any]]:
        """The JSON documents of a line-delimited stream (a watch), until the server ends it.

        The headers must come within the request timeout, as for any request; after them the
        stream may be silent for its `watch_seconds` plus the request timeout (the server ends
        a watch at its `timeoutSeconds`): longer silence means the connection is dead, and is
        `Unreachable`."""
        response = await self._open(
            "GET",
            path,
            params=params,
            body=None,
            content_type="application/json",
            accept="application/json",
            timeout=self._timeout(streaming=True, watch_seconds=watch_seconds),
            header_timeout=self.config.connect_timeout + self.config.request_timeout,
        )
        buffer = b""
        try:
            async for chunk in response.content.iter_any():
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        yield json.loads(line)
            if buffer.strip():
                yield json.loads(buffer)
        except (aiohttp.ClientPayloadError, aiohttp.ClientConnectionError, TimeoutError) as error:
            raise self._unreachable(error) from error
        finally:
            self._finish(response)
