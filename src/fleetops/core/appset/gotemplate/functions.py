"""The functions fleetops' Go templates offer (Sprig's commonly used subset plus Argo CD's)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from fleetops.core.appset.errors import TemplateError
from fleetops.core.appset.gotemplate.values import MISSING, printed, truth
from fleetops.core.appset.params import go_string, normalize_name

__all__ = ["FUNCTIONS", "slugify"]


def _s(value: Any) -> str:
    """Sprig's ``strval``: strings as they are, anything else via ``%v``; nil → empty."""
    if value is None or value is MISSING:
        return ""
    return value if isinstance(value, str) else go_string(value)


def _empty(value: Any) -> bool:
    return not truth(value)


def _default(default: Any, *given: Any) -> Any:
    if not given or _empty(given[0]):
        return default
    return given[0]


def _trunc(length: int, text: Any) -> str:
    value = _s(text)
    if length < 0:
        return value[max(len(value) + length, 0) :]
    return value[:length]


def _quote(*values: Any) -> str:
    return " ".join(json.dumps(_s(v), ensure_ascii=False) for v in values if v is not None)


def _squote(*values: Any) -> str:
    return " ".join(f"'{_s(v)}'" for v in values if v is not None)


def _to_json(value: Any) -> str:
    if value is MISSING:
        value = None
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def slugify(*args: Any) -> str:
    """Argo CD's ``slugify [maxSize=50] [smartTruncate=true] text``: lower case, runs of
    characters other than ``[a-z0-9]`` become one ``-``, trimmed, then truncated (at a ``-`` word
    boundary when ``smartTruncate``)."""
    if not args:
        raise TemplateError("slugify: missing argument")
    *options, text = args
    max_size = int(options[0]) if options else 50
    smart = bool(options[1]) if len(options) > 1 else True
    slug = re.sub(r"[^a-z0-9]+", "-", _s(text).lower()).strip("-")
    if max_size <= 0 or len(slug) <= max_size:
        return slug
    if not smart:
        return slug[:max_size].strip("-")
    cut = ""
    for word in slug.split("-"):
        candidate = f"{cut}-{word}" if cut else word
        if len(candidate) > max_size:
            break
        cut = candidate
    return cut or slug[:max_size]


def _index(item: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(item, Mapping):
            item = item.get(key, MISSING)
        elif isinstance(item, list | tuple | str) and isinstance(key, int):
            if not 0 <= key < len(item):
                raise TemplateError(f"index: index out of range: {key}")
            item = item[key]
        elif item is None or item is MISSING:
            raise TemplateError("index of untyped nil")
        else:
            raise TemplateError(f"can't index item of type {type(item).__name__}")
    return item


_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d+)?)([svdqtfx%])")


def _printf(form: str, *values: Any) -> str:
    remaining = list(values)

    def verb(match: re.Match[str]) -> str:
        flags, kind = match.group(1), match.group(2)
        if kind == "%":
            return "%"
        if not remaining:
            return f"%!{kind}(MISSING)"
        value = remaining.pop(0)
        if kind == "q":
            return json.dumps(_s(value), ensure_ascii=False)
        if kind in "dfx" and isinstance(value, int | float) and not isinstance(value, bool):
            return ("%" + flags + kind) % value
        text = printed(value) if kind in "svt" else _s(value)
        return ("%" + flags + "s") % text

    return _VERB.sub(verb, form)


def _eq(first: Any, *others: Any) -> bool:
    if not others:
        raise TemplateError("eq: missing argument for comparison")
    return any(_same(first, other) for other in others)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return bool(left == right)


def _and(*values: Any) -> Any:
    for value in values:
        if not truth(value):
            return value
    return values[-1]


def _or(*values: Any) -> Any:
    for value in values:
        if truth(value):
            return value
    return values[-1]


def _compare(name: str, test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(left: Any, right: Any) -> bool:
        try:
            return test(left, right)
        except TypeError as error:
            raise TemplateError(f"{name}: incompatible types for comparison") from error

    return compare


def _len(value: Any) -> int:
    if isinstance(value, str | list | tuple | Mapping):
        return len(value)
    raise TemplateError(f"len of type {type(value).__name__}")


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "default": _default,
    "empty": _empty,
    "lower": lambda text: _s(text).lower(),
    "upper": lambda text: _s(text).upper(),
    "title": lambda text: _s(text).title(),
    "trim": lambda text: _s(text).strip(),
    "trimPrefix": lambda prefix, text: _s(text).removeprefix(_s(prefix)),
    "trimSuffix": lambda suffix, text: _s(text).removesuffix(_s(suffix)),
    "replace": lambda old, new, text: _s(text).replace(_s(old), _s(new)),
    "trunc": _trunc,
    "quote": _quote,
    "squote": _squote,
    "contains": lambda needle, text: _s(needle) in _s(text),
    "hasPrefix": lambda prefix, text: _s(text).startswith(_s(prefix)),
    "hasSuffix": lambda suffix, text: _s(text).endswith(_s(suffix)),
    "join": lambda separator, items: _s(separator).join(_s(i) for i in (items or [])),
    "toJson": _to_json,
    "normalize": lambda text: normalize_name(_s(text)),
    "slugify": slugify,
    "index": _index,
    "printf": _printf,
    "print": lambda *values: "".join(printed(v) for v in values),
    "len": _len,
    "eq": _eq,
    "ne": lambda left, right: not _same(left, right),
    "lt": _compare("lt", lambda a, b: bool(a < b)),
    "le": _compare("le", lambda a, b: bool(a <= b)),
    "gt": _compare("gt", lambda a, b: bool(a > b)),
    "ge": _compare("ge", lambda a, b: bool(a >= b)),
    "and": _and,
    "or": _or,
    "not": lambda value: not truth(value),
}
