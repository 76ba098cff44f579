"""Property: every selector survives a round trip through its canonical string."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fleetops.core.selectors import (
    FieldRequirement,
    FieldSelector,
    LabelSelector,
    Operator,
    Requirement,
    SelectorError,
    parse_field_selector,
    parse_label_selector,
)

ALNUM = "abcxyzABCXYZ0189"
INNER = ALNUM + "-_."
LOWER = "abcxyz0189"


def _bounded_name(first: str, middle: str, max_size: int) -> st.SearchStrategy[str]:
    edge = st.sampled_from(first)
    return st.one_of(
        edge,
        st.builds(lambda a, m, b: a + m + b, edge, st.text(middle, max_size=max_size - 2), edge),
    )


names = _bounded_name(ALNUM, INNER, 63)
dns_labels = _bounded_name(LOWER, LOWER + "-", 20)
prefixes = st.lists(dns_labels, min_size=1, max_size=4).map(".".join)
keys = st.one_of(names, st.builds(lambda p, n: f"{p}/{n}", prefixes, names))
values = st.one_of(st.just(""), names)
numbers = st.integers(min_value=0, max_value=2**63 - 1).map(str)


@st.composite
def requirements(draw: st.DrawFn) -> Requirement:
    key = draw(keys)
    operator = draw(st.sampled_from(list(Operator)))
    if operator in (Operator.EXISTS, Operator.DOES_NOT_EXIST):
        return Requirement(key, operator)
    if operator in (Operator.GREATER_THAN, Operator.LESS_THAN):
        return Requirement(key, operator, (draw(numbers),))
    if operator in (Operator.IN, Operator.NOT_IN):
        return Requirement(key, operator, tuple(draw(st.lists(values, min_size=1, max_size=4))))
    return Requirement(key, operator, (draw(values),))


@given(st.lists(requirements(), max_size=6))
def test_label_selector_round_trips_through_its_string(found: list[Requirement]) -> None:
    selector = LabelSelector(found)
    text = str(selector)
    assert parse_label_selector(text) == selector
    assert str(parse_label_selector(text)) == text


field_names = st.text(alphabet="abcXYZ09.-_/[]!", min_size=1, max_size=20).filter(
    lambda s: not s.endswith("!")
)
field_values = st.text(max_size=20)


@given(
    st.lists(
        st.builds(
            FieldRequirement,
            field_names,
            st.sampled_from([Operator.EQUALS, Operator.NOT_EQUALS]),
            field_values,
        ),
        max_size=5,
    )
)
def test_field_selector_round_trips_through_its_string(found: list[FieldRequirement]) -> None:
    selector = FieldSelector(found)
    assert parse_field_selector(str(selector)) == selector


selector_alphabet = st.sampled_from([*"ab1-_./ =!(),<>", "in", "notin", "\t", "\\"])


@given(st.one_of(st.text(max_size=30), st.lists(selector_alphabet, max_size=15).map("".join)))
def test_any_text_parses_or_raises_selector_error(text: str) -> None:
    try:
        label_selector = parse_label_selector(text)
    except SelectorError as error:
        assert error.text == text
        assert error.position is not None
        assert 0 <= error.position <= len(text)
    else:
        assert parse_label_selector(str(label_selector)) == label_selector
    try:
        field_selector = parse_field_selector(text)
    except SelectorError as error:
        assert error.text == text
    else:
        assert parse_field_selector(str(field_selector)) == field_selector
