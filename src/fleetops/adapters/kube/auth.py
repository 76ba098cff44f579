"""`Authenticator`: the credential to send with each request (bearer token, basic auth, client
certificate), from a static token, a token file (re-read every minute, as client-go does, so a
rotated service-account token is picked up) or an exec plugin."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fleetops.adapters.kube.config import ClusterConfig
from fleetops.adapters.kube.exec_plugin import ExecPlugin
from fleetops.ports.kube import KubeError

TOKEN_FILE_PERIOD = 60.0


@dataclass(frozen=True, slots=True)
class Credential:
    authorization: str | None
    """The `Authorization` header value, if any."""
    client_cert_pem: bytes | None = None
    client_key_pem: bytes | None = None


class Authenticator:
    def __init__(self, config: ClusterConfig, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._config = config
        self._monotonic = monotonic
        self.exec_plugin = ExecPlugin(config.exec, config) if config.exec is not None else None
        self._file_token: tuple[float, str] | None = None

    @property
    def refreshable(self) -> bool:
        """Whether a 401 may be cured by fetching the credential again."""
        return self.exec_plugin is not None or self._config.token_file is not None

    def invalidate(self) -> None:
        if self.exec_plugin is not None:
            self.exec_plugin.invalidate()
        self._file_token = None

    async def credential(self) -> Credential:
        config = self._config
        cert, key = config.client_cert_pem, config.client_key_pem
        if self.exec_plugin is not None:
            exec_credential = await self.exec_plugin.credential()
            if exec_credential.client_cert_pem is not None:
                cert, key = exec_credential.client_cert_pem, exec_credential.client_key_pem
            if exec_credential.token:
                return Credential(f"Bearer {exec_credential.token}", cert, key)
            return Credential(None, cert, key)
        if config.token:
            return Credential(f"Bearer {config.token}", cert, key)
        if config.token_file is not None:
            return Credential(f"Bearer {await self._read_token_file(config.token_file)}", cert, key)
        if config.username is not None:
            basic = base64.b64encode(f"{config.username}:{config.password or ''}".encode()).decode()
            return Credential(f"Basic {basic}", cert, key)
        return Credential(None, cert, key)

    async def _read_token_file(self, path: Path) -> str:
        now = self._monotonic()
        if self._file_token is not None and now - self._file_token[0] < TOKEN_FILE_PERIOD:
            return self._file_token[1]
        try:
            token = (await asyncio.to_thread(path.read_text)).strip()
        except OSError as error:
            raise KubeError(f"cannot read token file {path}: {error.strerror}") from None
        self._file_token = (now, token)
        return token
