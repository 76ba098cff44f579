"""vars: `$(NAME)` in the varReference fields replaced by a field of the resource a var names."""

from __future__ import annotations

import re
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldpath import lookup, split_dotted
from fleetops.core.kustomize.fieldspec import KEEP, FieldSpec, apply_field_spec
from fleetops.core.kustomize.resid import Gvk, ResId
from fleetops.core.kustomize.resmap import ResMap

_REFERENCE = re.compile(r"\$\(([^)]*)\)")


def _ci(data: Any, key: str) -> Any:
    """A field of a kustomize config struct: Go's JSON decoding matches names case-insensitively."""
    if not isinstance(data, dict):
        return None
    if key in data:
        return data[key]
    lowered = key.lower()
    for name, value in data.items():
        if str(name).lower() == lowered:
            return value
    return None


def _objref_id(var: dict[str, Any]) -> ResId:
    ref = _ci(var, "objref") or {}
    ref = {k: _ci(ref, k) for k in ("apiVersion", "kind", "name", "namespace")}
    gvk = Gvk.from_api_version(str(ref.get("apiVersion") or ""), str(ref.get("kind") or ""))
    return ResId(gvk, str(ref.get("name") or ""), str(ref.get("namespace") or ""))


def mark_var_targets(resources: ResMap, new_vars: list[dict[str, Any]]) -> None:
    """kustomize's MergeVars: remember on the resource which vars point at it."""
    for var in new_vars:
        target = _objref_id(var)

        def matches(res_id: ResId, target: ResId = target) -> bool:
            if not res_id.gvk.selected_by(target.gvk) or res_id.name != target.name:
                return False
            return not target.namespace or res_id.ns_equals(target)

        found = resources.matching_any_id(matches)
        if len(found) > 1:
            raise KustomizeError(
                f"found {len(found)} resId matches for var {var.get('name')} (unable to disambiguate)"
            )
        if found:
            found[0].ref_var_names.append(str(var.get("name")))


def _value_of(resources: ResMap, var: dict[str, Any]) -> Any:
    name = str(var.get("name"))
    for resource in resources:
        if name in resource.ref_var_names:
            field_path = str(_ci(_ci(var, "fieldref"), "fieldPath") or "metadata.name")
            values = lookup(resource.obj, split_dotted(field_path))
            if not values:
                raise KustomizeError(f"field specified in var '{name}' not found in corresponding resource")
            return values[0]
    raise KustomizeError(f"var '{name}' cannot be mapped to a field in the set of known resources")


def _expand(text: str, values: dict[str, Any], used: set[str]) -> Any:
    whole = _REFERENCE.fullmatch(text)
    if whole and whole.group(1) in values:
        used.add(whole.group(1))
        value = values[whole.group(1)]
        return value
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        if text.startswith("$(", i):
            end = text.find(")", i + 2)
            if end >= 0:
                name = text[i + 2 : end]
                if name in values:
                    used.add(name)
                    out.append(_text(values[name]))
                    i = end + 1
                    continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def resolve_vars(
    resources: ResMap, all_vars: list[dict[str, Any]], specs: list[FieldSpec], *, shared_nodes: bool = True
) -> None:
    values = {str(v.get("name")): _value_of(resources, v) for v in all_vars}
    if not values:
        return
    used: set[str] = set()

    def substitute(value: Any) -> Any:
        if isinstance(value, str):
            return _expand(value, values, used) if "$" in value else value
        if isinstance(value, list):
            return [substitute(v) if isinstance(v, str) else v for v in value]
        if isinstance(value, dict):
            return {k: substitute(v) if isinstance(v, str) else v for k, v in value.items()}
        return KEEP

    for resource in resources:
        for spec in specs:
            apply_field_spec(resource.obj, spec, substitute)
    if not shared_nodes:
        return
    # kustomize substitutes in place in a YAML node that commonLabels/commonAnnotations share
    # between every place they set it, so template labels and annotations change too
    for resource in resources:
        for path, key, text in resource.shared_values:
            container: Any = resource.obj
            for step in path:
                try:
                    container = container[step]
                except (KeyError, IndexError, TypeError):
                    container = None
                    break
            if isinstance(container, dict) and container.get(key) == text:
                container[key] = _text(_expand(text, values, used))
