"""Kubernetes label and field selectors: parse, validate, match, render (pure).

Public API::

    parse_label_selector(text) -> LabelSelector        # "a=b,c!=d,e in (x,y),!f,g>1"
    LabelSelector.from_struct({matchLabels, matchExpressions} | None) -> LabelSelector
    LabelSelector.from_labels(mapping), .everything(), .nothing()
    selector.matches(labels) -> bool; selector.requirements; str(selector)  # canonical form
    Requirement(key, Operator, values)                 # validated on construction

    parse_field_selector(text) -> FieldSelector        # "metadata.name=x,status.phase!=Running"
    selector.matches(get: Callable[[str], str | None]) -> bool
    selector.requirements -> tuple[FieldRequirement(field, operator, value), ...]
    escape_field_value(value), unescape_field_value(text)

    SelectorError(ValueError)                          # .text, .position
"""

from fleetops.core.selectors.errors import SelectorError
from fleetops.core.selectors.field_selector import (
    FieldRequirement,
    FieldSelector,
    escape_field_value,
    parse_field_selector,
    unescape_field_value,
)
from fleetops.core.selectors.label_parser import parse_label_selector
from fleetops.core.selectors.label_selector import LabelSelector
from fleetops.core.selectors.operators import Operator
from fleetops.core.selectors.requirement import Requirement

__all__ = [
    "FieldRequirement",
    "FieldSelector",
    "LabelSelector",
    "Operator",
    "Requirement",
    "SelectorError",
    "escape_field_value",
    "parse_field_selector",
    "parse_label_selector",
    "unescape_field_value",
]
