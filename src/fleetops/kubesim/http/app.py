"""The aiohttp application of one simulated cluster: authentication, Status errors, routing."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

from fleetops.kubesim import errors
from fleetops.kubesim.extension import Middleware
from fleetops.kubesim.http import discovery, params
from fleetops.kubesim.http.openapi import OpenApiDocuments
from fleetops.kubesim.http.paths import resolve, split_group_version
from fleetops.kubesim.http.resources import ResourceHandler
from fleetops.kubesim.http.reviews import self_review
from fleetops.kubesim.rest.caller import Caller
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.tls import peer_identity

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PUBLIC_PATHS = frozenset({"/version", "/healthz", "/livez", "/readyz"})
CALLER_KEY = web.RequestKey("caller", Caller)

VERSION_INFO = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.0-kubesim",
    "gitCommit": "kubesim",
    "gitTreeState": "clean",
    "buildDate": "2026-01-01T00:00:00Z",
    "goVersion": "go1.23.0",
    "compiler": "gc",
    "platform": "linux/amd64",
}


class ApiServer:
    """Routes one cluster's requests; `server_address` is what discovery advertises."""

    def __init__(self, state: ClusterState, server_address: str = "") -> None:
        self.state = state
        self.server_address = server_address
        self.resources = ResourceHandler(state)
        self._openapi: OpenApiDocuments | None = None

    @property
    def openapi(self) -> OpenApiDocuments:
        if self._openapi is None or self._openapi.catalog is not self.state.catalog:
            self._openapi = OpenApiDocuments(self.state.catalog)
        return self._openapi

    def application(self, middlewares: Sequence[Middleware] = ()) -> web.Application:
        """The app; extra `middlewares` (e.g. injected faults) run first, before error formatting and
        authentication: an unreachable or failing cluster does not answer 401 first. They answer
        with complete responses (Status JSON for injected errors)."""
        app = web.Application(
            middlewares=[*middlewares, self._errors, self._authenticate], client_max_size=1024**3
        )
        app.router.add_route("*", "/{tail:.*}", self._route)
        return app

    # -- middlewares -----------------------------------------------------------------------------
    @web.middleware
    async def _errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except errors.ApiError as exc:
            return params.json_response(exc.status(), exc.code)
        except web.HTTPException:
            raise
        except Exception as exc:
            log.exception("kubesim: %s %s failed", request.method, request.path)
            failure = errors.internal(f"kubesim: {type(exc).__name__}: {exc}")
            return params.json_response(failure.status(), 500)

    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path.rstrip("/") or "/"
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if token:
            identity = self.state.tokens.get(token)
            if identity is None:
                raise errors.unauthorized()  # a wrong token fails even where anonymous would pass
        else:
            identity = peer_identity(
                request.transport.get_extra_info("peercert") if request.transport else None
            )
        if identity is None:
            if path in PUBLIC_PATHS:
                return await handler(request)
            raise errors.unauthorized()
        request[CALLER_KEY] = Caller(identity, request.headers.get("User-Agent", ""))
        return await handler(request)

    # -- routing ---------------------------------------------------------------------------------
    async def _route(self, request: web.Request) -> web.StreamResponse:
        path = request.path.rstrip("/") or "/"
        segments = [segment for segment in path.split("/") if segment]
        if path == "/version":
            return params.json_response(VERSION_INFO)
        if path in ("/healthz", "/livez", "/readyz"):
            return web.Response(text="ok", content_type="text/plain")
        if path in ("/api", "/apis"):
            return self._discovery_root(request, core=path == "/api")
        if path == "/openapi/v3":
            return params.json_response(self.openapi.root())
        if segments[:2] == ["openapi", "v3"]:
            return self._openapi_document(request, "/".join(segments[2:]))
        if segments[:1] == ["openapi"]:
            raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
        split = split_group_version(segments)
        if split is None:
            if len(segments) == 2 and segments[0] == "apis":
                group_document = discovery.api_group(self.state.catalog, segments[1])
                if group_document is not None:
                    return params.json_response(group_document)
            raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
        group, version, rest = split
        if not self.state.catalog.versions(group) or version not in self.state.catalog.versions(group):
            raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
        if not rest:
            listing = discovery.api_resource_list(self.state.catalog, group, version)
            if listing is None:
                raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
            return params.json_response(listing)
        caller = request[CALLER_KEY]
        review = self_review(group, rest, caller, request.method, self.state.tokens.get)
        if review is not None:
            raw = await params.read_body(request)
            return params.json_response(review(raw), 201)
        target = resolve(self.state.catalog, group, version, rest)
        return await self.resources.handle(request, target, caller)

    def _discovery_root(self, request: web.Request, *, core: bool) -> web.Response:
        version = discovery.aggregated_version(request.headers.get("Accept", ""))
        if version is not None:
            body = discovery.aggregated(self.state.catalog, version, core=core)
            return params.json_response(body, content_type=discovery.aggregated_content_type(version))
        if core:
            return params.json_response(discovery.api_versions(self.server_address))
        return params.json_response(discovery.api_group_list(self.state.catalog))

    def _openapi_document(self, request: web.Request, path: str) -> web.Response:
        body = self.openapi.document(path)
        if body is None:
            raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
        etag = f'"{self.openapi.etag(path)}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        response = web.Response(body=body, content_type="application/json")
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = (
            "public, immutable" if "hash" in request.query else "no-cache, private"
        )
        return response
