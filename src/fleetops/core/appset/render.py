"""Rendering an ApplicationSet's template (and ``templatePatch``) into one Application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import TemplateError
from fleetops.core.appset.params import Params
from fleetops.core.appset.templating import TemplateMode, render_string, render_value
from fleetops.core.patch import PatchError, apply_merge_patch
from fleetops.core.yamlio import YamlReadError, load_documents

__all__ = ["render_application"]

_METADATA_FIELDS = ("name", "namespace", "labels", "annotations", "finalizers")


def render_application(
    template: Mapping[str, Any],
    params: Params,
    mode: TemplateMode,
    *,
    namespace: str,
    template_patch: str | None = None,
) -> dict[str, Any]:
    """An Application (apiVersion, kind, metadata, spec); owner metadata is the controller's."""
    rendered = render_value({"metadata": dict(template.get("metadata") or {}),
                             "spec": template.get("spec") or {}}, params, mode)  # fmt: skip
    if template_patch:
        rendered = _patched(rendered, template_patch, params, mode)
    metadata = {k: rendered["metadata"][k] for k in _METADATA_FIELDS if rendered["metadata"].get(k)}
    metadata.setdefault("namespace", namespace)
    if not metadata.get("name"):
        raise TemplateError("the rendered Application has no name")
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": metadata,
        "spec": rendered.get("spec") or {},
    }


def _patched(rendered: dict[str, Any], patch_text: str, params: Params, mode: TemplateMode) -> dict[str, Any]:
    text = render_string(patch_text, params, mode)
    try:
        documents = load_documents(text, string_keys=True)
    except YamlReadError as error:
        raise TemplateError(f"templatePatch is not valid YAML after rendering: {error}") from error
    patch = documents[0] if documents else None
    if patch is None:
        return rendered
    if not isinstance(patch, Mapping):
        raise TemplateError("templatePatch must render to a map")
    try:
        result = apply_merge_patch(rendered, dict(patch))
    except PatchError as error:
        raise TemplateError(f"templatePatch: {error}") from error
    if not isinstance(result, dict):
        raise TemplateError("templatePatch must render to a map")
    result.setdefault("metadata", {})
    return result
