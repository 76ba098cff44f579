"""`fleetops up` and the seed's ApplicationSet: the `platform-services` ApplicationSet shipped
unchanged, the `platform` AppProject it names, `clusters/<spoke>/platform` in the sample
repository, and (once the ApplicationSet controller exists) the three production platform
applications Synced and Healthy in a running embedded fleet."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.shared import SHARED_DIR
from typer.testing import CliRunner

from fleetops.adapters.kube import HttpKubeClient
from fleetops.cli import app as cli_app
from fleetops.core import project as projects
from fleetops.core.kustomize import BuildOptions, MemoryFileSystem, build
from fleetops.embedded import applications, sample_repo
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.embedded.fleet_layout import CONTROL_NAMESPACE, HUB, REPO_PATH, SEED_REPO_URL, SPOKES
from fleetops.embedded.runner import EmbeddedConfig, Running, hub_config, run_embedded
from fleetops.embedded.state import EmbeddedState
from fleetops.model import GroupVersionKind

SEED_APPSET = SHARED_DIR / "seed" / "examples" / "applicationset.yaml"
PLATFORM_APPS = ["prod-us-east-1-platform", "prod-us-west-2-platform", "prod-eu-west-1-platform"]
APPLICATION = GroupVersionKind("argoproj.io", "v1alpha1", "Application")
APPLICATIONSET = GroupVersionKind("argoproj.io", "v1alpha1", "ApplicationSet")
APPPROJECT = GroupVersionKind("argoproj.io", "v1alpha1", "AppProject")
DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")
SECRET = GroupVersionKind("", "v1", "Secret")


def test_shipped_applicationset_is_the_seeds_unchanged() -> None:
    if not SEED_APPSET.is_file():
        pytest.skip(f"the seed examples are not at {SEED_APPSET}")
    assert sample_repo.seed_applicationset() == SEED_APPSET.read_text()
    appset = applications.platform_applicationset()
    seed = yaml.safe_load(SEED_APPSET.read_text())
    assert appset["spec"] == seed["spec"]
    assert appset["metadata"] == {**seed["metadata"], "namespace": CONTROL_NAMESPACE}


def test_every_spoke_has_a_platform_directory_with_a_monitoring_agent() -> None:
    files = sample_repo.files()
    for spoke in SPOKES:
        prefix = f"clusters/{spoke.name}/platform"
        for name in ("kustomization.yaml", "deployment.yaml", "configmap.yaml", "service.yaml"):
            assert f"{prefix}/{name}" in files, (prefix, name)
    tree = MemoryFileSystem({f"/{path}": text for path, text in files.items()})
    rendered = build(tree, "/clusters/prod-eu-west-1/platform", BuildOptions()).manifests
    kinds = {(m["kind"], m["metadata"].get("namespace", "")) for m in rendered}
    assert kinds == {
        ("Namespace", ""),
        ("ConfigMap", "platform"),
        ("Deployment", "platform"),
        ("Service", "platform"),
    }
    config = next(m for m in rendered if m["kind"] == "ConfigMap")
    assert "prod-eu-west-1" in config["data"]["config.yaml"] and "eu-west-1" in config["data"]["config.yaml"]
    deployment = next(m for m in rendered if m["kind"] == "Deployment")
    volume = deployment["spec"]["template"]["spec"]["volumes"][0]
    assert volume["configMap"]["name"] == config["metadata"]["name"]
    service = next(m for m in rendered if m["kind"] == "Service")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def _secrets() -> list[dict[str, Any]]:
    return [
        cluster_secret(
            name=spoke.name,
            server=f"https://127.0.0.1:{6443 + index}",
            namespace=CONTROL_NAMESPACE,
            token="t",
            labels=spoke.labels,
        )
        for index, spoke in enumerate(SPOKES)
    ]


def test_appset_generate_over_the_shipped_appset_gives_the_three_production_apps(tmp_path: Path) -> None:
    appset_file = tmp_path / "applicationset.yaml"
    appset_file.write_text(sample_repo.seed_applicationset())
    secrets_file = tmp_path / "clusters.yaml"
    secrets_file.write_text(yaml.safe_dump_all(_secrets()))
    result = CliRunner().invoke(
        cli_app.build_app(), ["appset", "generate", str(appset_file), "--cluster-secrets", str(secrets_file)]
    )
    assert result.exit_code == 0, result.output
    generated = [a for a in yaml.safe_load_all(result.stdout) if a]
    assert [a["metadata"]["name"] for a in generated] == PLATFORM_APPS
    files = sample_repo.files()
    for generated_app in generated:
        assert generated_app["spec"]["project"] == "platform"
        assert f"{generated_app['spec']['source']['path']}/kustomization.yaml" in files


def test_platform_project_admits_the_generated_apps_and_nothing_else() -> None:
    secrets = _secrets()
    servers = {s["stringData"]["name"]: s["stringData"]["server"] for s in secrets}
    production = [servers[s.name] for s in SPOKES if s.environment == "production"]
    project = applications.platform_project(CONTROL_NAMESPACE, production)
    assert project["spec"]["sourceRepos"] == [SEED_REPO_URL]
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "platform"}}
    agent = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "a", "namespace": "platform"},
    }

    def app(server: str, namespace_: str = "platform") -> dict[str, Any]:
        return {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {"name": "x", "namespace": CONTROL_NAMESPACE},
            "spec": {
                "project": "platform",
                "source": {"repoURL": SEED_REPO_URL, "path": "clusters/x/platform"},
                "destination": {"server": server, "namespace": namespace_},
            },
        }

    for server in production:
        assert projects.check(app(server), project, [namespace, agent]) == []
    assert projects.check(app(servers["staging"]), project, [agent])  # not a production cluster
    assert projects.check(app(production[0], "payments"), project, [])  # not the platform namespace
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}}
    assert projects.check(app(production[0]), project, [role])  # only Namespaces are cluster-wide


def _state(app: Mapping[str, Any]) -> tuple[str, str, str]:
    """Sync status, health, and the conditions' messages."""
    status = app.get("status") or {}
    messages = " / ".join(str(c.get("message")) for c in status.get("conditions") or ())
    return (
        (status.get("sync") or {}).get("status", ""),
        (status.get("health") or {}).get("status", ""),
        messages,
    )


