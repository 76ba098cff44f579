"""Helpers of the kube adapter tests: kinds, manifests, waiting for conditions, kubesim's control
endpoint and an asynchronous kubectl."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from fleetops.model import GroupVersionKind

CLUSTER = "kube"
DEADLINE = 30.0
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")
SECRET = GroupVersionKind("", "v1", "Secret")
NAMESPACE = GroupVersionKind("", "v1", "Namespace")
DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")


def configmap(
    name: str, namespace: str, data: dict[str, str] | None = None, **metadata: Any
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace, **metadata},
        "data": data or {},
    }


def deployment(name: str, namespace: str, replicas: int = 1) -> dict[str, Any]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        },
    }


async def eventually(
    check: Callable[[], Awaitable[bool] | bool], what: str, deadline: float = DEADLINE
) -> None:
    """Wait until `check()` holds (a generous deadline: never a timing assertion)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if loop.time() > end:
            pytest.fail(f"not within {deadline:g}s: {what}")
        await asyncio.sleep(0.02)


@dataclass
class Control:
    """kubesim's control endpoint: the write log and watch-window compaction."""

    url: str
    cluster: str

    async def _call(self, method: str, path: str) -> Any:
        async with aiohttp.ClientSession() as session, session.request(method, self.url + path) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def writes(self) -> list[dict[str, Any]]:
        body = await self._call("GET", f"/clusters/{self.cluster}/writes")
        return list(body["writes"])

    async def compact(self) -> None:
        await self._call("POST", f"/clusters/{self.cluster}/compact")


@dataclass
class AsyncKubectl:
    """The pinned kubectl, run without blocking the event loop the cache lives on."""

    path: Path
    env: dict[str, str]

    async def run(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            str(self.path),
            *args,
            env=self.env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(stdin.encode() if stdin else None), 120)
        return process.returncode or 0, out.decode(), err.decode()

    async def ok(self, *args: str, stdin: str | None = None) -> str:
        code, out, err = await self.run(*args, stdin=stdin)
        assert code == 0, f"kubectl {' '.join(args)} failed ({code}): {err}"
        return out

    async def json(self, *args: str) -> Any:
        return json.loads(await self.ok(*args, "-o", "json"))
