"""Canonical quantities, as kube-apiserver stores them (resource.Quantity's String())."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.diff.quantity import canonical_quantity


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("0.5", "500m"),
        (0.5, "500m"),
        (1, "1"),
        ("1000m", "1"),
        ("100m", "100m"),
        ("0.1", "100m"),
        (".5", "500m"),
        ("-1.5", "-1500m"),
        ("1.0000000001", "1000000001n"),  # rounded up to 1n
        ("1000k", "1M"),
        ("2G", "2G"),
        ("1500", "1500"),
        ("1024Mi", "1Gi"),
        ("1.5Gi", "1536Mi"),
        ("2000Mi", "2000Mi"),
        ("1.5Ki", "1536"),  # not a whole number of Ki: plain
        ("512", "512"),
        ("0Mi", "0"),  # binary below 1024: decimal SI
        ("1e3", "1e3"),
        ("129e6", "129e6"),
        ("1500e0", "1500"),
        ("abc", "abc"),  # not a quantity: left for the API server to reject
        (True, True),
        (None, None),
    ],
)
def test_canonical_quantity(written: Any, stored: Any) -> None:
    assert canonical_quantity(written) == stored
