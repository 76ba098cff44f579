"""fleetops' CRDs served by kubesim and used with the pinned kubectl: the seed's Application
applies unchanged (strict field validation, nothing pruned), `kubectl get apps` shows Argo CD's
columns, and status is a subresource that a spec apply never clears."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.shared import SHARED_DIR

from fleetops.core import crds
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.kubeconfig import write_kubeconfig

# The seed and other shared files (tests/conftest.py's rule, without importing it by name).
SEED = SHARED_DIR / "seed" / "examples"


class Kubectl:
    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [str(self.path), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, f"kubectl {' '.join(args)} failed: {done.stderr}"
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "-o", "json"))


@pytest.fixture(scope="module")
def kube(kubectl: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kubectl]:
    root = tmp_path_factory.mktemp("crds-kubesim")
    with BackgroundFleet(["hub"], watch_history=100) as fleet:
        config = root / "kubeconfig"
        write_kubeconfig(config, [fleet["hub"]])
        (root / "home").mkdir()
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root / "home"), "KUBECONFIG": str(config)}
        kube = Kubectl(kubectl, env)
        kube.ok("apply", "-f", "-", stdin=yaml.safe_dump_all(crds.all_crds()))
        for name in (crds.APPLICATION_CRD, crds.APPPROJECT_CRD, crds.APPLICATIONSET_CRD):
            kube.ok("wait", "--for=condition=Established", f"crd/{name}", "--timeout=30s")
        kube.ok("create", "namespace", "fleetops")
        yield kube


def _seed_text(name: str) -> str:
    path = SEED / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared is not checked out here)")
    return path.read_text()


def test_seed_application_applies_unchanged(kube: Kubectl) -> None:
    text = _seed_text("application.yaml")
    kube.ok("apply", "--server-side", "--validate=strict", "-n", "fleetops", "-f", "-", stdin=text)
    stored = kube.json("get", "application", "payment-service", "-n", "fleetops")
    assert stored["spec"] == yaml.safe_load(text)["spec"]


def test_seed_applicationset_applies_unchanged(kube: Kubectl) -> None:
    text = _seed_text("applicationset.yaml")
    kube.ok("apply", "--server-side", "--validate=strict", "-n", "fleetops", "-f", "-", stdin=text)
    stored = kube.json("get", "appset", "platform-services", "-n", "fleetops")
    assert stored["spec"] == yaml.safe_load(text)["spec"]


def test_status_subresource_and_printer_columns(kube: Kubectl) -> None:
    app = yaml.safe_load(_seed_text("application.yaml"))
    app["metadata"]["name"] = "columns"
    kube.ok("apply", "--server-side", "-n", "fleetops", "-f", "-", stdin=yaml.safe_dump(app))
    status = {
        "status": {"sync": {"status": "OutOfSync", "revision": "abc123"}, "health": {"status": "Healthy"}}
    }
    kube.ok(
        "patch", "app", "columns", "-n", "fleetops", "--subresource=status", "--type=merge",
        "-p", json.dumps(status),
    )  # fmt: skip
    app["spec"]["syncPolicy"]["automated"]["selfHeal"] = False
    kube.ok("apply", "--server-side", "-n", "fleetops", "-f", "-", stdin=yaml.safe_dump(app))
    table = kube.ok("get", "apps", "columns", "-n", "fleetops", "-o", "wide").splitlines()
    assert table[0].split() == ["NAME", "SYNC", "STATUS", "HEALTH", "STATUS", "REVISION", "PROJECT", "AGE"]
    assert table[1].split()[:5] == ["columns", "OutOfSync", "Healthy", "abc123", "default"]


def test_unknown_spec_fields_are_kept(kube: Kubectl) -> None:
    app = yaml.safe_load(_seed_text("application.yaml"))
    app["metadata"]["name"] = "future"
    app["spec"]["source"]["helm"] = {"valueFiles": ["values.yaml"], "brandNew": {"x": 1}}
    app["spec"]["futureField"] = "kept"
    kube.ok(
        "apply", "--server-side", "--validate=strict", "-n", "fleetops", "-f", "-", stdin=yaml.safe_dump(app)
    )
    stored = kube.json("get", "app", "future", "-n", "fleetops")
    assert stored["spec"]["futureField"] == "kept"
    assert stored["spec"]["source"]["helm"]["brandNew"] == {"x": 1}


def test_appproject_short_name(kube: Kubectl) -> None:
    project = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "platform", "namespace": "fleetops"},
        "spec": {"sourceRepos": ["*"], "destinations": [{"server": "*", "namespace": "platform"}]},
    }
    kube.ok("apply", "--server-side", "--validate=strict", "-f", "-", stdin=yaml.safe_dump(project))
    assert kube.json("get", "appproj", "platform", "-n", "fleetops")["spec"] == project["spec"]


def test_crds_round_trip_through_the_api(kube: Kubectl) -> None:
    served = kube.json("get", "crd", crds.APPLICATION_CRD)
    assert served["spec"]["versions"][0]["schema"] == crds.application_crd()["spec"]["versions"][0]["schema"]
