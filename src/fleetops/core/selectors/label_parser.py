"""The label selector string form: ``a=b,c!=d,e in (x,y),f notin (z),g,!h,i>1,j<2``.

The grammar and its corner cases are apimachinery's ``labels.Parse``:

- requirements are separated by commas; a trailing or doubled comma is an error; an empty or
  all-whitespace string is the empty selector (it matches everything);
- ``in`` and ``notin`` are keywords only where an operator is expected, so ``in=x`` is valid;
- ``a=`` and ``a in ()`` mean the empty value; ``(,x)`` and ``(x,)`` add the empty value;
- ``a>1``/``a<1`` need a base-10 64-bit integer that is also a valid label value; as a label
  value cannot start with a sign, that is a run of digits;
- keys and values are validated as label keys and values.

Errors raise :class:`SelectorError` with the offending token and its offset.
"""

from __future__ import annotations

from fleetops.core.selectors.errors import SelectorError
from fleetops.core.selectors.label_lexer import Token, TokenKind, tokenize
from fleetops.core.selectors.label_selector import LabelSelector
from fleetops.core.selectors.operators import Operator
from fleetops.core.selectors.requirement import Requirement

__all__ = ["parse_label_selector"]

_BINARY_OPERATORS = {
    TokenKind.IN: Operator.IN,
    TokenKind.NOT_IN: Operator.NOT_IN,
    TokenKind.EQUALS: Operator.EQUALS,
    TokenKind.DOUBLE_EQUALS: Operator.DOUBLE_EQUALS,
    TokenKind.NOT_EQUALS: Operator.NOT_EQUALS,
    TokenKind.GREATER_THAN: Operator.GREATER_THAN,
    TokenKind.LESS_THAN: Operator.LESS_THAN,
}
_BINARY_SPELLINGS = "in, notin, =, ==, !=, >, <"


def parse_label_selector(text: str) -> LabelSelector:
    """Parse the string form of a label selector; raises :class:`SelectorError`."""
    return LabelSelector(_Parser(text).requirements())


class _Parser:
    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens = tokenize(text)
        self._index = 0

    # Outside operator position the keywords are plain identifiers (apimachinery's "Values"
    # parser context), so both helpers below demote them unless asked for operators.
    def _peek(self, *, operators: bool = False) -> Token:
        return self._demote(self._tokens[self._index], operators)

    def _next(self, *, operators: bool = False) -> Token:
        token = self._tokens[self._index]
        if token.kind is not TokenKind.END:
            self._index += 1
        return self._demote(token, operators)

    @staticmethod
    def _demote(token: Token, operators: bool) -> Token:
        if not operators and token.kind in (TokenKind.IN, TokenKind.NOT_IN):
            return token._replace(kind=TokenKind.IDENTIFIER)
        return token

    def _error(self, token: Token, expected: str) -> SelectorError:
        found = token.text if token.kind is not TokenKind.END else "end of string"
        return SelectorError(
            f"unable to parse label selector {self._text!r}: found {found!r} at offset "
            f"{token.position}, expected {expected}",
            text=self._text,
            position=token.position,
        )

    def requirements(self) -> list[Requirement]:
        found: list[Requirement] = []
        while True:
            token = self._peek()
            if token.kind is TokenKind.END:
                return found
            if token.kind not in (TokenKind.IDENTIFIER, TokenKind.DOES_NOT_EXIST):
                raise self._error(token, "'!', an identifier, or end of string")
            found.append(self._requirement())
            separator = self._next()
            if separator.kind is TokenKind.END:
                return found
            if separator.kind is not TokenKind.COMMA:
                raise self._error(separator, "',' or end of string")
            if self._peek().kind not in (TokenKind.IDENTIFIER, TokenKind.DOES_NOT_EXIST):
                raise self._error(self._peek(), "'!' or an identifier after ','")

    def _requirement(self) -> Requirement:
        start = self._peek().position
        key, operator = self._key_and_unary_operator()
        if operator is None:
            operator = self._binary_operator()
            is_set = operator in (Operator.IN, Operator.NOT_IN)
            values = self._value_set() if is_set else self._exact_value()
        else:
            values = []
        try:
            return Requirement.of(key, operator, values)
        except SelectorError as error:
            raise SelectorError(
                f"invalid label selector {self._text!r} at offset {start}: {error}",
                text=self._text,
                position=start,
            ) from None

    def _key_and_unary_operator(self) -> tuple[str, Operator | None]:
        token = self._next()
        negated = token.kind is TokenKind.DOES_NOT_EXIST
        if negated:
            token = self._next()
        if token.kind is not TokenKind.IDENTIFIER:
            raise self._error(token, "an identifier")
        if negated:
            return token.text, Operator.DOES_NOT_EXIST
        if self._peek().kind in (TokenKind.END, TokenKind.COMMA):
            return token.text, Operator.EXISTS
        return token.text, None

    def _binary_operator(self) -> Operator:
        token = self._next(operators=True)
        operator = _BINARY_OPERATORS.get(token.kind)
        if operator is None:
            raise self._error(token, f"one of {_BINARY_SPELLINGS}")
        return operator

    def _exact_value(self) -> list[str]:
        if self._peek().kind in (TokenKind.END, TokenKind.COMMA):
            return [""]
        token = self._next()
        if token.kind is not TokenKind.IDENTIFIER:
            raise self._error(token, "an identifier")
        return [token.text]

    def _value_set(self) -> list[str]:
        token = self._next()
        if token.kind is not TokenKind.OPEN_PAR:
            raise self._error(token, "'('")
        following = self._peek()
        if following.kind is TokenKind.CLOSED_PAR:
            self._next()
            return [""]
        if following.kind not in (TokenKind.IDENTIFIER, TokenKind.COMMA):
            raise self._error(following, "',', ')' or an identifier")
        values = self._value_list()
        closing = self._next()
        if closing.kind is not TokenKind.CLOSED_PAR:
            raise self._error(closing, "')'")
        return values

    def _value_list(self) -> list[str]:
        """Identifiers separated by commas; an empty slot (``(,a``, ``a,,b``, ``a,)``) is ``""``."""
        values: list[str] = []
        while True:
            token = self._next()
            if token.kind is TokenKind.IDENTIFIER:
                values.append(token.text)
                following = self._peek()
                if following.kind is TokenKind.COMMA:
                    self._next()
                    if self._peek().kind is TokenKind.CLOSED_PAR:
                        values.append("")
                        return values
                    continue
                if following.kind is TokenKind.CLOSED_PAR:
                    return values
                raise self._error(following, "',' or ')'")
            if token.kind is TokenKind.COMMA:
                values.append("")
                if self._peek().kind is TokenKind.CLOSED_PAR:
                    return values
                continue
            raise self._error(token, "',' or an identifier")
