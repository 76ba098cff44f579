"""ownerReferences as the controllers write and read them."""

from __future__ import annotations

from typing import Any

Manifest = dict[str, Any]


def reference_to(owner: Manifest, *, api_version: str, kind: str) -> Manifest:
    """A controlling ownerReference with `blockOwnerDeletion`, as workload controllers set it."""
    metadata = owner["metadata"]
    return {
        "apiVersion": api_version,
        "kind": kind,
        "name": metadata["name"],
        "uid": metadata["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def controller_ref(obj: Manifest) -> Manifest | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return dict(ref)
    return None


def controller_uid(obj: Manifest) -> str | None:
    ref = controller_ref(obj)
    return str(ref.get("uid")) if ref is not None else None


def controller_kind(obj: Manifest) -> str | None:
    ref = controller_ref(obj)
    return str(ref.get("kind")) if ref is not None else None
