"""Bad input gives the application a condition with a clear message; nothing is applied or
pruned; other applications are unaffected. Pruning removes what left Git, never after a failed
render."""

from __future__ import annotations

from typing import Any

from scenario_support import DEPLOYMENT, PRIVATE_URL, SEED_URL, Scenario, eventually

from fleetops.model import GroupVersionKind

HPA = GroupVersionKind("autoscaling", "v2", "HorizontalPodAutoscaler")
PATH = "apps/payment-service/overlays/production"
CONFIGMAP_YAML = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n"

BAD_FILES = {
    "bad/invalid-yaml/kustomization.yaml": "resources: [cm.yaml\n",
    "bad/missing-base/kustomization.yaml": "resources:\n- ../../nowhere/base\n",
    "bad/unknown-kind/kustomization.yaml": "resources:\n- thing.yaml\n",
    "bad/unknown-kind/thing.yaml": "apiVersion: example.com/v1\nkind: Frobnicator\nmetadata:\n  name: x\n",
    "good/cm/kustomization.yaml": "resources:\n- cm.yaml\n",
    "good/cm/cm.yaml": CONFIGMAP_YAML,
}


def _error_conditions(app: dict[str, Any]) -> list[str]:
    conditions = app.get("status", {}).get("conditions") or []
    return [f"{c['type']}: {c['message']}" for c in conditions if c["type"].endswith("Error")]


async def test_bad_input_becomes_a_condition_and_nothing_is_written(scenario: Scenario) -> None:
    scenario.repo.commit(BAD_FILES, "bad input")
    server = await scenario.register_spoke()
    unreachable = await scenario.register_spoke(server="https://127.0.0.1:9", name="gone")
    cases: dict[str, tuple[dict[str, Any], str]] = {
        "invalid-yaml": ({"path": "bad/invalid-yaml"}, "ComparisonError"),
        "missing-base": ({"path": "bad/missing-base"}, "ComparisonError"),
        "unknown-kind": ({"path": "bad/unknown-kind"}, "Frobnicator"),
        "outside-repo": ({"path": "../../etc"}, "outside the repository"),
        "no-revision": ({"path": "good/cm", "targetRevision": "no-such-branch"}, "no-such-branch"),
        "unreachable": ({"path": "good/cm", "server": unreachable}, "127.0.0.1:9"),
    }
    for name, (fields, _) in cases.items():
        app = _application(f"bad-{name}", server=fields.get("server", server), namespace=f"bad-{name}")
        app["spec"]["source"]["path"] = fields["path"]
        app["spec"]["source"]["targetRevision"] = fields.get("targetRevision", "main")
        await scenario.hub.create(app)
    await scenario.hub.create(_application("good", server=server, namespace="good", path=PATH))

    for name, (_, expected) in cases.items():

        async def conditioned(name: str = name, expected: str = expected) -> bool:
            errors = _error_conditions(await scenario.app(f"bad-{name}"))
            return any(expected in message for message in errors)

        await eventually(conditioned, f"bad-{name} gets a condition naming {expected!r}")

    async def good_synced() -> bool:
        status = (await scenario.app("good")).get("status", {})
        return status.get("sync", {}).get("status") == "Synced"

    await eventually(good_synced, "the good application is unaffected and Synced")
    for name in cases:
        app = await scenario.app(f"bad-{name}")
        assert app["status"]["sync"]["status"] == "Unknown", (name, app["status"])
    written = [w for w in await scenario.writes("spoke") if w["field_manager"] == "fleetops"]
    assert written, "the good application was written"
    assert not [w for w in written if "bad-" in w["namespace"] or "bad-" in w["name"]], written


