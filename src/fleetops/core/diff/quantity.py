"""Kubernetes resource quantities in canonical form, as the API server stores them.

``0.5`` is stored as ``500m``, ``1024Mi`` as ``1Gi``, ``1000k`` as ``1M``, ``1.5Ki`` as ``1536``:
the value keeps its format (decimal SI, binary SI, decimal exponent), is rounded up to a
precision of 1n, and is written with the largest suffix that leaves an integer. A binary value
below 1024 or with a fraction is written in decimal SI. A value that is not a quantity is left
as it is (the API server would reject it).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

__all__ = ["canonical_quantity"]

_PATTERN = re.compile(r"^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))((?:[eE][+-]?[0-9]+)|[numkMGTPE]|[KMGTPE]i)?$")
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {exponent: suffix for suffix, exponent in _DECIMAL.items()}
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_BINARY_SUFFIX = {power: suffix for suffix, power in _BINARY.items()} | {0: ""}
_NANO = Fraction(1, 10**9)


def canonical_quantity(value: Any) -> Any:
    """``value`` as the API server stores the quantity it denotes (a string), or ``value`` itself."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return value
    text = repr(value) if isinstance(value, float) else str(value)
    match = _PATTERN.match(text.strip())
    if match is None:
        return value
    number, suffix = Fraction(match.group(1)), match.group(2) or ""
    if suffix in _BINARY:
        amount, style = number * 1024 ** _BINARY[suffix], "binary"
    elif suffix in _DECIMAL:
        amount, style = number * Fraction(10) ** _DECIMAL[suffix], "decimal"
    else:
        amount, style = number * Fraction(10) ** int(suffix[1:]), "exponent"
    amount = _round_up_to_nano(amount)
    if style == "binary" and (abs(amount) < 1024 or amount.denominator != 1):
        style = "decimal"
    if style == "binary":
        return _binary(int(amount))
    return _decimal(amount, exponent_style=style == "exponent")


def _round_up_to_nano(amount: Fraction) -> Fraction:
    scaled = amount / _NANO
    if scaled.denominator == 1:
        return amount
    magnitude = math.ceil(abs(scaled))
    return Fraction(magnitude if amount > 0 else -magnitude) * _NANO


def _binary(amount: int) -> str:
    power = 0
    while power < 6 and amount % 1024 ** (power + 1) == 0:
        power += 1
    return f"{amount // 1024**power}{_BINARY_SUFFIX[power]}"


def _decimal(amount: Fraction, *, exponent_style: bool) -> str:
    if amount == 0:
        return "0"
    exponent = -9
    mantissa = amount / _NANO  # an integer: rounded to nano above
    while mantissa % 1000 == 0 and exponent < 18:
        mantissa /= 1000
        exponent += 3
    digits = str(int(mantissa))
    if exponent_style:
        return digits if exponent == 0 else f"{digits}e{exponent}"
    return digits + _DECIMAL_SUFFIX[exponent]
