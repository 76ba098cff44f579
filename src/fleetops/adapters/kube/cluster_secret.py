"""Cluster connections from Argo CD cluster Secrets (`argocd.argoproj.io/secret-type: cluster`).

The Secret's `name`, `server` and `config` keys (in `data`, base64, or `stringData`); `config` is
JSON: `bearerToken`, `username`/`password`, `tlsClientConfig` {`insecure`, `serverName`, `caData`,
`certData`, `keyData` — PEM, base64-encoded as Go encodes bytes in JSON} and
`execProviderConfig` {`command`, `args`, `env` (a map), `apiVersion`, `installHint`}.
Also the in-cluster configuration, for the hub's `https://kubernetes.default.svc`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fleetops.adapters.kube.config import ClusterConfig, ExecConfig
from fleetops.model.manifest import Manifest

SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"
IN_CLUSTER_SERVER = "https://kubernetes.default.svc"
SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")


class ClusterSecretError(ValueError):
    """A cluster Secret that does not describe a usable connection."""


def _secret_value(secret: Manifest, key: str) -> str | None:
    string_data = secret.get("stringData") or {}
    if key in string_data:
        return str(string_data[key])
    data = secret.get("data") or {}
    if key not in data:
        return None
    try:
        return base64.b64decode(str(data[key]), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ClusterSecretError(f"data.{key} is not valid base64 text") from error


def _pem(tls: Mapping[str, Any], key: str) -> bytes | None:
    value = tls.get(key)
    if not value:
        return None
    try:
        return base64.b64decode(str(value), validate=True)
    except binascii.Error as error:
        raise ClusterSecretError(f"config.tlsClientConfig.{key} is not valid base64") from error


def _exec(body: Mapping[str, Any]) -> ExecConfig:
    if not body.get("command"):
        raise ClusterSecretError("config.execProviderConfig.command is required")
    return ExecConfig(
        command=str(body["command"]),
        args=tuple(str(a) for a in body.get("args") or ()),
        env={str(k): str(v) for k, v in (body.get("env") or {}).items()},
        api_version=str(body.get("apiVersion") or "client.authentication.k8s.io/v1"),
        install_hint=str(body.get("installHint") or ""),
    )


def config_from_cluster_secret(secret: Manifest) -> ClusterConfig:
    """The connection an Argo CD cluster Secret describes (credentials never in errors)."""
    server = _secret_value(secret, "server")
    if not server:
        raise ClusterSecretError("the cluster Secret has no server")
    name = _secret_value(secret, "name") or server
    raw = _secret_value(secret, "config") or "{}"
    try:
        config = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ClusterSecretError(f"config is not JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(config, dict):
        raise ClusterSecretError("config must be a JSON object")
    tls = config.get("tlsClientConfig") or {}
    exec_body = config.get("execProviderConfig")
    return ClusterConfig(
        server=server.rstrip("/"),
        name=name,
        ca_pem=_pem(tls, "caData"),
        insecure_skip_tls_verify=bool(tls.get("insecure", False)),
        tls_server_name=str(tls.get("serverName") or ""),
        token=str(config["bearerToken"]) if config.get("bearerToken") else None,
        username=str(config["username"]) if config.get("username") else None,
        password=str(config["password"]) if config.get("password") else None,
        client_cert_pem=_pem(tls, "certData"),
        client_key_pem=_pem(tls, "keyData"),
        exec=_exec(exec_body) if exec_body else None,
    )


def in_cluster_config(
    *, environ: Mapping[str, str] | None = None, account_dir: Path = SERVICE_ACCOUNT_DIR
) -> ClusterConfig:
    """The pod's own cluster: `KUBERNETES_SERVICE_HOST`/`PORT` and the service account's files."""
    env = os.environ if environ is None else environ
    host, port = env.get("KUBERNETES_SERVICE_HOST"), env.get("KUBERNETES_SERVICE_PORT")
    if not host or not port:
        raise ClusterSecretError("not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are unset")
    if ":" in host:
        host = f"[{host}]"
    namespace_file = account_dir / "namespace"
    ca_file = account_dir / "ca.crt"
    return ClusterConfig(
        server=f"https://{host}:{port}",
        name="in-cluster",
        namespace=namespace_file.read_text().strip() if namespace_file.is_file() else "default",
        ca_pem=ca_file.read_bytes() if ca_file.is_file() else None,
        token_file=account_dir / "token",
    )
