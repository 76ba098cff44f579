"""Argo CD cluster Secrets (`argocd.argoproj.io/secret-type: cluster`) as `argocd cluster add`
writes them: `name`, `server` and a JSON `config` (bearer token, TLS trust)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"


def secret_name(server: str) -> str:
    """`cluster-<host>-<hash>`, as Argo CD names them."""
    host = (urlsplit(server).hostname or "cluster").replace(".", "-")[:40]
    return f"cluster-{host}-{hashlib.sha256(server.encode()).hexdigest()[:10]}"


def cluster_secret(
    *,
    name: str,
    server: str,
    namespace: str,
    token: str | None = None,
    ca_pem: bytes | None = None,
    cert_pem: bytes | None = None,
    key_pem: bytes | None = None,
    insecure: bool = False,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    tls: dict[str, Any] = {"insecure": insecure}
    for field, pem in (("caData", ca_pem), ("certData", cert_pem), ("keyData", key_pem)):
        if pem:
            tls[field] = base64.b64encode(pem).decode()
    config: dict[str, Any] = {"tlsClientConfig": tls}
    if token:
        config["bearerToken"] = token
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": secret_name(server),
            "namespace": namespace,
            "labels": {**dict(labels or {}), SECRET_TYPE_LABEL: "cluster"},
        },
        "stringData": {"name": name, "server": server, "config": json.dumps(config)},
    }
