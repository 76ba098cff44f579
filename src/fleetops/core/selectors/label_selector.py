"""Label selectors: a conjunction of requirements, from the string or the struct form.

Kubernetes has two "select all/none" cases, and so does :class:`LabelSelector`:

- the *empty* selector (string ``""``, struct ``{}``, or a struct whose ``matchLabels`` and
  ``matchExpressions`` are both empty) matches every set of labels;
- a *null* struct selector (``None``) matches nothing, as ``metav1.LabelSelectorAsSelector(nil)``
  says. (Some API fields document their own meaning for an absent selector, e.g. a Service
  without a selector; callers with such a field decide before calling :meth:`from_struct`.)
  Its string form is ``""`` like apimachinery's ``Nothing().String()``, so it does not survive
  a round trip through text.

Requirements are kept sorted (by key, then operator and values), so equal selectors compare
equal and ``str()`` gives apimachinery's canonical ``String()``: requirements sorted by key,
joined by commas, values sorted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from fleetops.core.selectors.errors import SelectorError
from fleetops.core.selectors.operators import Operator
from fleetops.core.selectors.requirement import Requirement

__all__ = ["LabelSelector"]

_STRUCT_OPERATORS = {
    "In": Operator.IN,
    "NotIn": Operator.NOT_IN,
    "Exists": Operator.EXISTS,
    "DoesNotExist": Operator.DOES_NOT_EXIST,
}
_STRUCT_FIELDS = frozenset({"matchLabels", "matchExpressions"})
_EXPRESSION_FIELDS = frozenset({"key", "operator", "values"})


@dataclasses.dataclass(frozen=True)
class LabelSelector:
    """All ``requirements`` must match; ``selects_nothing`` is the null struct selector."""

    requirements: tuple[Requirement, ...] = ()
    selects_nothing: bool = False

    def __init__(self, requirements: Iterable[Requirement] = (), *, selects_nothing: bool = False) -> None:
        ordered = tuple(sorted(requirements))
        if selects_nothing and ordered:
            raise ValueError("a selector that selects nothing has no requirements")
        object.__setattr__(self, "requirements", ordered)
        object.__setattr__(self, "selects_nothing", selects_nothing)

    @classmethod
    def everything(cls) -> LabelSelector:
        """The empty selector: it matches every set of labels."""
        return cls()

    @classmethod
    def nothing(cls) -> LabelSelector:
        """The selector that matches no set of labels (a null struct selector)."""
        return cls(selects_nothing=True)

    @classmethod
    def from_labels(cls, labels: Mapping[str, str]) -> LabelSelector:
        """``key=value`` for every label (``labels.SelectorFromValidatedSet``), validated."""
        return cls(Requirement(key, Operator.EQUALS, (value,)) for key, value in labels.items())

    @classmethod
    def from_struct(cls, struct: Mapping[str, Any] | None) -> LabelSelector:
        """A ``metav1.LabelSelector`` (``matchLabels`` / ``matchExpressions``) as a selector.

        ``None`` selects nothing, ``{}`` everything. ``In``/``NotIn`` need at least one value,
        ``Exists``/``DoesNotExist`` none; keys and values are validated as labels. Unknown
        fields are an error rather than silently ignored: a misspelt ``matchLabel`` would
        otherwise select everything.
        """
        if struct is None:
            return cls.nothing()
        if not isinstance(struct, Mapping):
            raise SelectorError(f"a label selector must be a mapping, not {type(struct).__name__}")
        unknown = sorted(set(struct) - _STRUCT_FIELDS)
        if unknown:
            raise SelectorError(
                f"label selector: unknown field {unknown[0]!r} (expected matchLabels, matchExpressions)",
                text=str(unknown[0]),
            )
        return cls(
            [*_match_labels(struct.get("matchLabels")), *_match_expressions(struct.get("matchExpressions"))]
        )

    def is_empty(self) -> bool:
        """Whether this is the empty selector (it matches everything)."""
        return not self.requirements and not self.selects_nothing

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether ``labels`` satisfies every requirement."""
        if self.selects_nothing:
            return False
        return all(requirement.matches(labels) for requirement in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(requirement) for requirement in self.requirements)


def _match_labels(match_labels: Any) -> list[Requirement]:
    if match_labels is None:
        return []
    if not isinstance(match_labels, Mapping):
        raise SelectorError(f"matchLabels must be a mapping, not {type(match_labels).__name__}")
    requirements = []
    for key, value in match_labels.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise SelectorError(
                f"matchLabels[{key!r}]: keys and values must be strings, got {value!r}", text=str(key)
            )
        requirements.append(_requirement(f"matchLabels[{key!r}]", key, Operator.EQUALS, [value]))
    return requirements


def _match_expressions(expressions: Any) -> list[Requirement]:
    if expressions is None:
        return []
    if not isinstance(expressions, list):
        raise SelectorError(f"matchExpressions must be a list, not {type(expressions).__name__}")
    return [_expression(f"matchExpressions[{index}]", item) for index, item in enumerate(expressions)]


def _expression(path: str, item: Any) -> Requirement:
    if not isinstance(item, Mapping):
        raise SelectorError(f"{path}: must be a mapping with key, operator and values")
    unknown = sorted(set(item) - _EXPRESSION_FIELDS)
    if unknown:
        raise SelectorError(f"{path}: unknown field {unknown[0]!r}", text=str(unknown[0]))
    key, operator_name, values = item.get("key"), item.get("operator"), item.get("values")
    if not isinstance(key, str):
        raise SelectorError(f"{path}.key: required, and must be a string")
    operator = _STRUCT_OPERATORS.get(operator_name) if isinstance(operator_name, str) else None
    if operator is None:
        raise SelectorError(
            f"{path}.operator: {operator_name!r} is not a valid label selector operator "
            f"(supported: {', '.join(_STRUCT_OPERATORS)})",
            text=str(operator_name),
        )
    if values is None:
        values = []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise SelectorError(f"{path}.values: must be a list of strings, got {values!r}")
    if operator in (Operator.IN, Operator.NOT_IN) and not values:
        raise SelectorError(f"{path}.values: must be specified when `operator` is 'In' or 'NotIn'", text=key)
    if operator in (Operator.EXISTS, Operator.DOES_NOT_EXIST) and values:
        raise SelectorError(
            f"{path}.values: may not be specified when `operator` is 'Exists' or 'DoesNotExist'", text=key
        )
    return _requirement(path, key, operator, values)


def _requirement(path: str, key: str, operator: Operator, values: list[str]) -> Requirement:
    try:
        return Requirement.of(key, operator, values)
    except SelectorError as error:
        raise SelectorError(f"{path}: {error}", text=error.text) from None
