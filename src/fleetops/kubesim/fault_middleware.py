"""Faults over HTTP: the API faults of one cluster as an aiohttp middleware (unreachable, added
latency, 500/429 errors), and control-endpoint routes that read and set a fleet's faults.

`fault_middleware(faults)` takes the cluster's `ClusterFaults` (or a function finding the faults
of a request, when one application serves several clusters) and reads it on every request, so
faults set at run time apply to the next request.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware

from fleetops.kubesim import errors
from fleetops.kubesim.faults import ClusterFaults

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FaultsOf = Callable[[web.Request], ClusterFaults | None]

HANG_POLL_SECONDS = 0.05
"""How often a hanging request looks whether the cluster became reachable again."""
RETRY_AFTER_SECONDS = 1


def injected_error(code: int) -> errors.ApiError:
    """The Status a real API server sends for an overloaded (429) or failing (5xx) request."""
    if code == 429:
        return errors.ApiError(
            429,
            "TooManyRequests",
            "Too many requests, please try again later.",
            retry_after=RETRY_AFTER_SECONDS,
        )
    if code == 503:
        return errors.ApiError(
            503,
            "ServiceUnavailable",
            "the server is currently unable to handle the request",
            retry_after=RETRY_AFTER_SECONDS,
        )
    if code == 504:
        return errors.ApiError(
            504, "Timeout", "the server was unable to return a response in the time allotted"
        )
    return errors.ApiError(code, "InternalError", "Internal error occurred: injected fault (kubesim)")


def error_response(code: int) -> web.Response:
    error = injected_error(code)
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else {}
    return web.Response(
        status=code, text=json.dumps(error.status()), content_type="application/json", headers=headers
    )


async def _hang(faults_of: FaultsOf, request: web.Request) -> None:
    """Wait while the cluster is unreachable in `hang` mode (clients see a timeout)."""
    while True:
        current = faults_of(request)
        if current is None or current.unreachable != "hang":
            return
        await asyncio.sleep(HANG_POLL_SECONDS)


def fault_middleware(faults: ClusterFaults | FaultsOf) -> Middleware:
    """An aiohttp middleware injecting `faults` (read anew on every request)."""
    faults_of: FaultsOf = (lambda _request: faults) if isinstance(faults, ClusterFaults) else faults

    @web.middleware
    async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
        current = faults_of(request)
        if current is None:
            return await handler(request)
        if current.unreachable == "reset":
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=503)  # never reaches the client: the connection is gone
        if current.unreachable == "hang":
            await _hang(faults_of, request)
            current = faults_of(request) or current
        if current.latency_seconds > 0:
            await asyncio.sleep(current.latency_seconds)
        code = current.draw_error()
        if code is not None:
            return error_response(code)
        return await handler(request)

    return inject_faults


FaultsByName = Callable[[str], ClusterFaults | None]


def fault_routes(faults_by_name: FaultsByName) -> list[web.RouteDef]:
    """Control-endpoint routes for one fleet's faults, by cluster name (JSON in `ClusterFaults.to_dict`'s
    shape):

    GET    /clusters/{name}/faults   the cluster's faults
    PATCH  /clusters/{name}/faults   change the fields given (a partial document); answers the result
    PUT    /clusters/{name}/faults   replace all faults (fields not given go back to healthy)
    DELETE /clusters/{name}/faults   back to a healthy cluster
    """

    def found(request: web.Request) -> ClusterFaults:
        faults = faults_by_name(request.match_info["name"])
        if faults is None:
            raise web.HTTPNotFound(
                text=json.dumps({"error": "no such cluster"}), content_type="application/json"
            )
        return faults

    async def document(request: web.Request) -> dict[str, object]:
        try:
            body = await request.json()
        except ValueError as exc:
            raise _bad_request(f"invalid JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise _bad_request("expected a JSON object")
        return body

    async def show(request: web.Request) -> web.Response:
        return web.json_response(found(request).to_dict())

    async def change(request: web.Request) -> web.Response:
        faults = found(request)
        body = await document(request)
        if request.method == "PUT":
            faults.reset()
        try:
            faults.update(body)
        except (TypeError, ValueError, AttributeError) as exc:
            raise _bad_request(str(exc)) from exc
        return web.json_response(faults.to_dict())

    async def heal(request: web.Request) -> web.Response:
        faults = found(request)
        faults.reset()
        return web.json_response(faults.to_dict())

    path = "/clusters/{name}/faults"
    return [web.get(path, show), web.patch(path, change), web.put(path, change), web.delete(path, heal)]


def _bad_request(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message}), content_type="application/json")
