"""Splitting a Go template into text and actions, and an action into tokens."""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

from fleetops.core.appset.errors import TemplateError

__all__ = ["Chunk", "Tok", "TokKind", "split_chunks", "tokenize"]


class Chunk(NamedTuple):
    """Literal text (``action`` False) or the inside of ``{{ }}``."""

    text: str
    action: bool


class TokKind(enum.Enum):
    FIELD = "field"  # .a.b  (DOT alone is a FIELD with an empty path)
    VARIABLE = "variable"  # $x or $x.a.b or $
    IDENT = "ident"  # a function name or a keyword
    STRING = "string"
    NUMBER = "number"
    PIPE = "|"
    LPAREN = "("
    RPAREN = ")"
    DECLARE = ":="
    ASSIGN = "="
    COMMA = ","


class Tok(NamedTuple):
    kind: TokKind
    text: str


_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<string>"(?:[^"\\]|\\.)*")
    |(?P<raw>`[^`]*`)
    |(?P<char>'(?:[^'\\]|\\.)')
    |(?P<declare>:=)
    |(?P<assign>=)
    |(?P<pipe>\|)
    |(?P<lparen>\()
    |(?P<rparen>\))
    |(?P<comma>,)
    |(?P<number>[-+]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+))
    |(?P<variable>\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
    |(?P<field>(?:\.[A-Za-z0-9_]+)+|\.)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)

_KINDS = {
    "string": TokKind.STRING,
    "raw": TokKind.STRING,
    "char": TokKind.NUMBER,
    "declare": TokKind.DECLARE,
    "assign": TokKind.ASSIGN,
    "pipe": TokKind.PIPE,
    "lparen": TokKind.LPAREN,
    "rparen": TokKind.RPAREN,
    "comma": TokKind.COMMA,
    "number": TokKind.NUMBER,
    "variable": TokKind.VARIABLE,
    "field": TokKind.FIELD,
    "ident": TokKind.IDENT,
}


def split_chunks(template: str) -> list[Chunk]:
    """Text and actions, with ``{{-``/``-}}`` trimming applied and comments dropped."""
    chunks: list[Chunk] = []
    position = 0
    while True:
        start = template.find("{{", position)
        if start < 0:
            chunks.append(Chunk(template[position:], action=False))
            return [c for c in chunks if c.action or c.text]
        text = template[position:start]
        inner_start = start + 2
        if template[inner_start : inner_start + 2] in ("- ", "-\t", "-\n"):
            text = text.rstrip()
            inner_start += 1
        end = _find_close(template, inner_start)
        if end < 0:
            raise TemplateError(f"unclosed action in template {template!r}")
        inner, trim_right = template[inner_start:end], False
        if inner.endswith((" -", "\t-", "\n-")):
            inner, trim_right = inner[:-1], True
        chunks.append(Chunk(text, action=False))
        stripped = inner.strip()
        if not (stripped.startswith("/*") and stripped.endswith("*/")):
            chunks.append(Chunk(inner, action=True))
        position = end + 2
        if trim_right:
            while position < len(template) and template[position].isspace():
                position += 1


def _find_close(template: str, start: int) -> int:
    """The index of the ``}}`` closing an action, skipping quoted strings."""
    index = start
    while index < len(template):
        char = template[index]
        if char in "\"`'":
            closing = template.find(char, index + 1)
            while char != "`" and closing > 0 and template[closing - 1] == "\\":
                closing = template.find(char, closing + 1)
            if closing < 0:
                return -1
            index = closing + 1
            continue
        if template.startswith("}}", index):
            return index
        index += 1
    return -1


def tokenize(action: str) -> list[Tok]:
    """The tokens of one action's text."""
    tokens: list[Tok] = []
    position = 0
    while position < len(action):
        match = _TOKEN.match(action, position)
        if match is None:
            raise TemplateError(f"unexpected {action[position]!r} in action {{{{{action}}}}}")
        group = match.lastgroup
        if group is not None and group != "space":
            tokens.append(Tok(_KINDS[group], match.group()))
        position = match.end()
    return tokens
