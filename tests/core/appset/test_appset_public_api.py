"""The public surface of fleetops.core.appset, pinned."""

from __future__ import annotations

from fleetops.core import appset


def test_public_api() -> None:
    assert sorted(appset.__all__) == sorted(
        [
            "IN_CLUSTER_NAME", "IN_CLUSTER_SERVER", "AppSetError", "DuplicateNameError", "GenerationInputs",
            "GeneratorContext", "GeneratorError", "RepoTree", "TemplateError", "TemplateMode", "generate",
            "generator_params", "normalize_name", "render_application", "render_fast", "render_go",
        ]
    )  # fmt: skip
    for name in appset.__all__:
        assert getattr(appset, name) is not None


def test_errors_are_value_errors() -> None:
    for error in (appset.GeneratorError, appset.TemplateError, appset.DuplicateNameError):
        assert issubclass(error, appset.AppSetError)
    assert issubclass(appset.AppSetError, ValueError)
