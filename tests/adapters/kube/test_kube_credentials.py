"""Kubeconfig and Argo CD cluster Secret variants, each used for real against kubesim: tokens,
token files, exec credential plugins (v1 and v1beta1), TLS trust, and typed auth errors."""

from __future__ import annotations

import base64
import datetime
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kube_support import NAMESPACE

from fleetops.adapters.kube import (
    ClusterConfig,
    ClusterSecretError,
    ExecConfig,
    HttpKubeClient,
    KubeconfigError,
    config_from_cluster_secret,
    load_kubeconfig,
    read_kubeconfig,
)
from fleetops.adapters.kube.exec_plugin import ExecPlugin, ExecPluginError
from fleetops.adapters.kube.tls import client_ssl_context
from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.tls import generate
from fleetops.ports.kube import Unauthorized, Unreachable

PLUGIN = """\
import json, os, pathlib, sys
state = pathlib.Path(os.environ["PLUGIN_STATE"])
runs = int(state.read_text()) + 1 if state.exists() else 1
state.write_text(str(runs))
info = json.loads(os.environ["KUBERNETES_EXEC_INFO"])
seen = {"info": info, "args": sys.argv[1:]}
pathlib.Path(os.environ["PLUGIN_STATE"] + ".info").write_text(json.dumps(seen))
tokens = os.environ["PLUGIN_TOKENS"].split(",")
status = {"token": tokens[min(runs, len(tokens)) - 1]}
if os.environ.get("PLUGIN_EXPIRES"):
    status["expirationTimestamp"] = os.environ["PLUGIN_EXPIRES"]
print(json.dumps({"apiVersion": info["apiVersion"], "kind": "ExecCredential", "status": status}))
"""


def _plugin(tmp_path: Path) -> Path:
    script = tmp_path / "plugin.py"
    script.write_text(f"#!{sys.executable}\n{PLUGIN}")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document))
    return path


def _kubeconfig(
    sim: SimCluster, user: dict[str, Any], *, cluster: dict[str, Any] | None = None
) -> dict[str, Any]:
    server = (
        cluster
        if cluster is not None
        else {"server": sim.url, "certificate-authority-data": _b64(sim.ca_pem)}
    )
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "sim", "cluster": server}],
        "users": [{"name": "me", "user": user}],
        "contexts": [{"name": "ctx", "context": {"cluster": "sim", "user": "me", "namespace": "team-a"}}],
        "current-context": "ctx",
    }


async def _can_list(config: ClusterConfig) -> bool:
    async with HttpKubeClient(config) as client:
        namespaces = await client.list(NAMESPACE)
    return any(item["metadata"]["name"] == "default" for item in namespaces.items)


# ---------------------------------------------------------------- kubeconfig


async def test_kubeconfig_written_by_kubesim(kubeconfig_file: Path) -> None:
    config = load_kubeconfig(kubeconfig_file)
    assert config.name == "kube"
    assert config.namespace == "default"
    assert "token" not in repr(config)
    assert await _can_list(config)


async def test_token_file_relative_to_the_kubeconfig(sim: SimCluster, tmp_path: Path) -> None:
    (tmp_path / "tokens").mkdir()
    (tmp_path / "tokens" / "sim").write_text(sim.token + "\n")
    (tmp_path / "ca.crt").write_bytes(sim.ca_pem)
    document = _kubeconfig(
        sim, {"tokenFile": "tokens/sim"}, cluster={"server": sim.url, "certificate-authority": "ca.crt"}
    )
    config = load_kubeconfig(_write(tmp_path / "config", document))
    assert config.token_file == tmp_path / "tokens" / "sim"
    assert config.namespace == "team-a"
    assert await _can_list(config)


async def test_insecure_skip_tls_verify(sim: SimCluster, tmp_path: Path) -> None:
    document = _kubeconfig(
        sim, {"token": sim.token}, cluster={"server": sim.url, "insecure-skip-tls-verify": True}
    )
    assert await _can_list(load_kubeconfig(_write(tmp_path / "config", document)))


async def test_untrusted_server_certificate_is_unreachable(sim: SimCluster, tmp_path: Path) -> None:
    document = _kubeconfig(sim, {"token": sim.token}, cluster={"server": sim.url})
    config = load_kubeconfig(_write(tmp_path / "config", document))
    with pytest.raises(Unreachable) as error:
        await _can_list(config)
    assert "certificate" in str(error.value.error).lower()


async def test_wrong_credentials_are_unauthorized(sim: SimCluster, tmp_path: Path) -> None:
    for user in ({"token": "not-the-token"}, {"username": "admin", "password": "secret"}):
        config = load_kubeconfig(_write(tmp_path / "config", _kubeconfig(sim, user)))
        with pytest.raises(Unauthorized) as error:
            await _can_list(config)
        assert error.value.code == 401


