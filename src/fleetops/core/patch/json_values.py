"""Plain-JSON helpers with Go semantics: copies, strict equality, Go types, comparable keys.

Strategic merge patch is defined by Go code decoding JSON into `interface{}`: integers become
int64, other numbers float64, and `==` between values of different types is false. Python's
`True == 1 == 1.0` would blur those, so comparisons here are typed.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from fleetops.core.patch.errors import PatchError, PathStep

GoKey = tuple[str, Any]


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists, scalars)."""
    kind = type(value)
    if kind is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if kind is list:
        return [copy_json(item) for item in value]
    if kind in _SCALARS:
        return value
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})
_GO_TYPES: dict[type, str] = {
    dict: "map",
    list: "slice",
    str: "string",
    bool: "bool",
    int: "int64",
    float: "float64",
    type(None): "nil",
}


def go_type(value: Any) -> str:
    """The Go dynamic type `value` would have after decoding (`map`, `slice`, `string`, …)."""
    found = _GO_TYPES.get(type(value))
    if found is not None:
        return found
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if value is None:
        return "nil"
    raise PatchError(f"not a JSON value: {type(value).__name__}")


def go_key(value: Any, path: tuple[PathStep, ...] = ()) -> GoKey:
    """A hashable key equal for two scalars exactly when Go's `==` says they are equal."""
    kind = go_type(value)
    if kind in ("map", "slice"):
        raise PatchError(f"uncomparable {kind} value used as a key or set element", path)
    return (kind, value)


def json_equal(left: Any, right: Any) -> bool:
    """Deep equality with Go types (reflect.DeepEqual on decoded JSON)."""
    if isinstance(left, dict):
        if not isinstance(right, dict) or len(left) != len(right):
            return False
        return all(key in right and json_equal(item, right[key]) for key, item in left.items())
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return False
        return all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    return go_type(left) == go_type(right) and left == right


def go_format(value: Any) -> str:
    """Go's `fmt.Sprintf("%v", value)` for a scalar (used to sort merge keys and scalars)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if value is None:
        return "<nil>"
    if isinstance(value, str):
        return value
    return str(value)


def _go_float(value: float) -> str:
    """`%v` of a float64 (`%g`, shortest digits): exponent form when the exponent is < -4 or >= 6
    would be `strconv`'s rule for a precision of 6; e.g. 1e+06, 123456, 1.5, 1e-05."""
    if math.isnan(value):
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(str(digit) for digit in digit_tuple)
    assert isinstance(exponent, int)
    point = len(digits) + exponent  # decimal point position relative to the digits
    scientific = point - 1
    prefix = "-" if sign else ""
    if scientific < -4 or scientific >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{prefix}{body}e{'-' if scientific < 0 else '+'}{abs(scientific):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return prefix + digits + "0" * (point - len(digits))
    return f"{prefix}{digits[:point]}.{digits[point:]}"
