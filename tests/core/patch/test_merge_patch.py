"""JSON merge patch (RFC 7386): the RFC's examples, and create/apply as a round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fleetops.core.patch import apply_merge_patch, create_merge_patch

# RFC 7386 appendix A: (original, patch, result)
RFC_EXAMPLES: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("original", "patch", "result"), RFC_EXAMPLES)
def test_rfc_7386_examples(original: Any, patch: Any, result: Any) -> None:
    assert apply_merge_patch(original, patch) == result


def test_inputs_are_not_modified() -> None:
    original = {"a": {"b": [1, 2]}, "c": 1}
    patch = {"a": {"d": {"e": 1}}, "c": None}
    result = apply_merge_patch(original, patch)
    result["a"]["d"]["e"] = 2
    assert original == {"a": {"b": [1, 2]}, "c": 1}
    assert patch == {"a": {"d": {"e": 1}}, "c": None}


def test_create_sets_changes_and_nulls_removals() -> None:
    original = {"a": 1, "b": {"c": 1, "d": 2}, "e": [1]}
    modified = {"a": 1, "b": {"c": 3}, "e": [1, 2], "f": True}
    assert create_merge_patch(original, modified) == {"b": {"c": 3, "d": None}, "e": [1, 2], "f": True}
    assert create_merge_patch(original, original) == {}


def test_create_distinguishes_json_types() -> None:
    assert create_merge_patch({"a": 1}, {"a": True}) == {"a": True}
    assert create_merge_patch({"a": 1}, {"a": 1.0}) == {"a": 1.0}


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=3)
)
_keys = st.text(alphabet="abcde", min_size=1, max_size=2)
# Objects in a merge-patch target cannot hold null (a null member of a patch means "delete"),
# but anything inside a list is replaced whole, so lists may hold anything JSON.
_any_json = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=3),
    max_leaves=8,
)
_documents = st.recursive(
    st.dictionaries(
        _keys, _scalars.filter(lambda value: value is not None) | st.lists(_any_json, max_size=3), max_size=4
    ),
    lambda children: st.dictionaries(_keys, children | st.booleans() | st.integers(), max_size=4),
    max_leaves=12,
)


@given(_documents, _documents)
def test_apply_of_create_gives_modified(original: dict[str, Any], modified: dict[str, Any]) -> None:
    result = apply_merge_patch(original, create_merge_patch(original, modified))
    assert _exact(result) == _exact(modified)


def _exact(value: Any) -> str:
    """JSON text: tells 1, 1.0 and true apart, as Python's == does not."""
    return json.dumps(value, sort_keys=True)


@given(_documents)
def test_empty_patch_changes_nothing(document: dict[str, Any]) -> None:
    assert apply_merge_patch(document, {}) == document
    assert create_merge_patch(document, document) == {}
