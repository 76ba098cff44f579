"""`sha256_hex` (the builtin SHA-256, without hashlib's OpenSSL start-up) agrees with hashlib."""

from __future__ import annotations

import hashlib

import pytest

from fleetops.core.kustomize.digest import sha256_hex


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 100])
def test_same_digest_as_hashlib(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
