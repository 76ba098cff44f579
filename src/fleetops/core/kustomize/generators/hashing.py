"""kustomize's content hash for generated ConfigMaps and Secrets (10 characters)."""

from __future__ import annotations

import json
from typing import Any

from fleetops.core.kustomize.digest import sha256_hex

_TRANSLATE = str.maketrans({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"})


def _go_json(value: Any) -> str:
    """Go's json.Marshal: sorted keys, no spaces, <, > and & escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _encode(data: str) -> str:
    return sha256_hex(data.encode())[:10].translate(_TRANSLATE)


def _map_or_empty(obj: dict[str, Any], key: str) -> Any:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, dict):
        return value
    return str(value)


def content_hash(obj: dict[str, Any]) -> str:
    kind = obj.get("kind")
    # kustomize looks the name up with a path that never matches, so the name is not hashed.
    if kind == "ConfigMap":
        encoded: dict[str, Any] = {"kind": "ConfigMap", "name": "", "data": _map_or_empty(obj, "data")}
        if isinstance(obj.get("binaryData"), dict):
            encoded["binaryData"] = obj["binaryData"]
    elif kind == "Secret":
        secret_type = obj.get("type")
        encoded = {
            "kind": "Secret",
            "type": "" if secret_type is None else str(secret_type),
            "name": "",
            "data": _map_or_empty(obj, "data"),
        }
        if isinstance(obj.get("stringData"), dict):
            encoded["stringData"] = obj["stringData"]
    else:
        encoded = obj
    return _encode(_go_json(encoded))
