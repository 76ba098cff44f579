"""One label requirement (``key op values``): validation, matching and rendering."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from fleetops.core.selectors import validation
from fleetops.core.selectors.errors import SelectorError
from fleetops.core.selectors.operators import Operator

__all__ = ["Requirement"]

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_DECIMAL = re.compile(r"[+-]?[0-9]+")

_SET_OPERATORS = frozenset({Operator.IN, Operator.NOT_IN})
_EXACT_OPERATORS = frozenset({Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.NOT_EQUALS})
_UNARY_OPERATORS = frozenset({Operator.EXISTS, Operator.DOES_NOT_EXIST})
_NUMERIC_OPERATORS = frozenset({Operator.GREATER_THAN, Operator.LESS_THAN})

# Operator spelling between the key and the values in the string form.
_INFIX = {
    Operator.EQUALS: "=",
    Operator.DOUBLE_EQUALS: "==",
    Operator.NOT_EQUALS: "!=",
    Operator.IN: " in ",
    Operator.NOT_IN: " notin ",
    Operator.GREATER_THAN: ">",
    Operator.LESS_THAN: "<",
}


def parse_int64(text: str) -> int | None:
    """``text`` as a base-10 signed 64-bit integer (Go's ``strconv.ParseInt(text, 10, 64)``)."""
    if not _DECIMAL.fullmatch(text):
        return None
    number = int(text)
    return number if _INT64_MIN <= number <= _INT64_MAX else None


def _problem(key: str, operator: Operator, values: tuple[str, ...]) -> str | None:
    key_problem = validation.label_key_problem(key)
    if key_problem is not None:
        return f"invalid label key {key!r}: {key_problem}"
    if operator in _SET_OPERATORS and not values:
        return f"for 'in', 'notin' operators, values set can't be empty (key {key!r})"
    if operator in _EXACT_OPERATORS and len(values) != 1:
        return f"exact-match compatibility requires one single value (key {key!r})"
    if operator in _UNARY_OPERATORS and values:
        return f"values set must be empty for exists and does not exist (key {key!r})"
    if operator in _NUMERIC_OPERATORS:
        if len(values) != 1:
            return f"for 'gt', 'lt' operators, exactly one value is required (key {key!r})"
        if parse_int64(values[0]) is None:
            return f"for 'gt', 'lt' operators, the value must be an integer (key {key!r}: {values[0]!r})"
    for value in values:
        value_problem = validation.label_value_problem(value)
        if value_problem is not None:
            return f"invalid label value {value!r} for key {key!r}: {value_problem}"
    return None


@dataclasses.dataclass(frozen=True, order=True)
class Requirement:
    """``key operator values``; valid by construction (raises :class:`SelectorError`).

    ``values`` are kept as a sorted tuple without duplicates: like apimachinery, a requirement's
    values are a set, rendered sorted.
    """

    key: str
    operator: Operator
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        operator = Operator(self.operator)
        values = tuple(sorted(set(self.values)))
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "values", values)
        problem = _problem(self.key, operator, values)
        if problem is not None:
            raise SelectorError(problem, text=self.key)

    @classmethod
    def of(cls, key: str, operator: Operator | str, values: Iterable[str] = ()) -> Requirement:
        """A requirement from any iterable of values (a convenience over the constructor)."""
        return cls(key, Operator(operator), tuple(values))

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether a set of labels satisfies this requirement (Kubernetes' semantics).

        ``!=`` and ``notin`` match when the key is absent; ``gt``/``lt`` never match an absent
        key or a value that is not an integer.
        """
        present = self.key in labels
        match self.operator:
            case Operator.IN | Operator.EQUALS | Operator.DOUBLE_EQUALS:
                return present and labels[self.key] in self.values
            case Operator.NOT_IN | Operator.NOT_EQUALS:
                return not present or labels[self.key] not in self.values
            case Operator.EXISTS:
                return present
            case Operator.DOES_NOT_EXIST:
                return not present
            case Operator.GREATER_THAN | Operator.LESS_THAN:
                if not present:
                    return False
                actual = parse_int64(labels[self.key])
                bound = parse_int64(self.values[0])
                if actual is None or bound is None:
                    return False
                return actual > bound if self.operator is Operator.GREATER_THAN else actual < bound
        raise AssertionError(f"unhandled operator {self.operator!r}")  # pragma: no cover

    def __str__(self) -> str:
        if self.operator is Operator.EXISTS:
            return self.key
        if self.operator is Operator.DOES_NOT_EXIST:
            return "!" + self.key
        joined = ",".join(self.values)
        if self.operator in _SET_OPERATORS:
            joined = f"({joined})"
        return f"{self.key}{_INFIX[self.operator]}{joined}"
