"""Argo CD's pattern matching (`util/glob`): gobwas/glob globs and `/regexp/` list entries.

Glob syntax: `*` any run of characters except the separators, `**` any run at all, `?` one
character except a separator, `[abc]` `[a-z]` `[!abc]` character classes, `{a,b}` alternatives,
`\\` escapes. A pattern that does not compile matches nothing (Argo CD logs and returns false).
Used by an application's source namespaces here and by `fleetops.core.project`'s policy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


class _GlobSyntaxError(ValueError):
    pass


def glob_match(pattern: str, text: str, *, separators: str = "") -> bool:
    """Does `text` match the glob `pattern` (gobwas/glob compiled with `separators`)?"""
    compiled = _compile(pattern, separators)
    return compiled is not None and compiled.fullmatch(text) is not None


def match_in_list(patterns: Iterable[str], text: str) -> bool:
    """Argo CD's `glob.MatchStringInList(list, text, glob.REGEXP)`: an entry wrapped in `/` is a
    regular expression searched in `text`; any other entry is a glob."""
    for pattern in patterns:
        is_regexp = len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/")
        if is_regexp and _regexp_search(pattern[1:-1], text):
            return True
        if glob_match(pattern, text):
            return True
    return False


def _regexp_search(expression: str, text: str) -> bool:
    try:
        return re.search(expression, text) is not None
    except re.error:
        return False


@functools.lru_cache(maxsize=1024)
def _compile(pattern: str, separators: str) -> re.Pattern[str] | None:
    try:
        expression, rest = _translate(pattern, 0, separators, in_alternative=False)
    except _GlobSyntaxError:
        return None
    if rest != len(pattern):
        return None
    return re.compile(expression, re.DOTALL)


def _not_separator(separators: str) -> str:
    return f"[^{re.escape(separators)}]" if separators else "."


def _translate(pattern: str, start: int, separators: str, *, in_alternative: bool) -> tuple[str, int]:
    """Translate from `start` up to the end (or, inside `{...}`, up to `,` or `}`)."""
    out: list[str] = []
    index = start
    while index < len(pattern):
        char = pattern[index]
        if in_alternative and char in ",}":
            return "".join(out), index
        if char == "\\":
            if index + 1 >= len(pattern):
                raise _GlobSyntaxError("trailing escape")
            out.append(re.escape(pattern[index + 1]))
            index += 2
        elif char == "*":
            if pattern.startswith("**", index):
                out.append(".*")
                index += 2
            else:
                out.append(_not_separator(separators) + "*")
                index += 1
        elif char == "?":
            out.append(_not_separator(separators))
            index += 1
        elif char == "[":
            expression, index = _character_class(pattern, index)
            out.append(expression)
        elif char == "{":
            expression, index = _alternatives(pattern, index, separators)
            out.append(expression)
        else:
            out.append(re.escape(char))
            index += 1
    if in_alternative:
        raise _GlobSyntaxError("unclosed {")
    return "".join(out), index


def _character_class(pattern: str, start: int) -> tuple[str, int]:
    end = pattern.find("]", start + 1)
    if end < 0:
        raise _GlobSyntaxError("unclosed [")
    body = pattern[start + 1 : end]
    negated = body.startswith("!")
    if negated:
        body = body[1:]
    if not body:
        raise _GlobSyntaxError("empty character class")
    escaped = "".join("-" if c == "-" else re.escape(c) for c in body)
    return f"[{'^' if negated else ''}{escaped}]", end + 1


def _alternatives(pattern: str, start: int, separators: str) -> tuple[str, int]:
    options: list[str] = []
    index = start + 1
    while True:
        expression, index = _translate(pattern, index, separators, in_alternative=True)
        options.append(expression)
        if pattern[index] == "}":
            return "(?:" + "|".join(options) + ")", index + 1
        index += 1  # past ","
