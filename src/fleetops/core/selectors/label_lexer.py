"""Tokens of the label selector string form, with the offsets they start at.

The rules follow apimachinery's ``labels`` lexer: whitespace is space, tab, CR and LF; the
special symbols are ``! != ( ) , = == > <`` (longest match); every other run of characters is
an identifier, except the keywords ``in`` and ``notin``.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

__all__ = ["Token", "TokenKind", "tokenize"]


class TokenKind(enum.Enum):
    IDENTIFIER = "identifier"
    DOES_NOT_EXIST = "!"
    NOT_EQUALS = "!="
    OPEN_PAR = "("
    CLOSED_PAR = ")"
    COMMA = ","
    EQUALS = "="
    DOUBLE_EQUALS = "=="
    GREATER_THAN = ">"
    LESS_THAN = "<"
    IN = "in"
    NOT_IN = "notin"
    END = "end of string"


class Token(NamedTuple):
    kind: TokenKind
    text: str
    position: int


_WHITESPACE = frozenset(" \t\r\n")
_SYMBOL_CHARS = frozenset("!=(),<>")
_SYMBOLS = {
    "!": TokenKind.DOES_NOT_EXIST,
    "!=": TokenKind.NOT_EQUALS,
    "(": TokenKind.OPEN_PAR,
    ")": TokenKind.CLOSED_PAR,
    ",": TokenKind.COMMA,
    "=": TokenKind.EQUALS,
    "==": TokenKind.DOUBLE_EQUALS,
    ">": TokenKind.GREATER_THAN,
    "<": TokenKind.LESS_THAN,
}
_KEYWORDS = {"in": TokenKind.IN, "notin": TokenKind.NOT_IN}


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, ending with one ``END`` token."""
    tokens: list[Token] = []
    index = 0
    length = len(text)
    while True:
        while index < length and text[index] in _WHITESPACE:
            index += 1
        if index == length:
            tokens.append(Token(TokenKind.END, "", index))
            return tokens
        start = index
        if text[index] in _SYMBOL_CHARS:
            # Longest match: every symbol is one or two characters, and each one-character
            # prefix of a two-character symbol is itself a symbol.
            pair = text[index : index + 2]
            symbol = pair if len(pair) == 2 and pair in _SYMBOLS else text[index]
            index += len(symbol)
            tokens.append(Token(_SYMBOLS[symbol], symbol, start))
            continue
        while index < length and text[index] not in _SYMBOL_CHARS and text[index] not in _WHITESPACE:
            index += 1
        word = text[start:index]
        tokens.append(Token(_KEYWORDS.get(word, TokenKind.IDENTIFIER), word, start))
