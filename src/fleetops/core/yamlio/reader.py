"""Read YAML the way kustomize's go-yaml v3 does, within size and alias-expansion limits.

Plain scalars follow go-yaml v3: only ``true``/``false`` (any case variant go-yaml accepts) are
booleans, ``yes``/``on`` stay strings; integers accept ``0x``, ``0o``, ``0b``, a leading-zero octal
and ``_`` separators; timestamps become RFC 3339 strings (what Go's JSON encoding of a time gives).
Duplicate mapping keys are an error. Aliases are expanded into independent copies, and a document
whose expansion exceeds ``YamlLimits.max_nodes`` is refused (a billion-laughs file is an error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?"
    r"(?:[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?))?)?$"
)


class YamlReadError(ValueError):
    """A YAML text that cannot be read (syntax, duplicate keys, limits)."""


@dataclass(frozen=True)
class YamlLimits:
    max_bytes: int = 16 * 1024 * 1024
    max_nodes: int = 2_000_000


def parse_go_int(text: str) -> int | None:
    """Go's strconv.ParseInt(text, 0, 64) after removing underscores (go-yaml v3's rule)."""
    plain = text.replace("_", "")
    sign = 1
    body = plain
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    try:
        if body[:2] in ("0x", "0X"):
            value = int(body[2:], 16)
        elif body[:2] in ("0o", "0O"):
            value = int(body[2:], 8)
        elif body[:2] in ("0b", "0B"):
            value = int(body[2:], 2)
        elif len(body) > 1 and body[0] == "0":
            value = int(body[1:], 8)
        elif body.isdigit():
            value = int(body)
        else:
            return None
    except ValueError:
        return None
    value *= sign
    if -(2**63) <= value < 2**64:
        return value
    return None


def resolve_plain_v3(value: str) -> str:
    """The tag go-yaml v3 gives an untagged plain scalar."""
    if value in ("", "~", "null", "Null", "NULL"):
        return _NULL_TAG
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return _BOOL_TAG
    if value == "<<":
        return _MERGE_TAG
    first = value[0]
    if first in "+-.0123456789":
        if parse_go_int(value) is not None:
            return _INT_TAG
        if _FLOAT_RE.match(value.replace("_", "")) or value.lower() in (
            ".inf",
            "+.inf",
            "-.inf",
            ".nan",
        ):
            return _FLOAT_TAG
        if _TIMESTAMP_RE.match(value):
            return _TIMESTAMP_TAG
    return _STR_TAG


_YAML11_BOOLS = frozenset(
    ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]
)
_YAML11_TRUE = frozenset(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"])


class _Loader(yaml.CSafeLoader):
    string_keys: bool = False
    raw_maps: frozenset[str] = frozenset()
    allow_duplicates: bool = False
    yaml11_bools: bool = False

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            if self.yaml11_bools and value in _YAML11_BOOLS:
                return _BOOL_TAG
            return resolve_plain_v3(value)
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int | float:
    parsed = parse_go_int(node.value)
    if parsed is None:
        raise YamlReadError(f"cannot unmarshal !!int `{node.value}`")
    return parsed


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    text = node.value.replace("_", "").lower()
    if text in (".inf", "+.inf"):
        return float("inf")
    if text == "-.inf":
        return float("-inf")
    if text == ".nan":
        return float("nan")
    return float(text)


def _construct_bool(loader: _Loader, node: yaml.ScalarNode) -> bool:
    return str(node.value) in _YAML11_TRUE


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    match = _TIMESTAMP_RE.match(node.value)
    if match is None:
        return str(node.value)
    import datetime  # noqa: PLC0415 - timestamps are rare; keep start-up light

    year, month, day, hour, minute, second, fraction, zone = match.groups()
    stamp = datetime.datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
    )
    text = stamp.strftime("%Y-%m-%dT%H:%M:%S")
    if fraction and fraction.rstrip("0"):
        text += "." + fraction.rstrip("0")[:9]
    if zone is None or zone == "Z":
        return text + "Z"
    sign, rest = zone[0], zone[1:].replace(":", "")
    hours = rest[:-2] if len(rest) > 2 else rest
    minutes = rest[-2:] if len(rest) > 2 else "00"
    if int(hours) == 0 and int(minutes) == 0:
        return text + "Z"
    return f"{text}{sign}{int(hours):02d}:{minutes}"


def _raw_scalar_map(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A map whose scalar values keep their source text (kustomize's view of annotations)."""
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(value_node, yaml.ScalarNode):
            result[key] = str(value_node.value)
        else:
            result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
    loader.flatten_mapping(node)
    merged = len(node.value) - own
    result: dict[Any, Any] = {}
    seen: dict[Any, int] = {}
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise YamlReadError(f"line {key_node.start_mark.line + 1}: invalid map key")
        if loader.string_keys and not isinstance(key, str):
            raise YamlReadError(
                f"line {key_node.start_mark.line + 1}: json: unsupported type: "
                f"map[interface {{}}]interface {{}} (the key {key_node.value!r} is not a string)"
            )
        if key in seen and index > merged and seen[key] >= 0 and not loader.allow_duplicates:
            raise YamlReadError(
                f"yaml: unmarshal errors:\n  line {key_node.start_mark.line + 1}: mapping key "
                f'"{key}" already defined at line {seen[key] + 1}'
            )
        seen[key] = key_node.start_mark.line if index >= merged else -1
        if key in loader.raw_maps and isinstance(value_node, yaml.MappingNode):
            result[key] = _raw_scalar_map(loader, value_node)
            continue
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor(_INT_TAG, _construct_int)
_Loader.add_constructor(_FLOAT_TAG, _construct_float)
_Loader.add_constructor(_BOOL_TAG, _construct_bool)
_Loader.add_constructor(_TIMESTAMP_TAG, _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _expanded_size(node: yaml.Node, memo: dict[int, int], limit: int) -> int:
    key = id(node)
    cached = memo.get(key)
    if cached is not None:
        return cached
    memo[key] = limit + 1  # a cycle counts as unbounded
    total = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            total += _expanded_size(child, memo, limit)
            if total > limit:
                break
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            total += _expanded_size(key_node, memo, limit) + _expanded_size(value_node, memo, limit)
            if total > limit:
                break
    memo[key] = total
    return total


def deep_copy(value: Any) -> Any:
    """An independent copy of plain YAML data (dicts, lists and scalars)."""
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value


def load_documents(
    text: str | bytes,
    *,
    limits: YamlLimits = YamlLimits(),
    raw_maps: frozenset[str] = frozenset(),
    allow_duplicate_keys: bool = False,
    yaml11_bools: bool = False,
    string_keys: bool = False,
) -> list[Any]:
    """All documents of a YAML stream as plain data; empty documents are kept as None.

    Scalar values of maps under a key in `raw_maps` keep their source text as strings. With
    `allow_duplicate_keys` a repeated key replaces the earlier one, and with `yaml11_bools`
    `yes`/`no`/`on`/`off`/`y`/`n` are booleans (both go-yaml v2's behaviour, which kustomize uses
    for kustomization files). With `string_keys` a map key that is not a string is an error
    (Kubernetes objects become JSON)."""
    size = len(text)
    if size > limits.max_bytes:
        raise YamlReadError(f"YAML input of {size} bytes exceeds the limit of {limits.max_bytes} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise YamlReadError(f"invalid UTF-8: {error}") from None
    may_alias = "&" in text  # no anchor, no alias: nothing can expand
    loader = _Loader(text)
    loader.raw_maps = raw_maps
    loader.allow_duplicates = allow_duplicate_keys
    loader.yaml11_bools = yaml11_bools
    loader.string_keys = string_keys
    documents: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                documents.append(None)
                continue
            if may_alias and _expanded_size(node, {}, limits.max_nodes) > limits.max_nodes:
                raise YamlReadError("yaml: document contains excessive aliasing")
            documents.append(deep_copy(loader.construct_document(node)))
    except yaml.YAMLError as error:
        raise YamlReadError(_describe(error)) from None
    finally:
        loader.dispose()
    return documents


def _describe(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        line = error.problem_mark.line + 1
        return f"yaml: line {line}: {error.problem}"
    return f"yaml: {error}"
