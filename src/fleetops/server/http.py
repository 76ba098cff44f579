"""The hub's HTTP surface (aiohttp): `POST /api/webhook` (GitHub, GitLab, Gitea, Bitbucket push
events, verified with the configured secret: a bad or missing signature is refused with 401 and
refreshes nothing), `GET /metrics` (Prometheus text) and `GET /healthz`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence

from aiohttp import web

from fleetops.controller.metrics import CONTENT_TYPE
from fleetops.core import webhook

log = logging.getLogger(__name__)

RefreshRepositories = Callable[[Iterable[str]], Sequence[tuple[str, str]]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MetricsText = Callable[[], bytes]


def make_app(
    *, secrets: Sequence[str], refresh: RefreshRepositories, metrics: MetricsText
) -> web.Application:
    app = web.Application(client_max_size=webhook.MAX_BODY)
    app.router.add_post("/api/webhook", _webhook_handler(secrets, refresh))
    app.router.add_get("/metrics", _metrics_handler(metrics))
    app.router.add_get("/healthz", _healthz)
    return app


def _webhook_handler(secrets: Sequence[str], refresh: RefreshRepositories) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        headers = dict(request.headers)
        provider = webhook.detect_provider(headers)
        if provider is None:
            return web.json_response({"error": "unknown webhook provider"}, status=400)
        if not any(webhook.verify(provider, headers, body, secret) for secret in secrets):
            log.warning("webhook from %s refused: bad or missing signature", provider.name)
            return web.json_response({"error": "bad or missing signature"}, status=401)
        try:
            event = webhook.parse_push(headers, body)
        except webhook.WebhookError as error:
            return web.json_response({"error": str(error)}, status=400)
        if event is None:
            return web.json_response({"refreshed": []})
        refreshed = refresh(event.repo_urls)
        return web.json_response({"refreshed": [f"{ns}/{name}" for ns, name in refreshed]})

    return handle


def _metrics_handler(metrics: MetricsText) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        response = web.Response(body=metrics())
        response.headers["Content-Type"] = CONTENT_TYPE
        return response

    return handle


async def _healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")
