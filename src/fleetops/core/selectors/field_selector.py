"""Field selectors: ``metadata.name=x,metadata.namespace!=y``, as apimachinery's ``fields``.

- Terms are separated by unescaped commas; empty terms are skipped, so ``""`` and ``","`` are
  the empty selector (it matches everything). No whitespace is trimmed.
- Each term splits at the first ``!=``, ``==`` or ``=`` (tried in that order at each offset);
  the field name is taken literally, the value is unescaped: ``\\\\``, ``\\,`` and ``\\=`` stand
  for ``\\``, ``,`` and ``=``; any other escape, a trailing backslash, or an unescaped ``,`` or
  ``=`` in a value is an error.
- ``==`` means ``=``: requirements carry only :attr:`Operator.EQUALS` or
  :attr:`Operator.NOT_EQUALS`.
- Matching compares the field's value as a string, an absent field (``get`` returns None)
  comparing as ``""`` (``fields.Set.Get``): ``f!=x`` matches when ``f`` is absent, and so
  does ``f=``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import NamedTuple

from fleetops.core.selectors.errors import SelectorError
from fleetops.core.selectors.operators import Operator

__all__ = [
    "FieldRequirement",
    "FieldSelector",
    "escape_field_value",
    "parse_field_selector",
    "unescape_field_value",
]

_TERM_OPERATORS = (("!=", Operator.NOT_EQUALS), ("==", Operator.EQUALS), ("=", Operator.EQUALS))
_ESCAPABLE = frozenset("\\,=")


class FieldRequirement(NamedTuple):
    """``field operator value``; ``operator`` is ``=`` or ``!=``."""

    field: str
    operator: Operator
    value: str

    def matches(self, get: Callable[[str], str | None]) -> bool:
        actual = get(self.field)
        equal = (actual if actual is not None else "") == self.value
        return equal if self.operator is Operator.EQUALS else not equal

    def __str__(self) -> str:
        return f"{self.field}{self.operator.value}{escape_field_value(self.value)}"


@dataclasses.dataclass(frozen=True)
class FieldSelector:
    """All ``requirements`` must match; kept sorted by their string form, as apimachinery does."""

    requirements: tuple[FieldRequirement, ...] = ()

    def __init__(self, requirements: Iterable[FieldRequirement] = ()) -> None:
        checked = []
        for requirement in requirements:
            if requirement.operator not in (Operator.EQUALS, Operator.NOT_EQUALS):
                raise SelectorError(
                    f"field selector operator must be '=' or '!=', not {requirement.operator!r}",
                    text=requirement.field,
                )
            checked.append(requirement)
        object.__setattr__(self, "requirements", tuple(sorted(checked, key=str)))

    @classmethod
    def everything(cls) -> FieldSelector:
        return cls()

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> FieldSelector:
        """``field=value`` for every item (``fields.SelectorFromSet``)."""
        return cls(FieldRequirement(field, Operator.EQUALS, value) for field, value in fields.items())

    def is_empty(self) -> bool:
        return not self.requirements

    def matches(self, get: Callable[[str], str | None]) -> bool:
        """Whether the object whose field values ``get`` returns satisfies every requirement."""
        return all(requirement.matches(get) for requirement in self.requirements)

    def requires_exact_match(self, field: str) -> str | None:
        """The value ``field`` must equal, when some requirement is ``field=value``."""
        for requirement in self.requirements:
            if requirement.field == field and requirement.operator is Operator.EQUALS:
                return requirement.value
        return None

    def __str__(self) -> str:
        return ",".join(str(requirement) for requirement in self.requirements)


def escape_field_value(value: str) -> str:
    """``value`` with ``\\``, ``,`` and ``=`` escaped for use in a field selector."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_field_value(text: str, *, offset: int = 0, selector: str | None = None) -> str:
    """The literal value an escaped field selector value stands for; raises SelectorError.

    ``offset`` and ``selector`` place ``text`` inside a whole selector for the error message.
    """
    whole = text if selector is None else selector
    out: list[str] = []
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            if char not in _ESCAPABLE:
                raise SelectorError(
                    f"invalid field selector {whole!r}: invalid escape sequence '\\{char}' "
                    f"at offset {offset + index - 1}",
                    text=whole,
                    position=offset + index - 1,
                )
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",=":
            raise SelectorError(
                f"invalid field selector {whole!r}: unescaped {char!r} in value at offset {offset + index}",
                text=whole,
                position=offset + index,
            )
        else:
            out.append(char)
    if escaped:
        position = offset + len(text) - 1
        raise SelectorError(
            f"invalid field selector {whole!r}: value ends with a lone backslash at offset {position}",
            text=whole,
            position=position,
        )
    return "".join(out)


def parse_field_selector(text: str) -> FieldSelector:
    """Parse a field selector; raises :class:`SelectorError` naming the term and its offset."""
    requirements = []
    for start, term in _split_terms(text):
        if not term:
            continue
        requirements.append(_parse_term(text, start, term))
    return FieldSelector(requirements)


def _split_terms(text: str) -> list[tuple[int, str]]:
    """``(offset, term)`` for each term between unescaped commas (escapes kept in the term)."""
    terms: list[tuple[int, str]] = []
    start = 0
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            terms.append((start, text[start:index]))
            start = index + 1
    terms.append((start, text[start:]))
    return terms


def _parse_term(text: str, start: int, term: str) -> FieldRequirement:
    for index in range(len(term)):
        for spelling, operator in _TERM_OPERATORS:
            if term.startswith(spelling, index):
                value_start = index + len(spelling)
                value = unescape_field_value(term[value_start:], offset=start + value_start, selector=text)
                return FieldRequirement(term[:index], operator, value)
    raise SelectorError(
        f"invalid field selector {text!r}: cannot understand term {term!r} at offset {start} "
        "(expected field=value, field==value or field!=value)",
        text=text,
        position=start,
    )
