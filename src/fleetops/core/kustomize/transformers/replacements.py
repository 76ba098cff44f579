"""replacements: copy a field of one resource into fields of others."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldpath import lookup, set_value, split_dotted
from fleetops.core.kustomize.resid import Gvk, ResId
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource
from fleetops.core.kustomize.transformers.selection import select


def _source_selector(source: dict[str, Any]) -> dict[str, Any]:
    selector = {k: source[k] for k in ("group", "version", "kind", "name", "namespace") if source.get(k)}
    return selector


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _source_value(resources: ResMap, replacement: dict[str, Any]) -> Any:
    source = replacement.get("source")
    if not isinstance(source, dict):
        raise KustomizeError("replacement source must be specified")
    found = select(resources, _source_selector(source), any_id=True)
    if len(found) > 1:
        raise KustomizeError(f"multiple matches for selector {_describe_selector(source)}")
    if not found:
        raise KustomizeError(f"nothing selected by {_describe_selector(source)}")
    path = str(source.get("fieldPath") or "metadata.name")
    values = lookup(found[0].obj, split_dotted(path))
    if not values:
        raise KustomizeError(f"fieldPath `{path}` is missing for replacement source {found[0].cur_id()}")
    value = values[0]
    options = source.get("options") or {}
    delimiter = options.get("delimiter")
    if delimiter:
        pieces = _text(value).split(str(delimiter))
        index = int(options.get("index") or 0)
        if index >= len(pieces) or index < 0:
            raise KustomizeError(f"options.index {index} is out of bounds for value {_text(value)}")
        value = pieces[index]
    return value


def _describe_selector(source: dict[str, Any]) -> str:

    gvk = Gvk(str(source.get("group") or ""), str(source.get("version") or ""), str(source.get("kind") or ""))
    return str(ResId(gvk, str(source.get("name") or ""), str(source.get("namespace") or "")))


def _rejected(resource: Resource, resources: ResMap, rejects: list[Any]) -> bool:
    for reject in rejects:
        if isinstance(reject, dict) and any(r is resource for r in select(resources, reject)):
            return True
    return False


def apply_replacements(resources: ResMap, replacements: list[dict[str, Any]]) -> None:
    for replacement in replacements:
        value = _source_value(resources, replacement)
        for target in replacement.get("targets") or []:
            if not isinstance(target, dict):
                continue
            selector = target.get("select")
            if not isinstance(selector, dict):
                raise KustomizeError("target must specify resources to select")
            options = target.get("options") or {}
            for resource in select(resources, selector, any_id=True):
                if _rejected(resource, resources, list(target.get("reject") or [])):
                    continue
                for path in target.get("fieldPaths") or []:
                    _set(resource, str(path), value, options)


def _set(resource: Resource, path: str, value: Any, options: dict[str, Any]) -> None:
    parts = split_dotted(path)
    create = bool(options.get("create"))
    delimiter = options.get("delimiter")
    new_value = copy.deepcopy(value)
    if delimiter:
        current = lookup(resource.obj, parts)
        if not current and not create:
            return
        pieces = _text(current[0]).split(str(delimiter)) if current else [""]
        index = int(options.get("index") or 0)
        if index < 0 or index >= len(pieces):
            pieces = [_text(value), *pieces] if index < 0 else [*pieces, _text(value)]
        else:
            pieces[index] = _text(value)
        new_value = str(delimiter).join(pieces)
    current = lookup(resource.obj, parts)
    if not current and not create:
        raise KustomizeError(f'unable to find field "{path}" in replacement target {resource.cur_id()}')
    set_value(resource.obj, parts, new_value, create=create)
    if resource.shared_values and len(current) == 1:
        _set_shared_copies(resource, tuple(parts), current[0], new_value)


def _set_shared_copies(resource: Resource, parts: tuple[Any, ...], old: Any, new_value: Any) -> None:
    """kustomize writes a replacement into the target's YAML node in place: where that node is
    one commonLabels/commonAnnotations shared between several maps of the object (a value
    holding a var), every map sharing it shows the new value (see metadata_maps)."""
    group = [
        (path, key, text)
        for path, key, text in resource.shared_values
        if (*path, key) == parts and text == old
    ]
    if not group:
        return
    _, key, text = group[0]
    for path, other_key, other_text in resource.shared_values:
        if other_key != key or other_text != text or (*path, key) == parts:
            continue
        container: Any = resource.obj
        for step in path:
            try:
                container = container[step]
            except (KeyError, IndexError, TypeError):
                container = None
                break
        if isinstance(container, dict) and container.get(key) == text:
            container[key] = copy.deepcopy(new_value)
