"""The public surfaces of fleetops.core.app, core.project, core.crds and controller are pinned:
every name in `__all__` exists and the names other layers call are there."""

from __future__ import annotations

from types import ModuleType

import pytest

from fleetops import controller
from fleetops.core import app, crds, project

SURFACES: list[tuple[ModuleType, set[str]]] = [
    (
        app,
        {
            "sources",
            "repo_url",
            "path",
            "target_revision",
            "kustomize_overrides",
            "directory_options",
            "destination",
            "project",
            "sync_policy",
            "unsupported_fields",
            "spec_errors",
            "set_conditions",
            "sync_status",
            "health_status",
            "operation_state",
            "append_history",
            "is_reconcilable",
        },
    ),
    (project, {"check", "Violation", "ViolationKind", "default_project", "ClusterRef"}),
    (crds, {"application_crd", "appproject_crd", "applicationset_crd", "all_crds", "with_argo_crds"}),
    (controller, {"Metrics", "app_info_labels"}),
]


@pytest.mark.parametrize(("module", "required"), SURFACES, ids=[m.__name__ for m, _ in SURFACES])
def test_surface(module: ModuleType, required: set[str]) -> None:
    names: list[str] = module.__all__
    assert all(hasattr(module, name) for name in names)
    assert required <= set(names)
