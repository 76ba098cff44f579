"""`fieldValidation` on every write verb, cross-checked with the pinned kubectl.

Server-side apply types the applied object with the schema first, so — as on a real API server —
a field the schema does not declare fails it whatever `fieldValidation` says: code 500,
`failed to create typed patch object (NS/NAME; apps/v1, Kind=Deployment): .spec.replicaz: field
not declared in schema` (kubernetes#122480, #139253), for kubectl's `--validate=strict` and
`--validate=false` alike; fleetops' `HttpKubeClient` sends the parameter kubectl sends. create,
replace and patch follow `fieldValidation`: Strict refuses (400, `strict decoding error: unknown
field "spec.replicaz"`), `Warn` answers with a `Warning` header, `Ignore` drops the field; nothing
refused is stored."""

from __future__ import annotations

import copy
import re
import textwrap
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.support.kubesim_clients import Kubectl

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient
from fleetops.kubesim.cluster import SimCluster
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import ApiError, BadRequest, NotFound, PatchType

DEPLOYMENT_GVK = GroupVersionKind("apps", "v1", "Deployment")
MESSAGE = 'strict decoding error: unknown field "spec.replicaz"'
UNTYPED = ".spec.replicaz: field not declared in schema"


def untyped(namespace: str, name: str) -> str:
    return f"failed to create typed patch object ({namespace}/{name}; apps/v1, Kind=Deployment): {UNTYPED}"


MANIFEST = textwrap.dedent("""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {name}
    spec:
      replicas: 1
      replicaz: 3
      selector:
        matchLabels: {{app: web}}
      template:
        metadata:
          labels: {{app: web}}
        spec:
          containers:
          - name: app
            image: nginx:1.27
""")


def deployment(name: str, namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": 1,
            "replicaz": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        },
    }


@pytest.fixture
async def client(sim_cluster: SimCluster, namespace: str) -> AsyncIterator[HttpKubeClient]:
    config = ClusterConfig(
        server=sim_cluster.url,
        name="sim",
        namespace=namespace,
        ca_pem=sim_cluster.ca_pem,
        token=sim_cluster.token,
    )
    async with HttpKubeClient(config) as running:
        yield running


async def stored(client: HttpKubeClient, name: str, namespace: str) -> dict[str, Any] | None:
    try:
        return await client.get(DEPLOYMENT_GVK, name, namespace)
    except NotFound:
        return None


async def test_server_side_apply_refuses_undeclared_fields_whatever_the_validation(
    kube: Kubectl, namespace: str, client: HttpKubeClient
) -> None:
    for validate in ("strict", "false"):
        done = kube.run(
            "apply", "--server-side", f"--validate={validate}", "-n", namespace, "-f", "-", "-v=6",
            stdin=MANIFEST.format(name="by-kubectl"),
        )  # fmt: skip
        assert done.returncode == 1
        assert untyped(namespace, "by-kubectl") in done.stderr, done.stderr
    assert "fieldValidation=Strict" in done.stderr or "fieldValidation=Ignore" in done.stderr
    for validation in ("Strict", "Ignore", None):
        for dry_run in (True, False):
            with pytest.raises(ApiError) as refused:
                await client.apply(
                    deployment("by-fleetops", namespace),
                    field_manager="fleetops",
                    dry_run=dry_run,
                    field_validation=validation,  # type: ignore[arg-type]
                )
            assert refused.value.code == 500
            assert refused.value.message == untyped(namespace, "by-fleetops")
    assert await stored(client, "by-kubectl", namespace) is None
    assert await stored(client, "by-fleetops", namespace) is None


async def test_kubectl_sends_the_validation_it_is_given(kube: Kubectl, namespace: str) -> None:
    done = kube.run(
        "apply", "--server-side", "--validate=strict", "-n", namespace, "-f", "-", "-v=6",
        stdin=MANIFEST.format(name="asked"),
    )  # fmt: skip
    assert "fieldValidation=Strict" in done.stderr, "kubectl asks the server to validate strictly"


async def test_create_with_ignore_drops_the_field_like_kubectl_validate_false(
    kube: Kubectl, namespace: str, client: HttpKubeClient
) -> None:
    done = kube.run(
        "create", "--validate=false", "-n", namespace, "-f", "-", stdin=MANIFEST.format(name="by-kubectl")
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr
    await client.create(
        deployment("by-fleetops", namespace), field_manager="fleetops", field_validation="Ignore"
    )
    for name in ("by-kubectl", "by-fleetops"):
        live = await stored(client, name, namespace)
        assert live is not None
        assert "replicaz" not in live["spec"] and live["spec"]["replicas"] == 1


async def test_warn_stores_without_the_field_and_warns(kube: Kubectl, namespace: str) -> None:
    done = kube.run(
        "create", "--validate=warn", "-n", namespace, "-f", "-", stdin=MANIFEST.format(name="warned")
    )
    assert done.returncode == 0, done.stderr
    assert 'Warning: unknown field "spec.replicaz"' in done.stderr
    assert "replicaz" not in kube.json("get", "-n", namespace, "deployment", "warned")["spec"]


async def test_every_write_verb_sends_the_field_validation(client: HttpKubeClient, namespace: str) -> None:
    obj = deployment("verbs", namespace)
    with pytest.raises(BadRequest, match=re.escape(MESSAGE)):
        await client.create(obj, field_manager="fleetops", field_validation="Strict")
    assert await stored(client, "verbs", namespace) is None
    created = await client.create(obj, field_manager="fleetops", field_validation="Ignore")
    assert "replicaz" not in created["spec"]

    replaced = copy.deepcopy(created)
    replaced["spec"]["replicaz"] = 4
    with pytest.raises(BadRequest, match=re.escape(MESSAGE)):
        await client.replace(replaced, field_manager="fleetops", field_validation="Strict")
    assert "replicaz" not in (await client.replace(replaced, field_manager="fleetops"))["spec"]

    patch = {"spec": {"replicaz": 5, "replicas": 2}}
    with pytest.raises(BadRequest, match=re.escape(MESSAGE)):
        await client.patch(DEPLOYMENT_GVK, "verbs", patch, namespace, field_validation="Strict")
    live = await stored(client, "verbs", namespace)
    assert live is not None and live["spec"]["replicas"] == 1, "the refused patch changed nothing"
    patched = await client.patch(
        DEPLOYMENT_GVK, "verbs", patch, namespace, patch_type=PatchType.MERGE, field_validation="Ignore"
    )
    assert patched["spec"]["replicas"] == 2 and "replicaz" not in patched["spec"]
