"""Stable short hashes for `pod-template-hash` and controller revisions.

A 32-bit FNV-1a of the template's canonical JSON (plus the collision count), written with the
API server's safe alphabet, so names look like real ones (`web-7d9c5b8f4d`) and are the same
after a restart.
"""

from __future__ import annotations

import json
from typing import Any

_SAFE = "bcdfghjklmnpqrstvwxz2456789"
_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193


def fnv32a(data: bytes) -> int:
    value = _FNV_OFFSET
    for byte in data:
        value ^= byte
        value = (value * _FNV_PRIME) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    return "".join(_SAFE[ord(char) % len(_SAFE)] for char in text)


def template_hash(template: Any, collision_count: int | None = None) -> str:
    canonical = json.dumps(template, sort_keys=True, separators=(",", ":"))
    if collision_count:
        canonical += f"#{collision_count}"
    return safe_encode(str(fnv32a(canonical.encode())))
