"""Exec credential plugins (`client.authentication.k8s.io/v1` and `v1beta1` `ExecCredential`).

As client-go does: the plugin runs with the kubeconfig's `args` and `env` added to this process's
environment, and `KUBERNETES_EXEC_INFO` holding an `ExecCredential` whose `spec.interactive` is
false (stdin is not a terminal here) and, with `provideClusterInfo`, `spec.cluster`. It prints an
`ExecCredential` whose `status` has a `token` or `clientCertificateData`/`clientKeyData` and an
optional `expirationTimestamp`; the result is reused until then (without one, until the server
answers 401). The plugin's stderr is shown on failure, its stdout never (it holds the secret).
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fleetops.adapters.kube.config import ClusterConfig, ExecConfig
from fleetops.ports.kube import KubeError

SUPPORTED_API_VERSIONS = ("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1")
RUN_TIMEOUT = 60.0


class ExecPluginError(KubeError):
    """The plugin could not be run or printed no usable credential."""


@dataclass(frozen=True, slots=True)
class ExecCredential:
    token: str | None
    client_cert_pem: bytes | None
    client_key_pem: bytes | None
    expires_at: datetime.datetime | None

    def expired(self, now: datetime.datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def exec_info(config: ExecConfig, cluster: ClusterConfig) -> dict[str, Any]:
    """The `ExecCredential` handed to the plugin in `KUBERNETES_EXEC_INFO`."""
    spec: dict[str, Any] = {"interactive": False}
    if config.provide_cluster_info:
        info: dict[str, Any] = {"server": cluster.server}
        if cluster.tls_server_name:
            info["tls-server-name"] = cluster.tls_server_name
        if cluster.insecure_skip_tls_verify:
            info["insecure-skip-tls-verify"] = True
        if cluster.ca_pem:
            info["certificate-authority-data"] = base64.b64encode(cluster.ca_pem).decode()
        spec["cluster"] = info
    return {"apiVersion": config.api_version, "kind": "ExecCredential", "spec": spec}


def parse_exec_credential(text: str, *, api_version: str) -> ExecCredential:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExecPluginError(f"the exec plugin printed no JSON ExecCredential ({error.msg})") from None
    if not isinstance(document, dict) or document.get("kind") != "ExecCredential":
        raise ExecPluginError("the exec plugin's output is not an ExecCredential")
    if document.get("apiVersion") != api_version:
        raise ExecPluginError(
            f"the exec plugin answered apiVersion {document.get('apiVersion')!r}, expected {api_version!r}"
        )
    status = document.get("status") or {}
    token = status.get("token") or None
    cert, key = status.get("clientCertificateData"), status.get("clientKeyData")
    if bool(cert) != bool(key):
        raise ExecPluginError("the exec plugin must print both clientCertificateData and clientKeyData")
    if not token and not cert:
        raise ExecPluginError("the exec plugin's ExecCredential has neither a token nor a client certificate")
    expires: datetime.datetime | None = None
    stamp = status.get("expirationTimestamp")
    if stamp:
        try:
            expires = datetime.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            raise ExecPluginError(f"bad expirationTimestamp {stamp!r}") from None
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=datetime.UTC)
    return ExecCredential(
        token=str(token) if token else None,
        client_cert_pem=str(cert).encode() if cert else None,
        client_key_pem=str(key).encode() if key else None,
        expires_at=expires,
    )


class ExecPlugin:
    """Runs the plugin when no unexpired credential is cached; one run at a time."""

    def __init__(
        self, config: ExecConfig, cluster: ClusterConfig, *, now: Callable[[], datetime.datetime] = _utcnow
    ) -> None:
        if config.api_version not in SUPPORTED_API_VERSIONS:
            raise ExecPluginError(f"exec plugin apiVersion {config.api_version!r} is not supported")
        self._config = config
        self._cluster = cluster
        self._now = now
        self._cached: ExecCredential | None = None
        self._lock = asyncio.Lock()
        self.runs = 0
        """How many times the plugin was run (for tests and metrics)."""

    def invalidate(self) -> None:
        self._cached = None

    async def credential(self) -> ExecCredential:
        async with self._lock:
            cached = self._cached
            if cached is not None and not cached.expired(self._now()):
                return cached
            self._cached = await self._run()
            return self._cached

    async def _run(self) -> ExecCredential:
        env = {**os.environ, **self._config.env}
        env["KUBERNETES_EXEC_INFO"] = json.dumps(exec_info(self._config, self._cluster))
        self.runs += 1
        try:
            process = await asyncio.create_subprocess_exec(
                self._config.command,
                *self._config.args,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as error:
            hint = f" ({self._config.install_hint.strip()})" if self._config.install_hint else ""
            raise ExecPluginError(
                f"cannot run exec plugin {self._config.command!r}: {error.strerror}{hint}"
            ) from None
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise ExecPluginError(
                f"exec plugin {self._config.command!r} did not finish in {RUN_TIMEOUT:g}s"
            ) from None
        if process.returncode != 0:
            message = stderr.decode(errors="replace").strip()[-500:]
            raise ExecPluginError(
                f"exec plugin {self._config.command!r} exited with {process.returncode}: {message}"
            )
        return parse_exec_credential(stdout.decode(errors="replace"), api_version=self._config.api_version)
