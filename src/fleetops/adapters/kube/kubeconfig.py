"""Kubeconfig files: clusters, users and contexts, as kubectl and client-go read them.

`KUBECONFIG` may list several files (`:`-separated): for each cluster, user and context name the
first file that defines it wins, and so does the first non-empty `current-context`. Relative
paths (certificate files, token files, an exec command with a `/`) are relative to the file that
names them. Supported credentials: `token`, `tokenFile`, `username`/`password`, client
certificates (file or data), `exec` plugins; the long-removed `auth-provider` is refused.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from fleetops.adapters.kube.config import ClusterConfig, ExecConfig

DEFAULT_PATH = Path("~/.kube/config")


class KubeconfigError(ValueError):
    """A kubeconfig that cannot be used: missing file, unknown context, bad field."""


@dataclass(frozen=True, slots=True)
class _Entry:
    body: Mapping[str, Any]
    directory: Path
    """The directory of the file that defined the entry (relative paths start there)."""


@dataclass(frozen=True, slots=True)
class Context:
    name: str
    cluster: str
    user: str
    namespace: str


@dataclass(slots=True)
class Kubeconfig:
    clusters: dict[str, _Entry] = field(default_factory=dict)
    users: dict[str, _Entry] = field(default_factory=dict)
    contexts: dict[str, Context] = field(default_factory=dict)
    current_context: str = ""

    @property
    def context_names(self) -> list[str]:
        return list(self.contexts)

    def cluster_config(self, context: str | None = None) -> ClusterConfig:
        """The connection of `context` (default: the current context)."""
        chosen = context or self.current_context
        if not chosen:
            raise KubeconfigError("no context given and the kubeconfig has no current-context")
        ctx = self.contexts.get(chosen)
        if ctx is None:
            raise KubeconfigError(f'context "{chosen}" does not exist')
        cluster = self.clusters.get(ctx.cluster)
        if cluster is None:
            raise KubeconfigError(f'context "{chosen}": cluster "{ctx.cluster}" does not exist')
        config = _cluster(cluster, name=chosen, namespace=ctx.namespace or "default")
        if not ctx.user:
            return config
        user = self.users.get(ctx.user)
        if user is None:
            raise KubeconfigError(f'context "{chosen}": user "{ctx.user}" does not exist')
        return _with_user(config, user)


def kubeconfig_paths(path: Path | str | None = None, environ: Mapping[str, str] | None = None) -> list[Path]:
    """`path`, else the `KUBECONFIG` list, else `~/.kube/config`."""
    if path is not None:
        return [Path(path).expanduser()]
    env = os.environ if environ is None else environ
    listed = [Path(p).expanduser() for p in env.get("KUBECONFIG", "").split(os.pathsep) if p]
    return listed or [DEFAULT_PATH.expanduser()]


def read_kubeconfig(paths: Sequence[Path]) -> Kubeconfig:
    merged = Kubeconfig()
    found = False
    for path in paths:
        if not path.is_file():
            continue
        found = True
        document = yaml.safe_load(path.read_text()) or {}
        if not isinstance(document, dict):
            raise KubeconfigError(f"{path}: not a kubeconfig (a mapping is expected)")
        _merge(merged, document, path.resolve().parent, path)
    if not found:
        raise KubeconfigError(f"no kubeconfig file found at {', '.join(map(str, paths))}")
    return merged


def load_kubeconfig(
    path: Path | str | None = None,
    *,
    context: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ClusterConfig:
    """The `ClusterConfig` of `context` (default: current) of the kubeconfig at `path`/`KUBECONFIG`."""
    return read_kubeconfig(kubeconfig_paths(path, environ)).cluster_config(context)


def _named(document: Mapping[str, Any], section: str, inner: str, path: Path) -> list[tuple[str, Any]]:
    entries = document.get(section) or []
    if not isinstance(entries, list):
        raise KubeconfigError(f"{path}: {section} must be a list")
    named: list[tuple[str, Any]] = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise KubeconfigError(f"{path}: every {section} entry needs a name")
        body = entry.get(inner) or {}
        if not isinstance(body, dict):
            raise KubeconfigError(f"{path}: {section}[{entry['name']}].{inner} must be a mapping")
        named.append((str(entry["name"]), body))
    return named


def _merge(merged: Kubeconfig, document: Mapping[str, Any], directory: Path, path: Path) -> None:
    for name, body in _named(document, "clusters", "cluster", path):
        merged.clusters.setdefault(name, _Entry(body, directory))
    for name, body in _named(document, "users", "user", path):
        merged.users.setdefault(name, _Entry(body, directory))
    for name, body in _named(document, "contexts", "context", path):
        context = Context(
            name, str(body.get("cluster", "")), str(body.get("user", "")), str(body.get("namespace", ""))
        )
        merged.contexts.setdefault(name, context)
    if not merged.current_context:
        merged.current_context = str(document.get("current-context") or "")


def _path(entry: _Entry, value: Any) -> Path:
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else entry.directory / path


def _data(entry: _Entry, data_key: str, file_key: str) -> bytes | None:
    """PEM bytes from `<x>-data` (base64) or the file `<x>`."""
    data = entry.body.get(data_key)
    if data:
        try:
            return base64.b64decode(str(data), validate=True)
        except binascii.Error as error:
            raise KubeconfigError(f"{data_key} is not valid base64: {error}") from error
    name = entry.body.get(file_key)
    if name:
        path = _path(entry, name)
        try:
            return path.read_bytes()
        except OSError as error:
            raise KubeconfigError(f"{file_key}: cannot read {path}: {error.strerror}") from error
    return None


def _cluster(entry: _Entry, *, name: str, namespace: str) -> ClusterConfig:
    server = str(entry.body.get("server") or "")
    if not server:
        raise KubeconfigError(f'context "{name}": the cluster has no server')
    return ClusterConfig(
        server=server.rstrip("/"),
        name=name,
        namespace=namespace,
        ca_pem=_data(entry, "certificate-authority-data", "certificate-authority"),
        insecure_skip_tls_verify=bool(entry.body.get("insecure-skip-tls-verify", False)),
        tls_server_name=str(entry.body.get("tls-server-name") or ""),
    )


def _exec(entry: _Entry, body: Mapping[str, Any]) -> ExecConfig:
    command = str(body.get("command") or "")
    if not command:
        raise KubeconfigError("exec: command is required")
    if os.sep in command and not Path(command).is_absolute():
        command = str(entry.directory / command)
    env: dict[str, str] = {}
    for item in body.get("env") or []:
        env[str(item["name"])] = str(item.get("value", ""))
    return ExecConfig(
        command=command,
        args=tuple(str(arg) for arg in body.get("args") or ()),
        env=env,
        api_version=str(body.get("apiVersion") or "client.authentication.k8s.io/v1"),
        install_hint=str(body.get("installHint") or ""),
        provide_cluster_info=bool(body.get("provideClusterInfo", False)),
        interactive_mode=str(body.get("interactiveMode") or "Never"),
    )


def _with_user(config: ClusterConfig, entry: _Entry) -> ClusterConfig:
    body = entry.body
    if body.get("auth-provider"):
        raise KubeconfigError("auth-provider plugins are not supported: use an exec credential plugin")
    token_file = body.get("tokenFile")
    return replace(
        config,
        token=str(body["token"]) if body.get("token") else None,
        token_file=_path(entry, token_file) if token_file else None,
        username=str(body["username"]) if body.get("username") else None,
        password=str(body["password"]) if body.get("password") is not None else None,
        client_cert_pem=_data(entry, "client-certificate-data", "client-certificate"),
        client_key_pem=_data(entry, "client-key-data", "client-key"),
        exec=_exec(entry, body["exec"]) if body.get("exec") else None,
    )