def test_contexts_merge_and_errors(sim: SimCluster, tmp_path: Path) -> None:
    first = _write(tmp_path / "a", _kubeconfig(sim, {"token": "first"}))
    second_doc = _kubeconfig(sim, {"token": "second"})
    second_doc["contexts"].append({"name": "other", "context": {"cluster": "sim", "user": "me"}})
    second_doc["current-context"] = "other"
    second = _write(tmp_path / "b", second_doc)
    env = {"KUBECONFIG": f"{first}{os.pathsep}{second}"}
    merged = load_kubeconfig(environ=env)
    assert (merged.name, merged.token, merged.namespace) == ("ctx", "first", "team-a")
    other = load_kubeconfig(environ=env, context="other")
    assert (other.token, other.namespace) == ("first", "default")  # user "me" from the first file
    assert read_kubeconfig([first, second]).context_names == ["ctx", "other"]
    with pytest.raises(KubeconfigError, match='context "nope" does not exist'):
        load_kubeconfig(first, context="nope")
    with pytest.raises(KubeconfigError, match="no kubeconfig file"):
        load_kubeconfig(tmp_path / "missing")
    provider = _write(tmp_path / "c", _kubeconfig(sim, {"auth-provider": {"name": "gcp"}}))
    with pytest.raises(KubeconfigError, match="auth-provider"):
        load_kubeconfig(provider)


def test_client_certificate_file_and_data(sim: SimCluster, tmp_path: Path) -> None:
    pair = generate("client")
    (tmp_path / "client.crt").write_bytes(pair.cert_pem)
    (tmp_path / "client.key").write_bytes(pair.key_pem)
    from_files = load_kubeconfig(
        _write(
            tmp_path / "f", _kubeconfig(sim, {"client-certificate": "client.crt", "client-key": "client.key"})
        )
    )
    from_data = load_kubeconfig(
        _write(
            tmp_path / "d",
            _kubeconfig(
                sim, {"client-certificate-data": _b64(pair.cert_pem), "client-key-data": _b64(pair.key_pem)}
            ),
        )
    )
    assert from_files.client_cert_pem == from_data.client_cert_pem == pair.cert_pem
    assert from_files.client_key_pem == from_data.client_key_pem == pair.key_pem
    # The pair loads into the TLS context a client would present it from.
    client_ssl_context(from_data, cert_pem=pair.cert_pem, key_pem=pair.key_pem)


async def test_client_certificate_authenticates(sim: SimCluster, tmp_path: Path) -> None:
    """A certificate signed by the cluster CA authenticates without any token; a self-signed one does not."""
    assert sim.credentials is not None
    signed = {
        "client-certificate-data": _b64(sim.credentials.client_cert_pem),
        "client-key-data": _b64(sim.credentials.client_key_pem),
    }
    assert await _can_list(load_kubeconfig(_write(tmp_path / "signed", _kubeconfig(sim, signed))))
    stranger = generate("stranger")
    unsigned = {
        "client-certificate-data": _b64(stranger.client_cert_pem),
        "client-key-data": _b64(stranger.client_key_pem),
    }
    with pytest.raises((Unauthorized, Unreachable)):
        await _can_list(load_kubeconfig(_write(tmp_path / "unsigned", _kubeconfig(sim, unsigned))))


# ---------------------------------------------------------------- exec plugins


@pytest.mark.parametrize(
    "api_version", ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]
)
async def test_exec_plugin_token(sim: SimCluster, tmp_path: Path, api_version: str) -> None:
    state = tmp_path / "state"
    user = {
        "exec": {
            "apiVersion": api_version,
            "command": "./plugin.py",
            "args": ["--cluster", "sim"],
            "env": [
                {"name": "PLUGIN_STATE", "value": str(state)},
                {"name": "PLUGIN_TOKENS", "value": sim.token},
            ],
            "interactiveMode": "Never",
            "provideClusterInfo": True,
        }
    }
    _plugin(tmp_path)
    config = load_kubeconfig(_write(tmp_path / "config", _kubeconfig(sim, user)))
    async with HttpKubeClient(config) as client:
        for _ in range(3):
            await client.get(NAMESPACE, "default")
        assert client.transport.auth.exec_plugin is not None
        assert client.transport.auth.exec_plugin.runs == 1  # no expiry: cached until a 401
    seen = json.loads(Path(f"{state}.info").read_text())
    assert seen["args"] == ["--cluster", "sim"]
    assert seen["info"]["kind"] == "ExecCredential"
    assert seen["info"]["spec"]["interactive"] is False
    assert seen["info"]["spec"]["cluster"]["server"] == sim.url


