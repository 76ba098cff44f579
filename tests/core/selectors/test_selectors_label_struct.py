"""The struct form (metav1.LabelSelector): conversion, validation and null/empty semantics."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.selectors import LabelSelector, SelectorError, parse_label_selector


def test_null_struct_selects_nothing_and_empty_struct_everything() -> None:
    assert LabelSelector.from_struct(None) == LabelSelector.nothing()
    assert not LabelSelector.from_struct(None).matches({"a": "b"})
    empties: list[dict[str, Any]] = [{}, {"matchLabels": {}}, {"matchExpressions": []}, {"matchLabels": None}]
    for empty in empties:
        selector = LabelSelector.from_struct(empty)
        assert selector.is_empty()
        assert selector.matches({})


STRUCTS: list[tuple[dict[str, Any], str]] = [
    ({"matchLabels": {"app": "web"}}, "app=web"),
    ({"matchLabels": {"tier": "frontend", "app": "web"}}, "app=web,tier=frontend"),
    (
        {"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}]},
        "env in (dev,prod)",
    ),
    ({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["qa"]}]}, "env notin (qa)"),
    ({"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}, "gpu"),
    ({"matchExpressions": [{"key": "gpu", "operator": "DoesNotExist", "values": []}]}, "!gpu"),
    ({"matchExpressions": [{"key": "gpu", "operator": "Exists", "values": None}]}, "gpu"),
    (
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "env", "operator": "In", "values": ["prod"]},
                {"key": "app", "operator": "Exists"},
            ],
        },
        "app=web,app,env in (prod)",  # same key: by operator (= before exists)
    ),
    ({"matchExpressions": [{"key": "env", "operator": "In", "values": [""]}]}, "env in ()"),
]


@pytest.mark.parametrize(("struct", "canonical"), STRUCTS)
def test_struct_converts_like_label_selector_as_selector(struct: dict[str, Any], canonical: str) -> None:
    selector = LabelSelector.from_struct(struct)
    assert str(selector) == canonical
    assert parse_label_selector(canonical) == selector


def test_struct_selector_matches() -> None:
    selector = LabelSelector.from_struct(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "env", "operator": "NotIn", "values": ["qa"]},
                {"key": "canary", "operator": "DoesNotExist"},
            ],
        }
    )
    assert selector.matches({"app": "web"})
    assert selector.matches({"app": "web", "env": "prod"})
    assert not selector.matches({"app": "web", "env": "qa"})
    assert not selector.matches({"app": "web", "canary": "true"})
    assert not selector.matches({"env": "prod"})


INVALID: list[tuple[Any, str]] = [
    (
        {"matchExpressions": [{"key": "a", "operator": "In", "values": []}]},
        "matchExpressions[0].values: must be specified",
    ),
    (
        {"matchExpressions": [{"key": "a", "operator": "NotIn"}]},
        "matchExpressions[0].values: must be specified",
    ),
    ({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}, "may not be specified"),
    (
        {"matchExpressions": [{"key": "a", "operator": "DoesNotExist", "values": ["x"]}]},
        "may not be specified",
    ),
    ({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}, "'Gt' is not a valid"),
    ({"matchExpressions": [{"key": "a", "operator": "in", "values": ["1"]}]}, "'in' is not a valid"),
    ({"matchExpressions": [{"key": "a"}]}, "None is not a valid label selector operator"),
    ({"matchExpressions": [{"operator": "Exists"}]}, "matchExpressions[0].key: required"),
    (
        {"matchExpressions": [{"key": "ok", "operator": "Exists"}, {"key": "-bad", "operator": "Exists"}]},
        "matchExpressions[1]: invalid label key '-bad'",
    ),
    ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["-x"]}]}, "invalid label value '-x'"),
    ({"matchExpressions": [{"key": "a", "operator": "In", "values": "x"}]}, "must be a list of strings"),
    ({"matchExpressions": [{"key": "a", "operator": "In", "values": [1]}]}, "must be a list of strings"),
    ({"matchExpressions": [{"key": "a", "operator": "Exists", "value": []}]}, "unknown field 'value'"),
    ({"matchExpressions": {"key": "a"}}, "matchExpressions must be a list"),
    ({"matchExpressions": ["a"]}, "matchExpressions[0]: must be a mapping"),
    ({"matchLabels": {"app": 1}}, "matchLabels['app']: keys and values must be strings"),
    ({"matchLabels": {"app": True}}, "must be strings"),
    ({"matchLabels": {"bad key": "x"}}, "invalid label key 'bad key'"),
    ({"matchLabels": {"app": "x" * 64}}, "no more than 63"),
    ({"matchLabels": ["app=web"]}, "matchLabels must be a mapping"),
    ({"matchLabel": {"app": "web"}}, "unknown field 'matchLabel'"),
    ("app=web", "must be a mapping"),
]


@pytest.mark.parametrize(("struct", "fragment"), INVALID)
def test_invalid_structs_raise_naming_the_path(struct: Any, fragment: str) -> None:
    with pytest.raises(SelectorError) as raised:
        LabelSelector.from_struct(struct)
    assert fragment in str(raised.value)
