"""`ClusterConfig`: how to reach and authenticate to one cluster, whatever it was read from
(a kubeconfig context, an Argo CD cluster Secret, an in-process simulated cluster)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_QPS = 50.0
"""Argo CD's controller default (`ARGOCD_K8S_CLIENT_QPS`); client-go's own default is 5."""
DEFAULT_BURST = 100
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_REQUEST_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class ExecConfig:
    """A client-go credential plugin (`users[].user.exec`)."""

    command: str
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    api_version: str = "client.authentication.k8s.io/v1"
    install_hint: str = ""
    provide_cluster_info: bool = False
    interactive_mode: str = "Never"


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Server, TLS trust, client credentials and client-side limits of one cluster."""

    server: str
    name: str = ""
    namespace: str = "default"
    # TLS: trust
    ca_pem: bytes | None = None
    insecure_skip_tls_verify: bool = False
    tls_server_name: str = ""
    # credentials (at most one kind is used; a bearer token wins over basic auth)
    token: str | None = None
    token_file: Path | None = None
    username: str | None = None
    password: str | None = None
    client_cert_pem: bytes | None = None
    client_key_pem: bytes | None = None
    exec: ExecConfig | None = None
    # client-side limits
    qps: float = DEFAULT_QPS
    burst: int = DEFAULT_BURST
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT

    def __repr__(self) -> str:
        # Never print credentials.
        return f"ClusterConfig(name={self.name!r}, server={self.server!r}, namespace={self.namespace!r})"
