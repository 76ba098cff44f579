"""Field selectors: parsing, escaping, matching and rendering."""

from __future__ import annotations

import pytest

from fleetops.core.selectors import (
    FieldRequirement,
    FieldSelector,
    Operator,
    SelectorError,
    escape_field_value,
    parse_field_selector,
    unescape_field_value,
)

EQ, NE = Operator.EQUALS, Operator.NOT_EQUALS

VALID = [
    ("", []),
    (",", []),
    ("metadata.name=x", [("metadata.name", EQ, "x")]),
    ("metadata.name==x", [("metadata.name", EQ, "x")]),
    ("metadata.name!=x", [("metadata.name", NE, "x")]),
    (
        "metadata.namespace!=y,metadata.name=x",
        [("metadata.name", EQ, "x"), ("metadata.namespace", NE, "y")],
    ),
    ("a=b,", [("a", EQ, "b")]),
    (",a=b,,", [("a", EQ, "b")]),
    ("a=", [("a", EQ, "")]),
    ("=a", [("", EQ, "a")]),
    ("a!=", [("a", NE, "")]),
    # escapes in the value
    (r"a=b\,c", [("a", EQ, "b,c")]),
    (r"a=b\=c", [("a", EQ, "b=c")]),
    (r"a=b\\c", [("a", EQ, "b\\c")]),
    (r"a=\\", [("a", EQ, "\\")]),
    (r"a=x\,y,b!=z", [("a", EQ, "x,y"), ("b", NE, "z")]),
    # the first operator wins; no whitespace is trimmed
    ("a!b=c", [("a!b", EQ, "c")]),
    ("a != b", [("a ", NE, " b")]),
    ("spec.nodeName=node-1", [("spec.nodeName", EQ, "node-1")]),
    ("a=!b", [("a", EQ, "!b")]),
    ("a=b!", [("a", EQ, "b!")]),
    ("a==", [("a", EQ, "")]),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[repr(v[0]) for v in VALID])
def test_valid_field_selectors(text: str, expected: list[tuple[str, Operator, str]]) -> None:
    selector = parse_field_selector(text)
    assert [tuple(requirement) for requirement in selector.requirements] == expected
    assert selector.requirements == tuple(FieldRequirement(*item) for item in expected)


INVALID = [
    # (text, position, fragment)
    ("a", 0, "cannot understand term 'a'"),
    ("a=b,c", 4, "cannot understand term 'c'"),
    (" ", 0, "cannot understand term ' '"),
    ("a=b=c", 3, "unescaped '='"),
    ("a=b,c=d=e", 7, "unescaped '='"),
    ("a==b=c", 4, "unescaped '='"),
    ("a===b", 3, "unescaped '='"),
    (r"a=b\q", 3, r"invalid escape sequence '\q'"),
    ("a=b\\", 3, "lone backslash"),
    (r"x=1,a=\n", 6, r"invalid escape sequence '\n'"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), INVALID, ids=[repr(i[0]) for i in INVALID])
def test_malformed_field_selectors_name_the_offending_text(text: str, position: int, fragment: str) -> None:
    with pytest.raises(SelectorError) as raised:
        parse_field_selector(text)
    assert fragment in str(raised.value)
    assert raised.value.position == position
    assert raised.value.text == text
    assert repr(text) in str(raised.value)


def fields(**values: str | None) -> dict[str, str | None]:
    return {key.replace("_", "."): value for key, value in values.items()}


MATCHES = [
    ("", {}, True),
    ("metadata.name=x", fields(metadata_name="x"), True),
    ("metadata.name=x", fields(metadata_name="y"), False),
    ("metadata.name=x", {}, False),
    ("metadata.name!=x", fields(metadata_name="y"), True),
    ("metadata.name!=x", fields(metadata_name="x"), False),
    ("metadata.name!=x", {}, True),  # != matches when the field is absent
    ("metadata.name=", {}, True),  # an absent field reads as ""
    ("metadata.name=", fields(metadata_name=None), True),
    ("metadata.name!=", {}, False),
    (r"metadata.name=a\,b", fields(metadata_name="a,b"), True),
    ("metadata.name=x,metadata.namespace!=y", fields(metadata_name="x", metadata_namespace="z"), True),
    ("metadata.name=x,metadata.namespace!=y", fields(metadata_name="x", metadata_namespace="y"), False),
]


@pytest.mark.parametrize(("text", "values", "expected"), MATCHES)
def test_field_selector_matching(text: str, values: dict[str, str | None], expected: bool) -> None:
    assert parse_field_selector(text).matches(values.get) is expected


def test_rendering_is_sorted_escaped_and_normalises_double_equals() -> None:
    selector = parse_field_selector(r"z==1,b!=x\,y,a=\=")
    assert str(selector) == r"a=\=,b!=x\,y,z=1"
    assert parse_field_selector(str(selector)) == selector


def test_escape_and_unescape_are_inverse() -> None:
    for value in ["", "plain", "a,b", "a=b", "back\\slash", "\\,=\\\\", "x=y,z\\"]:
        assert unescape_field_value(escape_field_value(value)) == value
    assert escape_field_value("a\\b,c=d") == r"a\\b\,c\=d"


def test_requires_exact_match_and_from_fields() -> None:
    selector = FieldSelector.from_fields({"metadata.name": "web", "metadata.namespace": "prod"})
    assert str(selector) == "metadata.name=web,metadata.namespace=prod"
    assert selector.requires_exact_match("metadata.name") == "web"
    assert parse_field_selector("metadata.name!=web").requires_exact_match("metadata.name") is None
    assert FieldSelector.everything().is_empty()


def test_only_equality_operators_are_field_operators() -> None:
    with pytest.raises(SelectorError, match="'=' or '!='"):
        FieldSelector([FieldRequirement("a", Operator.IN, "x")])