async def _platform_apps(
    hub: HttpKubeClient, done: Callable[[dict[str, tuple[str, str, str]]], bool]
) -> dict[str, tuple[str, str, str]]:
    """The `*-platform` Applications' states, once `done` holds for them (deadline: generous)."""
    found: dict[str, tuple[str, str, str]] = {}
    async with asyncio.timeout(240):
        while not done(found):
            await asyncio.sleep(0.2)
            listed = (await hub.list(APPLICATION, CONTROL_NAMESPACE)).items
            found = {
                a["metadata"]["name"]: _state(a)
                for a in listed
                if a["metadata"]["name"].endswith("-platform")
            }
    return found


def _all_three_synced_and_healthy(found: dict[str, tuple[str, str, str]]) -> bool:
    return sorted(found) == sorted(PLATFORM_APPS) and all(
        s[:2] == ("Synced", "Healthy") for s in found.values()
    )


def _staging_refused(found: dict[str, tuple[str, str, str]]) -> bool:
    return "do not match any of the allowed destinations" in found.get("staging-platform", ("", "", ""))[2]


def _staging_gone(found: dict[str, tuple[str, str, str]]) -> bool:
    return bool(found) and "staging-platform" not in found


async def test_up_deploys_the_platform_services_to_the_production_spokes(tmp_path: Path) -> None:
    config = EmbeddedConfig(
        data_dir=tmp_path / "data", kubeconfig=tmp_path / "kubeconfig", port=0, poll_interval=300
    )
    started: asyncio.Future[Running] = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(run_embedded(config, echo=lambda _: None, on_ready=started.set_result))
    try:
        async with asyncio.timeout(120):
            running = await started
        async with HttpKubeClient(hub_config(running.fleet[HUB], CONTROL_NAMESPACE)) as hub:
            appsets = (await hub.list(APPLICATIONSET, CONTROL_NAMESPACE)).items
            assert [a["metadata"]["name"] for a in appsets] == ["platform-services"]
            project = await hub.get(APPPROJECT, "platform", CONTROL_NAMESPACE)
            assert {d["server"] for d in project["spec"]["destinations"]} == {
                running.fleet[s.name].url for s in SPOKES if s.environment == "production"
            }
            states = await _platform_apps(hub, _all_three_synced_and_healthy)
            assert sorted(states) == sorted(PLATFORM_APPS)  # nothing for dev or staging
            # staging labelled production: its application appears, and project `platform` (its
            # destinations are the prod-* servers) refuses it; labelled back, it goes away
            secrets = (await hub.list(SECRET, CONTROL_NAMESPACE)).items
            staging = next(s for s in secrets if s["metadata"]["labels"].get("environment") == "staging")
            for environment, done in (("production", _staging_refused), ("staging", _staging_gone)):
                label = {"metadata": {"labels": {"environment": environment}}}
                await hub.patch(SECRET, staging["metadata"]["name"], label, CONTROL_NAMESPACE)
                await _platform_apps(hub, done)
        for spoke in ("prod-us-east-1", "prod-us-west-2", "prod-eu-west-1"):
            async with HttpKubeClient(hub_config(running.fleet[spoke], "platform")) as client:
                agent = await client.get(DEPLOYMENT, "monitoring-agent", "platform")
                assert (agent.get("status") or {}).get("availableReplicas") == agent["spec"]["replicas"]
        for spoke in ("dev", "staging"):
            async with HttpKubeClient(hub_config(running.fleet[spoke], "platform")) as client:
                assert not (await client.list(DEPLOYMENT, "platform")).items
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _without_platform() -> dict[str, str]:
    return {
        path: text for path, text in sample_repo.files().items() if path not in sample_repo.platform_files()
    }


def test_add_platform_commits_the_platform_directories_once(tmp_path: Path) -> None:
    import pygit2  # noqa: PLC0415

    path = tmp_path / "gitops-config.git"
    first = sample_repo.create_repository(path, tree=_without_platform())
    added = sample_repo.add_platform(path)
    assert added is not None
    commit = pygit2.Repository(str(path)).revparse_single(added).peel(pygit2.Commit)
    assert [str(parent) for parent in commit.parent_ids] == [first]
    for name in sample_repo.platform_files():
        assert name in commit.tree
    assert "apps/payment-service/base/kustomization.yaml" in commit.tree
    assert sample_repo.add_platform(path) is None  # already there: nothing written


async def test_an_older_data_directory_gets_the_platform_services_on_its_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    repository = data / "git" / REPO_PATH
    repository.parent.mkdir(parents=True)
    sample_repo.create_repository(repository, tree=_without_platform())
    EmbeddedState(seeded=True).save(data)  # written by a fleetops up without platform-services
    config = EmbeddedConfig(data_dir=data, kubeconfig=tmp_path / "kubeconfig", port=0, poll_interval=300)
    started: asyncio.Future[Running] = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(run_embedded(config, echo=lambda _: None, on_ready=started.set_result))
    try:
        async with asyncio.timeout(120):
            running = await started
        assert EmbeddedState.load(data).platform
        async with HttpKubeClient(hub_config(running.fleet[HUB], CONTROL_NAMESPACE)) as hub:
            await _platform_apps(hub, _all_three_synced_and_healthy)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
