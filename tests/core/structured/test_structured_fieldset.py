"""Field sets: path elements, set algebra, and the FieldsV1 encoding both ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fleetops.core.structured import FieldSet, FieldsV1Error
from fleetops.core.structured import pathelements as pe


def test_path_elements_are_canonical() -> None:
    assert pe.field("spec") == "f:spec"
    assert pe.key([("protocol", "TCP"), ("containerPort", 80)]) == 'k:{"containerPort":80,"protocol":"TCP"}'
    assert pe.key([("port", 1.0)]) == pe.key([("port", 1)])
    assert pe.value(1.0) == pe.value(1) == "v:1"
    assert pe.value("a") == 'v:"a"'
    assert pe.value(True) == "v:true" != pe.value(1)
    assert pe.index(3) == "i:3"


def test_format_path_prints_like_upstream() -> None:
    path = ("f:spec", "f:containers", 'k:{"name":"app"}', "f:image")
    assert pe.format_path(path) == '.spec.containers[name="app"].image'
    assert pe.format_path(("f:spec", "f:replicas")) == ".spec.replicas"


def test_prefixes_are_independent_members() -> None:
    items = FieldSet.from_paths([("f:a",), ("f:a", "f:b")])
    assert items.has(("f:a",))
    assert items.has(("f:a", "f:b"))
    assert not items.has(("f:b",))
    assert items.difference(FieldSet.from_paths([("f:a",)])) == FieldSet.from_paths([("f:a", "f:b")])
    assert items.recursive_difference(FieldSet.from_paths([("f:a",)])).empty


def test_algebra() -> None:
    left = FieldSet.from_paths([("f:a",), ("f:b", "f:c"), ("f:b", "f:d")])
    right = FieldSet.from_paths([("f:b", "f:c"), ("f:e",)])
    assert set(left.union(right).paths()) == {("f:a",), ("f:b", "f:c"), ("f:b", "f:d"), ("f:e",)}
    assert set(left.intersection(right).paths()) == {("f:b", "f:c")}
    assert set(left.difference(right).paths()) == {("f:a",), ("f:b", "f:d")}
    assert left.child("f:b") == FieldSet.from_paths([("f:c",), ("f:d",)])
    assert left.child("f:zzz").empty
    assert len(left) == 3


def test_leaves_drop_members_with_children() -> None:
    items = FieldSet.from_paths(
        [("f:list",), ("f:list", 'k:{"name":"a"}'), ("f:list", 'k:{"name":"a"}', "f:v")]
    )
    assert set(items.leaves().paths()) == {("f:list", 'k:{"name":"a"}', "f:v")}


def test_fields_v1_marks_members_with_children_with_a_dot() -> None:
    items = FieldSet.from_paths(
        [
            ("f:spec", "f:containers", 'k:{"name":"app"}'),
            ("f:spec", "f:containers", 'k:{"name":"app"}', "f:image"),
            ("f:spec", "f:replicas"),
        ]
    )
    encoded = items.to_fields_v1()
    assert encoded == {
        "f:spec": {
            "f:containers": {'k:{"name":"app"}': {".": {}, "f:image": {}}},
            "f:replicas": {},
        }
    }
    assert FieldSet.from_fields_v1(encoded) == items


def test_fields_v1_from_kubernetes() -> None:
    document = {
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {"f:ports": {'k:{"port":80,"protocol":"TCP"}': {".": {}, "f:port": {}}}},
    }
    items = FieldSet.from_fields_v1(document)
    assert items.has(("f:metadata", "f:labels"))
    assert items.has(("f:metadata", "f:labels", "f:app"))
    assert not items.has(("f:metadata",))
    assert items.has(("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}', "f:port"))
    assert items.to_fields_v1() == document


@pytest.mark.parametrize("bad", [{"x": {}}, {"f:a": []}, {"f:a": {"q:": {}}}])
def test_malformed_fields_v1_is_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(FieldsV1Error):
        FieldSet.from_fields_v1(bad)


_ELEMENTS = st.one_of(
    st.sampled_from(["a", "b", "spec", "x y"]).map(pe.field),
    st.integers(0, 3).map(pe.index),
    st.sampled_from(["a", 1, 2.5, True]).map(pe.value),
    st.fixed_dictionaries({"name": st.sampled_from(["a", "b"])}).map(lambda d: pe.key(d.items())),
)
_PATHS = st.lists(st.lists(_ELEMENTS, min_size=1, max_size=4).map(tuple), max_size=12)


@given(_PATHS)
def test_fields_v1_round_trip(paths: list[tuple[str, ...]]) -> None:
    items = FieldSet.from_paths(paths)
    assert set(items.paths()) == set(paths)
    assert FieldSet.from_fields_v1(items.to_fields_v1()) == items


@given(_PATHS, _PATHS)
def test_algebra_agrees_with_python_sets(left: list[tuple[str, ...]], right: list[tuple[str, ...]]) -> None:
    a, b = FieldSet.from_paths(left), FieldSet.from_paths(right)
    assert set(a.union(b).paths()) == set(left) | set(right)
    assert set(a.intersection(b).paths()) == set(left) & set(right)
    assert set(a.difference(b).paths()) == set(left) - set(right)
    below = {p for p in left if any(p[: len(q)] == q for q in right)}
    assert set(a.recursive_difference(b).paths()) == set(left) - below
