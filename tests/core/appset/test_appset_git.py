"""The git generator (directories and files), from Argo CD's documented examples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fleetops.core.appset import (
    GenerationInputs,
    GeneratorContext,
    GeneratorError,
    TemplateMode,
    generator_params,
)

BASE = "applicationset/examples/git-generator-directory/excludes/cluster-addons"


def _params(spec: dict[str, Any], tree: Any, *, go: bool = False) -> list[dict[str, Any]]:
    context = GeneratorContext(TemplateMode(go_template=go), GenerationInputs(repo=tree))
    return generator_params({"git": {"repoURL": "https://github.com/argoproj/argo-cd.git", **spec}}, context)


@pytest.fixture
def addons(memory_tree: Any) -> Any:
    files = {f"{BASE}/{name}/kustomization.yaml": "" for name in ("argo-workflows", "prometheus-operator")}
    files[f"{BASE}/exclude-helm-guestbook/Chart.yaml"] = ""
    files[f"{BASE}/.hidden/x.yaml"] = ""
    return memory_tree(files)


def test_directories_with_exclude(addons: Any) -> None:
    directories = [{"path": f"{BASE}/*"}, {"path": f"{BASE}/exclude-helm-guestbook", "exclude": True}]
    params = _params({"directories": directories}, addons)
    assert [p["path.basename"] for p in params] == ["argo-workflows", "prometheus-operator"]
    assert params[0]["path"] == f"{BASE}/argo-workflows"
    assert params[0]["path[0]"] == "applicationset"
    assert params[0]["path[5]"] == "argo-workflows"
    assert params[0]["path.basenameNormalized"] == "argo-workflows"


def test_directories_go_template_segments(addons: Any) -> None:
    (params,) = _params({"directories": [{"path": f"{BASE}/argo-*"}]}, addons, go=True)
    assert params["path"]["basename"] == "argo-workflows"
    assert params["path"]["segments"][-1] == "argo-workflows"
    assert params["path"]["path"] == f"{BASE}/argo-workflows"


def test_path_param_prefix(addons: Any) -> None:
    (params,) = _params({"directories": [{"path": f"{BASE}/argo-*"}], "pathParamPrefix": "app"}, addons)
    assert params["app.path.basename"] == "argo-workflows"


CONFIG: dict[str, Any] = {
    "aws_account": "123456",
    "asset_id": "11223344",
    "cluster": {
        "owner": "cluster-admin@company.com",
        "name": "engineering-dev",
        "address": "https://1.2.3.4",
    },
}
DISCOVERY = "applicationset/examples/git-generator-files-discovery/cluster-config"


@pytest.fixture
def configs(memory_tree: Any) -> Any:
    prod = {**CONFIG, "cluster": {**CONFIG["cluster"], "name": "engineering-prod"}}
    return memory_tree(
        {
            f"{DISCOVERY}/engineering/dev/config.json": json.dumps(CONFIG),
            f"{DISCOVERY}/engineering/prod/config.yaml": f"cluster:\n  name: {prod['cluster']['name']}\n"
            "  replicas: 3\n  zones: [a, b]\n",
            f"{DISCOVERY}/README.md": "# nothing",
        }
    )


def test_files_flat_parameters(configs: Any) -> None:
    params = _params({"files": [{"path": f"{DISCOVERY}/**/config.json"}]}, configs)
    assert len(params) == 1
    assert params[0]["cluster.name"] == "engineering-dev"
    assert params[0]["cluster.address"] == "https://1.2.3.4"
    assert params[0]["path"] == f"{DISCOVERY}/engineering/dev"
    assert params[0]["path.basename"] == "dev"
    assert params[0]["path.filename"] == "config.json"


def test_files_yaml_flattened_and_nested(configs: Any) -> None:
    (flat,) = _params({"files": [{"path": f"{DISCOVERY}/**/config.yaml"}]}, configs)
    assert flat["cluster.replicas"] == "3"
    assert flat["cluster.zones.1"] == "b"
    (nested,) = _params({"files": [{"path": f"{DISCOVERY}/**/config.yaml"}]}, configs, go=True)
    assert nested["cluster"]["replicas"] == 3
    assert nested["path"]["basename"] == "prod"


def test_files_exclude(configs: Any) -> None:
    files = [{"path": f"{DISCOVERY}/**/config.*"}, {"path": f"{DISCOVERY}/**/prod/*", "exclude": True}]
    assert [p["cluster.name"] for p in _params({"files": files}, configs)] == ["engineering-dev"]


def test_git_without_tree_is_an_error() -> None:
    with pytest.raises(GeneratorError, match="no repository tree"):
        _params({"directories": [{"path": "*"}]}, None)


@pytest.mark.parametrize("path", ["../outside/*", "/etc/*", "apps/../../x"])
def test_paths_leaving_the_repository_are_an_error(addons: Any, path: str) -> None:
    with pytest.raises(GeneratorError, match="must stay inside the repository"):
        _params({"directories": [{"path": path}]}, addons)
