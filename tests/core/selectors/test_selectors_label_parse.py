"""The label selector string form: what parses to what, and what is rejected where."""

from __future__ import annotations

import pytest

from fleetops.core.selectors import LabelSelector, Operator, Requirement, SelectorError, parse_label_selector


def req(key: str, operator: Operator, *values: str) -> Requirement:
    return Requirement(key, operator, values)


VALID = [
    ("", []),
    ("   \t\n", []),
    ("a=b", [req("a", Operator.EQUALS, "b")]),
    ("a==b", [req("a", Operator.DOUBLE_EQUALS, "b")]),
    ("a!=b", [req("a", Operator.NOT_EQUALS, "b")]),
    ("a", [req("a", Operator.EXISTS)]),
    ("!a", [req("a", Operator.DOES_NOT_EXIST)]),
    ("! a", [req("a", Operator.DOES_NOT_EXIST)]),
    ("a in (x,y)", [req("a", Operator.IN, "x", "y")]),
    ("a in(y,x)", [req("a", Operator.IN, "x", "y")]),
    ("a notin (x)", [req("a", Operator.NOT_IN, "x")]),
    ("a>1", [req("a", Operator.GREATER_THAN, "1")]),
    ("a<10", [req("a", Operator.LESS_THAN, "10")]),
    # the empty value: after an exact operator, and as an empty slot in a set
    ("a=", [req("a", Operator.EQUALS, "")]),
    ("a!=,b", [req("a", Operator.NOT_EQUALS, ""), req("b", Operator.EXISTS)]),
    ("a in ()", [req("a", Operator.IN, "")]),
    ("a in (,x)", [req("a", Operator.IN, "", "x")]),
    ("a in (x,)", [req("a", Operator.IN, "", "x")]),
    ("a in (x,,y)", [req("a", Operator.IN, "", "x", "y")]),
    ("a in (,)", [req("a", Operator.IN, "")]),
    # duplicates collapse, values are a set
    ("a in (x,x)", [req("a", Operator.IN, "x")]),
    # keywords are identifiers outside operator position
    ("in=notin", [req("in", Operator.EQUALS, "notin")]),
    ("in in (in,notin)", [req("in", Operator.IN, "in", "notin")]),
    ("!notin", [req("notin", Operator.DOES_NOT_EXIST)]),
    # whitespace around every token
    (
        " a = b , c  notin ( d , e ) , ! f ",
        [
            req("a", Operator.EQUALS, "b"),
            req("c", Operator.NOT_IN, "d", "e"),
            req("f", Operator.DOES_NOT_EXIST),
        ],
    ),
    ("a\t=\rb\n", [req("a", Operator.EQUALS, "b")]),
    # qualified keys with a DNS prefix, values with every allowed character
    ("app.kubernetes.io/name=my-app", [req("app.kubernetes.io/name", Operator.EQUALS, "my-app")]),
    ("example.com/Tier_1.x=A-b_c.9", [req("example.com/Tier_1.x", Operator.EQUALS, "A-b_c.9")]),
    ("k=" + "v" * 63, [req("k", Operator.EQUALS, "v" * 63)]),
    ("k" * 63, [req("k" * 63, Operator.EXISTS)]),
    ("a>9223372036854775807", [req("a", Operator.GREATER_THAN, "9223372036854775807")]),
    ("a<007", [req("a", Operator.LESS_THAN, "007")]),
    # the same key twice is two requirements
    ("a!=x,a!=y", [req("a", Operator.NOT_EQUALS, "x"), req("a", Operator.NOT_EQUALS, "y")]),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[repr(text) for text, _ in VALID])
def test_valid_selectors_parse_to_their_requirements(text: str, expected: list[Requirement]) -> None:
    assert parse_label_selector(text) == LabelSelector(expected)


