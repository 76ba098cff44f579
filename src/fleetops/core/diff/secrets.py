"""Secret values are never shown: ``data``/``stringData`` values become keyed fingerprints.

A fingerprint is ``++++++++ (<8 hex>)``, the first 8 hex digits of the SHA-256 of the data key,
a NUL byte and the decoded value, so equal values under different keys (or in different Secrets'
diffs of the same key) do not look alike, and a value's plain hash is never printed. The same
value written as ``stringData`` or base64 ``data`` has the same fingerprint. The
``kubectl.kubernetes.io/last-applied-configuration`` annotation of a Secret (which holds its
values) is masked as a whole.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

__all__ = ["MASK", "fingerprint", "is_secret", "mask_secret"]

Manifest = dict[str, Any]

MASK = "++++++++"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def is_secret(obj: Manifest) -> bool:
    """A core-group (``v1``) Secret."""
    return obj.get("kind") == "Secret" and obj.get("apiVersion") == "v1"


def fingerprint(key: str, value: bytes) -> str:
    """``++++++++ (1a2b3c4d)``: keyed by the data key, never a plain hash of the value."""
    digest = hashlib.sha256(key.encode() + b"\0" + value).hexdigest()
    return f"{MASK} ({digest[:8]})"


def mask_secret(obj: Manifest) -> Manifest:
    """A copy of a Secret with every value masked (any other object is returned unchanged)."""
    if not is_secret(obj):
        return obj
    result = dict(obj)
    if isinstance(obj.get("data"), dict):
        result["data"] = {k: fingerprint(str(k), _decoded(v)) for k, v in obj["data"].items()}
    elif "data" in obj and obj["data"] is not None:
        result["data"] = MASK
    if isinstance(obj.get("stringData"), dict):
        result["stringData"] = {k: fingerprint(str(k), _text(v)) for k, v in obj["stringData"].items()}
    elif "stringData" in obj and obj["stringData"] is not None:
        result["stringData"] = MASK
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict) and LAST_APPLIED in annotations:
            masked = {k: (MASK if k == LAST_APPLIED else v) for k, v in annotations.items()}
            result["metadata"] = {**metadata, "annotations": masked}
    return result


def _decoded(value: Any) -> bytes:
    if not isinstance(value, str):
        return _text(value)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return value.encode()


def _text(value: Any) -> bytes:
    return b"" if value is None else str(value).encode()
