"""Write manifests exactly as `kubectl kustomize` prints them.

kustomize turns each resource into JSON and then into YAML with sigs.k8s.io/yaml (go-yaml v2):
map keys sorted in go-yaml's "natural" order, sequences not indented under their key, strings that
go-yaml v2 would read as another type double-quoted, multi-line strings in literal style, lines
folded at 80 columns. go-yaml's emitter is a port of libyaml, so libyaml (PyYAML's C emitter)
does the layout here.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from typing import Any

import yaml

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

_V2_BOOLS = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
)
_V2_NULLS = frozenset(["", "~", "null", "Null", "NULL"])
_V2_SPECIAL_FLOATS = frozenset(
    [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"]
)
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60_RE = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?"
    r"(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$"
)


def _go_int(text: str) -> bool:
    body = text.replace("_", "")
    if body[:1] in "+-":
        body = body[1:]
    if not body:
        return False
    lowered = body[:2].lower()
    try:
        if lowered == "0x":
            int(body[2:], 16)
        elif lowered == "0o":
            int(body[2:], 8)
        elif lowered == "0b":
            int(body[2:], 2)
        elif len(body) > 1 and body[0] == "0":
            int(body[1:], 8)
        elif body.isdigit():
            pass
        else:
            return False
    except ValueError:
        return False
    return True


def resolve_plain_v2(value: str) -> str:
    """The tag go-yaml v2 would give `value` written as a plain scalar."""
    if value in _V2_NULLS:
        return _NULL
    if value in _V2_BOOLS:
        return _BOOL
    if value in _V2_SPECIAL_FLOATS:
        return _FLOAT
    if value == "<<":
        return "tag:yaml.org,2002:merge"
    if value[0] in "+-.0123456789":
        if _go_int(value):
            return _INT
        if _FLOAT_RE.match(value.replace("_", "")) or _BASE60_RE.match(value):
            return _FLOAT
        if _TIMESTAMP_RE.match(value):
            return "tag:yaml.org,2002:timestamp"
    return _STR


def format_go_float(value: float) -> str:
    """A float as Go's JSON-then-go-yaml-v2 round trip prints it."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {value}")
    if value == int(value) and abs(value) < 1e21 and -(2**63) <= int(value) < 2**64:
        return str(int(value))
    import decimal  # noqa: PLC0415 - only for floats; _decimal costs start-up time

    digits = decimal.Decimal(repr(value)).normalize()
    sign, mantissa, exponent = digits.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(str(d) for d in mantissa)
    point = len(text) + exponent  # position of the decimal point
    exp = point - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        body = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return prefix + text + "0" * (point - len(text))
    return f"{prefix}{text[:point]}.{text[point:]}"


def _compare_keys(left: str, right: str) -> int:
    """go-yaml v2's map key order: letters after other runes, digit runs compared as numbers."""
    for i in range(min(len(left), len(right))):
        a, b = left[i], right[i]
        if a == b:
            continue
        a_letter, b_letter = a.isalpha(), b.isalpha()
        if a_letter and b_letter:
            return -1 if a < b else 1
        if a_letter or b_letter:
            return 1 if a_letter else -1
        a_num = b_num = 0
        if a == "0" or b == "0":
            j = i - 1
            while j >= 0 and left[j].isdigit():
                if left[j] != "0":
                    a_num = b_num = 1
                    break
                j -= 1
        ai = i
        while ai < len(left) and left[ai].isdigit():
            a_num = a_num * 10 + int(left[ai])
            ai += 1
        bi = i
        while bi < len(right) and right[bi].isdigit():
            b_num = b_num * 10 + int(right[bi])
            bi += 1
        if a_num != b_num:
            return -1 if a_num < b_num else 1
        if ai != bi:
            return -1 if ai < bi else 1
        return -1 if a < b else 1
    if len(left) == len(right):
        return 0
    return -1 if len(left) < len(right) else 1


go_yaml_sort_key = functools.cmp_to_key(_compare_keys)


class _Dumper(yaml.CDumper):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                return resolve_plain_v2(value)
            return _STR
        return _MAP if kind is yaml.MappingNode else _SEQ


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if "\n" in value:
        style = "|"
    elif resolve_plain_v2(value) != _STR if value else True:
        style = '"'
    return yaml.ScalarNode(_STR, value, style=style)


def _represent_dict(dumper: _Dumper, value: dict[Any, Any]) -> yaml.MappingNode:
    pairs = []
    for key in sorted((str(k) for k in value), key=go_yaml_sort_key):
        item = value[key] if key in value else _lookup_key(value, key)
        pairs.append((dumper.represent_data(key), dumper.represent_data(item)))
    return yaml.MappingNode(_MAP, pairs, flow_style=not pairs)


def _lookup_key(value: dict[Any, Any], key: str) -> Any:
    for candidate, item in value.items():
        if str(candidate) == key:
            return item
    raise KeyError(key)


def _represent_list(dumper: _Dumper, value: list[Any]) -> yaml.SequenceNode:
    items = [dumper.represent_data(item) for item in value]
    return yaml.SequenceNode(_SEQ, items, flow_style=not items)


def _represent_bool(dumper: _Dumper, value: bool) -> yaml.ScalarNode:
    return yaml.ScalarNode(_BOOL, "true" if value else "false")


def _represent_int(dumper: _Dumper, value: int) -> yaml.ScalarNode:
    if -(2**63) <= value < 2**64:
        return yaml.ScalarNode(_INT, str(value))
    return yaml.ScalarNode(_FLOAT, format_go_float(float(value)))


def _represent_float(dumper: _Dumper, value: float) -> yaml.ScalarNode:
    text = format_go_float(value)
    return yaml.ScalarNode(_INT if resolve_plain_v2(text) == _INT else _FLOAT, text)


def _represent_none(dumper: _Dumper, value: None) -> yaml.ScalarNode:
    return yaml.ScalarNode(_NULL, "null")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(bool, _represent_bool)
_Dumper.add_representer(int, _represent_int)
_Dumper.add_representer(float, _represent_float)
_Dumper.add_representer(type(None), _represent_none)


def dump_document(document: Any) -> str:
    """One document in kubectl kustomize's text (no leading `---`)."""
    text: str = yaml.dump(
        document,
        Dumper=_Dumper,
        default_flow_style=False,
        allow_unicode=True,
        width=80,
        sort_keys=False,
    )
    if text.endswith("\n...\n"):
        text = text[:-4]
    return text


def dump_documents(documents: Iterable[Any]) -> str:
    """Documents joined with `---` lines, as `kubectl kustomize` prints a build."""
    return "---\n".join(dump_document(document) for document in documents)