INVALID = [
    # (text, offset of the offending token, a fragment of the message)
    ("a=b,", 4, "after ','"),
    (",a=b", 0, "found ','"),
    ("a=b,,c=d", 4, "after ','"),
    ("a=b c=d", 4, "',' or end of string"),
    ("a=b=c", 3, "found '='"),
    ("a b", 2, "one of in, notin"),
    ("a!b", 1, "found '!'"),
    ("a>=1", 2, "found '='"),
    ("a=(b)", 2, "found '('"),
    ("a in b", 5, "expected '('"),
    ("a in (b c)", 8, "',' or ')'"),
    ("a in (b", 7, "',' or ')'"),
    ("a in (b,", 8, "',' or an identifier"),
    ("a in (=)", 6, "',', ')' or an identifier"),
    ("a in (b,=)", 8, "',' or an identifier"),
    ("a in (b))", 8, "',' or end of string"),
    ("a in", 4, "expected '('"),
    ("!=a", 0, "found '!='"),
    ("!", 1, "an identifier"),
    ("!a=b", 2, "found '='"),
    ("!a in (b)", 3, "found 'in'"),
    ("=a", 0, "found '='"),
    ("(a)", 0, "found '('"),
    ("a in (b),,", 9, "after ','"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), INVALID, ids=[repr(i[0]) for i in INVALID])
def test_malformed_selectors_name_the_offending_token(text: str, position: int, fragment: str) -> None:
    with pytest.raises(SelectorError) as raised:
        parse_label_selector(text)
    assert raised.value.position == position
    assert raised.value.text == text
    assert fragment in str(raised.value)
    assert f"offset {position}" in str(raised.value)
    assert repr(text) in str(raised.value)


INVALID_KEYS_AND_VALUES = [
    ("a/b/c=d", "at most one '/'"),
    ("/a=b", "prefix part must be non-empty"),
    ("a/=b", "name part must be non-empty"),
    ("Example.com/a=b", "DNS-1123 subdomain"),
    ("ex_ample.com/a=b", "DNS-1123 subdomain"),
    (("p" * 254) + "/a", "no more than 253"),
    ("k" * 64, "no more than 63"),
    ("-a=b", "start and end with an alphanumeric"),
    ("a.=b", "start and end with an alphanumeric"),
    ("a:b=c", "name part"),
    ("a=-b", "label value"),
    ("a=b_", "label value"),
    ("a=b/c", "label value"),
    ("a=" + "v" * 64, "no more than 63"),
    ("a in (x,-y)", "label value"),
    ("a>x", "must be an integer"),
    ("a<1.5", "must be an integer"),
    ("a>", "must be an integer"),
    ("a>9223372036854775808", "must be an integer"),
    ("a>-1", "label value"),
    ("a=é", "label value"),
]


@pytest.mark.parametrize(("text", "fragment"), INVALID_KEYS_AND_VALUES)
def test_keys_and_values_are_validated_as_labels(text: str, fragment: str) -> None:
    with pytest.raises(SelectorError, match="invalid label selector") as raised:
        parse_label_selector(text)
    assert fragment in str(raised.value)
    assert raised.value.position == 0


def test_error_position_points_at_the_requirement_with_the_bad_key() -> None:
    with pytest.raises(SelectorError) as raised:
        parse_label_selector("a=b, Bad_/x=y")
    assert raised.value.position == 5


def test_selector_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="found"):
        parse_label_selector("a=b,")


CANONICAL = [
    ("", ""),
    ("z=1,a=2", "a=2,z=1"),
    ("  b  notin (y, x) , a", "a,b notin (x,y)"),
    ("x in (b,a,b)", "x in (a,b)"),
    ("!c,b==d,a!=e", "a!=e,b==d,!c"),
    ("a in (x,)", "a in (,x)"),
    ("a<9,a>5", "a>5,a<9"),  # same key: by operator, then values
    ("a=", "a="),
]


@pytest.mark.parametrize(("text", "canonical"), CANONICAL)
def test_str_renders_requirements_sorted_by_key(text: str, canonical: str) -> None:
    selector = parse_label_selector(text)
    assert str(selector) == canonical
    assert parse_label_selector(str(selector)) == selector


def test_order_of_requirements_does_not_matter_for_equality() -> None:
    assert parse_label_selector("a=1,b!=2,!c") == parse_label_selector("!c,b!=2,a=1")
    assert hash(parse_label_selector("a=1,b")) == hash(parse_label_selector("b,a=1"))
