"""``generate``: an ApplicationSet and its inputs → the Applications it would create."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import AppSetError, DuplicateNameError
from fleetops.core.appset.generators import GeneratorContext, generator_params
from fleetops.core.appset.inputs import GenerationInputs
from fleetops.core.appset.params import merge_nested
from fleetops.core.appset.render import render_application
from fleetops.core.appset.templating import TemplateMode

__all__ = ["generate"]


_NO_INPUTS = GenerationInputs()
RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io"


def generate(appset: Mapping[str, Any], inputs: GenerationInputs = _NO_INPUTS) -> list[dict[str, Any]]:
    """Every Application ``appset`` produces, in generator order; errors are :class:`AppSetError`.

    As Argo CD, an Application whose template names no finalizers gets
    ``resources-finalizer.argocd.argoproj.io`` (cascade deletion of its resources) unless
    ``syncPolicy.preserveResourcesOnDeletion`` is true."""
    if appset.get("kind", "ApplicationSet") != "ApplicationSet":
        raise AppSetError(f"expected an ApplicationSet, not a {appset.get('kind')}")
    metadata = appset.get("metadata") or {}
    name = str(metadata.get("name", ""))
    spec = appset.get("spec")
    if not isinstance(spec, Mapping):
        raise AppSetError(f"ApplicationSet {name} has no spec")
    generators = spec.get("generators")
    if not isinstance(generators, list) or not generators:
        raise AppSetError(f"ApplicationSet {name} has no generators")
    template = spec.get("template")
    if not isinstance(template, Mapping):
        raise AppSetError(f"ApplicationSet {name} has no template")
    mode = TemplateMode.from_spec(spec)
    context = GeneratorContext(mode, inputs)
    patch = spec.get("templatePatch")
    preserve = bool((spec.get("syncPolicy") or {}).get("preserveResourcesOnDeletion"))
    applications: list[dict[str, Any]] = []
    seen: set[str] = set()
    for generator in generators:
        own = _generator_template(generator)
        effective = merge_nested(template, own) if own else template
        for params in generator_params(generator, context):
            app = render_application(
                effective, params, mode, namespace=str(metadata.get("namespace") or "argocd"),
                template_patch=str(patch) if patch else None,
            )  # fmt: skip
            if not app["metadata"].get("finalizers") and not preserve:
                app["metadata"]["finalizers"] = [RESOURCES_FINALIZER]
            app_name = app["metadata"]["name"]
            if app_name in seen:
                raise DuplicateNameError(name, app_name)
            seen.add(app_name)
            applications.append(app)
    return applications


def _generator_template(generator: Any) -> Mapping[str, Any] | None:
    if not isinstance(generator, Mapping):
        return None
    for kind, spec in generator.items():
        if kind != "selector" and isinstance(spec, Mapping) and isinstance(spec.get("template"), Mapping):
            return dict(spec["template"])
    return None