async def test_pruning_removes_what_left_git_but_never_after_a_failed_render(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    await scenario.hub.create(_application("payment-service", server=server, namespace="payments", path=PATH))

    async def hpa_present() -> bool:
        return await scenario.get("spoke", HPA, "payment-service", "payments") is not None

    await eventually(hpa_present, "the HPA is synced")
    base = "apps/payment-service/base/kustomization.yaml"
    head = scenario.repo.head_of("main")
    text = scenario.repo.read(head, base).decode()

    broken = scenario.repo.commit({base: text + "resources: [\n"}, "a broken kustomization")
    before = len(await scenario.writes("spoke"))
    assert (await scenario.github_push(broken, secret=scenario.webhook_secret)).status == 200

    async def failed() -> bool:
        app = await scenario.app("payment-service")
        return any(broken[:7] in message for message in _error_conditions(app))

    await eventually(failed, "the broken render is a ComparisonError")
    assert [w for w in (await scenario.writes("spoke"))[before:] if w["field_manager"] == "fleetops"] == []
    assert await hpa_present()
    assert await scenario.get("spoke", DEPLOYMENT, "payment-service", "payments") is not None

    fixed = scenario.repo.commit(
        {base: text.replace("- hpa.yaml\n", ""), "apps/payment-service/base/hpa.yaml": None}
    )
    assert (await scenario.github_push(fixed, secret=scenario.webhook_secret)).status == 200

    async def pruned() -> bool:
        return not await hpa_present()

    await eventually(pruned, "the HPA that left Git is pruned")
    deletes = [
        w for w in await scenario.writes("spoke") if w["verb"] == "delete" and w["name"] == "payment-service"
    ]
    assert [w["resource"] for w in deletes] == ["horizontalpodautoscalers.autoscaling"]

    async def clean() -> bool:
        app = await scenario.app("payment-service")
        return not _error_conditions(app) and app["status"]["sync"]["status"] == "Synced"

    await eventually(clean, "the condition is cleared and the application Synced")


async def test_wrong_git_credentials_are_a_condition(scenario: Scenario) -> None:
    private = scenario.private_repo
    private.commit(
        {"app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": CONFIGMAP_YAML}, "first"
    )
    await scenario.hub.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "repo-private",
                "namespace": "fleetops",
                "labels": {"argocd.argoproj.io/secret-type": "repository"},
            },
            "stringData": {"url": PRIVATE_URL, "username": "fleetops", "password": "wrong-password"},
        }
    )
    server = await scenario.register_spoke()
    app = _application("private", server=server, namespace="private", path="app")
    app["spec"]["source"]["repoURL"] = PRIVATE_URL
    await scenario.hub.create(app)

    async def refused() -> bool:
        errors = _error_conditions(await scenario.app("private"))
        return any(
            "authentication" in message.lower() or "credentials" in message.lower() for message in errors
        )

    await eventually(refused, "wrong credentials give a ComparisonError")
    assert "wrong-password" not in str(await scenario.app("private"))
    assert not [w for w in await scenario.writes("spoke") if w["namespace"] == "private"]


def _application(name: str, *, server: str, namespace: str, path: str = "") -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "project": "default",
            "source": {"repoURL": SEED_URL, "targetRevision": "main", "path": path},
            "destination": {"server": server, "namespace": namespace},
            "syncPolicy": {"automated": {"prune": True}, "syncOptions": ["CreateNamespace=true"]},
        },
    }


async def test_an_unknown_destination_heals_when_its_cluster_is_registered(scenario: Scenario) -> None:
    url = scenario.fleet["spoke"].url
    await scenario.hub.create(
        _application("late", server=url, namespace="late", path="apps/payment-service/base")
    )

    async def unknown() -> bool:
        return any("no clusters with this URL" in m for m in _error_conditions(await scenario.app("late")))

    await eventually(unknown, "an unregistered destination is a ComparisonError")
    await scenario.register_spoke()

    async def synced() -> bool:
        app = await scenario.app("late")
        return not _error_conditions(app) and app["status"]["sync"]["status"] == "Synced"

    await eventually(synced, "registering the cluster Secret re-queues and syncs the application")
    assert await scenario.get("spoke", DEPLOYMENT, "payment-service", "late") is not None
