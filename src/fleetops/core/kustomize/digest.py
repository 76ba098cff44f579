"""SHA-256 hex digests without `hashlib`'s start-up cost.

`import hashlib` initialises OpenSSL (a few milliseconds, a noticeable share of a `fleetops
render` run); CPython's builtin `_sha256` module (3.11; `_sha2` from 3.12) gives the same
digests at once. `hashlib` is the fallback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol, cast

__all__ = ["sha256_hex"]


class _Hash(Protocol):
    def hexdigest(self) -> str: ...


def _constructor() -> Callable[[bytes], _Hash]:
    for name in ("_sha256", "_sha2", "hashlib"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return cast("Callable[[bytes], _Hash]", module.sha256)
    raise ImportError("no SHA-256 implementation")


_SHA256 = _constructor()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, as lowercase hex."""
    return _SHA256(data).hexdigest()