async def test_exec_plugin_rerun_after_401(sim: SimCluster, tmp_path: Path) -> None:
    plugin = _plugin(tmp_path)
    env = {"PLUGIN_STATE": str(tmp_path / "state"), "PLUGIN_TOKENS": f"stale,{sim.token}"}
    config = ClusterConfig(server=sim.url, ca_pem=sim.ca_pem, exec=ExecConfig(command=str(plugin), env=env))
    async with HttpKubeClient(config) as client:
        await client.get(NAMESPACE, "default")
        assert client.transport.auth.exec_plugin is not None
        assert client.transport.auth.exec_plugin.runs == 2


async def test_exec_plugin_cached_until_expiry(sim: SimCluster, tmp_path: Path) -> None:
    plugin = _plugin(tmp_path)
    start = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    now = [start]
    env = {
        "PLUGIN_STATE": str(tmp_path / "state"),
        "PLUGIN_TOKENS": sim.token,
        "PLUGIN_EXPIRES": "2030-01-01T00:10:00Z",
    }
    cluster = ClusterConfig(server=sim.url)
    runner = ExecPlugin(ExecConfig(command=str(plugin), env=env), cluster, now=lambda: now[0])
    first = await runner.credential()
    assert first.token == sim.token
    assert first.expires_at == start + datetime.timedelta(minutes=10)
    now[0] = start + datetime.timedelta(minutes=9)
    await runner.credential()
    assert runner.runs == 1
    now[0] = start + datetime.timedelta(minutes=10)
    await runner.credential()
    assert runner.runs == 2


async def test_exec_plugin_failures_are_clear(tmp_path: Path) -> None:
    cluster = ClusterConfig(server="https://127.0.0.1:1")
    missing = ExecPlugin(ExecConfig(command=str(tmp_path / "nope"), install_hint="install nope"), cluster)
    with pytest.raises(ExecPluginError, match="install nope"):
        await missing.credential()
    failing = tmp_path / "fail.py"
    failing.write_text(f"#!{sys.executable}\nimport sys\nprint('bad login', file=sys.stderr)\nsys.exit(3)\n")
    failing.chmod(0o755)
    with pytest.raises(ExecPluginError, match="exited with 3: bad login"):
        await ExecPlugin(ExecConfig(command=str(failing)), cluster).credential()


# ---------------------------------------------------------------- Argo CD cluster Secrets


def _cluster_secret(server: str, config: dict[str, Any], *, string_data: bool = False) -> dict[str, Any]:
    values = {"name": "prod", "server": server, "config": json.dumps(config)}
    secret: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "prod", "labels": {"argocd.argoproj.io/secret-type": "cluster"}},
        "type": "Opaque",
    }
    if string_data:
        secret["stringData"] = values
    else:
        secret["data"] = {key: _b64(value) for key, value in values.items()}
    return secret


async def test_cluster_secret_bearer_token_and_ca(sim: SimCluster) -> None:
    secret = _cluster_secret(
        sim.url, {"bearerToken": sim.token, "tlsClientConfig": {"caData": _b64(sim.ca_pem)}}
    )
    config = config_from_cluster_secret(secret)
    assert config.name == "prod"
    assert await _can_list(config)


async def test_cluster_secret_insecure_string_data(sim: SimCluster) -> None:
    secret = _cluster_secret(
        sim.url, {"bearerToken": sim.token, "tlsClientConfig": {"insecure": True}}, string_data=True
    )
    assert await _can_list(config_from_cluster_secret(secret))


async def test_cluster_secret_exec_provider(sim: SimCluster, tmp_path: Path) -> None:
    plugin = _plugin(tmp_path)
    exec_provider = {
        "command": str(plugin),
        "args": [],
        "env": {"PLUGIN_STATE": str(tmp_path / "state"), "PLUGIN_TOKENS": sim.token},
        "apiVersion": "client.authentication.k8s.io/v1beta1",
    }
    secret = _cluster_secret(
        sim.url, {"execProviderConfig": exec_provider, "tlsClientConfig": {"caData": _b64(sim.ca_pem)}}
    )
    assert await _can_list(config_from_cluster_secret(secret))


def test_cluster_secret_errors() -> None:
    with pytest.raises(ClusterSecretError, match="no server"):
        config_from_cluster_secret({"kind": "Secret", "data": {}})
    bad = _cluster_secret("https://x", {}, string_data=True)
    bad["stringData"]["config"] = "{not json"
    with pytest.raises(ClusterSecretError, match="not JSON"):
        config_from_cluster_secret(bad)
