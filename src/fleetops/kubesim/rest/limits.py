"""Size limits as a real API server enforces them."""

from __future__ import annotations

import json
from typing import Any

from fleetops.kubesim import errors

REQUEST_LIMIT = 3 * 1024 * 1024
"""Request bodies over 3 MiB are refused with 413 before they are read."""
OBJECT_LIMIT = 1536 * 1024
"""etcd's default request limit (1.5 MiB): larger objects fail with 500."""
DATA_LIMIT = 1024 * 1024
"""ConfigMap and Secret data."""
ANNOTATIONS_LIMIT = 256 * 1024

Manifest = dict[str, Any]


def check_object_size(obj: Manifest) -> None:
    if len(json.dumps(obj, separators=(",", ":"))) > OBJECT_LIMIT:
        raise errors.etcd_too_large()


def size_causes(obj: Manifest, group: str, kind: str) -> list[errors.Cause]:
    causes: list[errors.Cause] = []
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if isinstance(annotations, dict):
        total = sum(len(str(k)) + len(str(v)) for k, v in annotations.items())
        if total > ANNOTATIONS_LIMIT:
            causes.append(
                errors.Cause(
                    "FieldValueTooLong",
                    f"Too long: may not be more than {ANNOTATIONS_LIMIT} bytes",
                    "metadata.annotations",
                )
            )
    if group == "" and kind in ("ConfigMap", "Secret"):
        total = 0
        for field in ("data", "binaryData", "stringData"):
            values = obj.get(field) or {}
            if isinstance(values, dict):
                total += sum(len(str(k)) + len(str(v)) for k, v in values.items())
        if total > DATA_LIMIT:
            field = "data" if kind == "Secret" else "[]"
            causes.append(
                errors.Cause("FieldValueTooLong", f"Too long: may not be more than {DATA_LIMIT} bytes", field)
            )
    return causes
