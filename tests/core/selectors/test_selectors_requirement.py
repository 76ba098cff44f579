"""Requirements are valid by construction; the package's public surface is pinned."""

from __future__ import annotations

import pytest

from fleetops.core import selectors
from fleetops.core.selectors import Operator, Requirement, SelectorError

INVALID = [
    ("a", Operator.IN, (), "values set can't be empty"),
    ("a", Operator.NOT_IN, (), "values set can't be empty"),
    ("a", Operator.EQUALS, (), "one single value"),
    ("a", Operator.NOT_EQUALS, ("x", "y"), "one single value"),
    ("a", Operator.EXISTS, ("x",), "must be empty"),
    ("a", Operator.DOES_NOT_EXIST, ("x",), "must be empty"),
    ("a", Operator.GREATER_THAN, ("1", "2"), "exactly one value"),
    ("a", Operator.LESS_THAN, ("one",), "must be an integer"),
    ("", Operator.EXISTS, (), "name part must be non-empty"),
    ("a", Operator.EQUALS, ("b c",), "invalid label value 'b c'"),
]


@pytest.mark.parametrize(("key", "operator", "values", "fragment"), INVALID)
def test_invalid_requirements_are_refused(
    key: str, operator: Operator, values: tuple[str, ...], fragment: str
) -> None:
    with pytest.raises(SelectorError, match=fragment):
        Requirement(key, operator, values)


def test_values_are_a_sorted_set_and_operators_accept_their_spelling() -> None:
    requirement = Requirement.of("a", "in", ["y", "x", "y"])
    assert requirement.operator is Operator.IN
    assert requirement.values == ("x", "y")
    assert str(requirement) == "a in (x,y)"


def test_public_surface() -> None:
    assert sorted(selectors.__all__) == [
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
