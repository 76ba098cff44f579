"""The HTTP surface: a push webhook is verified before anything is refreshed; /metrics and
/healthz answer."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Iterable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from fleetops.server.http import make_app

SECRET = "s3cret"
PUSH = {
    "ref": "refs/heads/main",
    "before": "1" * 40,
    "after": "2" * 40,
    "repository": {"html_url": "https://github.com/org/gitops-config"},
    "commits": [],
}


class Refreshes:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, urls: Iterable[str]) -> list[tuple[str, str]]:
        self.calls.append(list(urls))
        return [("fleetops", "payment-service")]


@pytest.fixture
def refreshes() -> Refreshes:
    return Refreshes()


@pytest.fixture
async def client(refreshes: Refreshes) -> AsyncIterator[TestClient[object, object]]:
    app = make_app(secrets=(SECRET,), refresh=refreshes, metrics=lambda: b"argocd_app_info 1\n")
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def _signed(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "wrong-secret"])
async def test_a_bad_or_missing_signature_is_refused_and_refreshes_nothing(
    client: TestClient[object, object], refreshes: Refreshes, signature: str | None
) -> None:
    body = json.dumps(PUSH).encode()
    headers = {"X-GitHub-Event": "push"}
    if signature == "wrong-secret":
        headers["X-Hub-Signature-256"] = _signed(body, "wrong")
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    response = await client.post("/api/webhook", data=body, headers=headers)
    assert response.status == 401
    assert refreshes.calls == []


async def test_a_signed_push_refreshes_the_repository(
    client: TestClient[object, object], refreshes: Refreshes
) -> None:
    body = json.dumps(PUSH).encode()
    headers = {"X-GitHub-Event": "push", "X-Hub-Signature-256": _signed(body, SECRET)}
    response = await client.post("/api/webhook", data=body, headers=headers)
    assert response.status == 200
    assert await response.json() == {"refreshed": ["fleetops/payment-service"]}
    assert refreshes.calls == [["https://github.com/org/gitops-config"]]


async def test_a_gitlab_push_with_the_token_is_accepted(
    client: TestClient[object, object], refreshes: Refreshes
) -> None:
    payload = {
        "object_kind": "push",
        "ref": "refs/heads/main",
        "before": "1" * 40,
        "after": "2" * 40,
        "project": {
            "web_url": "https://gitlab.com/org/cfg",
            "git_http_url": "https://gitlab.com/org/cfg.git",
        },
        "commits": [],
    }
    headers = {"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": SECRET}
    response = await client.post("/api/webhook", data=json.dumps(payload).encode(), headers=headers)
    assert response.status == 200
    assert refreshes.calls and "https://gitlab.com/org/cfg" in refreshes.calls[0]


async def test_a_ping_refreshes_nothing(client: TestClient[object, object], refreshes: Refreshes) -> None:
    body = b'{"zen": "hi"}'
    headers = {"X-GitHub-Event": "ping", "X-Hub-Signature-256": _signed(body, SECRET)}
    response = await client.post("/api/webhook", data=body, headers=headers)
    assert response.status == 200
    assert refreshes.calls == []


async def test_metrics_and_healthz(client: TestClient[object, object]) -> None:
    metrics = await client.get("/metrics")
    assert metrics.status == 200
    assert "text/plain" in metrics.headers["Content-Type"]
    assert await metrics.text() == "argocd_app_info 1\n"
    health = await client.get("/healthz")
    assert health.status == 200
