"""Generator parameters: one dict per Application, flat (fasttemplate) or nested (goTemplate)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["Params", "flatten", "go_string", "merge_nested", "normalize_name", "path_params"]

Params = dict[str, Any]

_INVALID_DNS = re.compile(r"[^-a-z0-9.]")


def normalize_name(name: str) -> str:
    """Argo CD's ``utils.SanitizeName``: lower case, ``[^-a-z0-9.]`` → ``-``, 253 chars, trimmed."""
    cleaned = _INVALID_DNS.sub("-", name.lower())[:253]
    return cleaned.strip("-.")


def go_string(value: Any) -> str:
    """A value as Go's ``fmt.Sprintf("%v", v)`` prints it (maps sorted, lists space-separated)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, Mapping):
        pairs = sorted(value.items(), key=lambda item: str(item[0]))
        inner = " ".join(f"{go_string(k)}:{go_string(v)}" for k, v in pairs)
        return f"map[{inner}]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_string(v) for v in value) + "]"
    return str(value)


def flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested maps and lists as dotted string keys (``a.b``, ``list.0``), values via ``%v``."""
    flat: dict[str, str] = {}
    for key, item in value.items():
        _flatten_into(flat, f"{prefix}{key}", item)
    return flat


def _flatten_into(flat: dict[str, str], key: str, item: Any) -> None:
    if isinstance(item, Mapping) and item:
        for sub_key, sub_item in item.items():
            _flatten_into(flat, f"{key}.{sub_key}", sub_item)
    elif isinstance(item, list) and item:
        for index, sub_item in enumerate(item):
            _flatten_into(flat, f"{key}.{index}", sub_item)
    else:
        flat[key] = go_string(item) if not isinstance(item, str) else item


def merge_nested(base: Mapping[str, Any], override: Mapping[str, Any]) -> Params:
    """A deep merge: maps merge recursively, any other value in ``override`` wins."""
    merged: Params = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = merge_nested(current, value)
        else:
            merged[key] = value
    return merged


def path_params(path: str, *, go_template: bool, prefix: str = "", file: str | None = None) -> Params:
    """The ``path`` parameters of the git generators for a directory (and, for files, the file).

    Flat: ``path``, ``path.basename``, ``path.basenameNormalized``, ``path[N]`` (and
    ``path.filename``, ``path.filenameNormalized``). Nested (goTemplate): ``path.path``,
    ``path.basename``, ``path.basenameNormalized``, ``path.segments`` (and the filename keys).
    With ``pathParamPrefix`` P the key is ``P.path`` instead of ``path``.
    """
    segments = [segment for segment in path.split("/") if segment] if path not in ("", ".") else []
    basename = segments[-1] if segments else path
    key = f"{prefix}.path" if prefix else "path"
    nested: dict[str, Any] = {
        "path": path,
        "basename": basename,
        "basenameNormalized": normalize_name(basename),
        "segments": segments,
    }
    if file is not None:
        nested["filename"] = file
        nested["filenameNormalized"] = normalize_name(file)
    if go_template:
        if prefix:
            return {prefix: {"path": nested}}
        return {"path": nested}
    flat: Params = {key: path}
    for name, value in nested.items():
        if name not in ("path", "segments"):
            flat[f"{key}.{name}"] = value
    for index, segment in enumerate(segments):
        flat[f"{key}[{index}]"] = segment
    return flat
