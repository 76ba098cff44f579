"""Which label sets a label selector matches, operator by operator."""

from __future__ import annotations

import pytest

from fleetops.core.selectors import LabelSelector, parse_label_selector

LABELS = {"app": "web", "tier": "frontend", "replicas": "3", "empty": "", "version": "v2"}

CASES = [
    # (selector, labels, matches)
    ("", {}, True),
    ("", LABELS, True),
    ("app=web", LABELS, True),
    ("app==web", LABELS, True),
    ("app=db", LABELS, False),
    ("missing=web", LABELS, False),
    ("app!=db", LABELS, True),
    ("app!=web", LABELS, False),
    ("missing!=web", LABELS, True),  # != matches when the key is absent
    ("app in (web,db)", LABELS, True),
    ("app in (db)", LABELS, False),
    ("missing in (web)", LABELS, False),
    ("app notin (db)", LABELS, True),
    ("app notin (web,db)", LABELS, False),
    ("missing notin (web)", LABELS, True),  # notin matches when the key is absent
    ("app", LABELS, True),
    ("missing", LABELS, False),
    ("!app", LABELS, False),
    ("!missing", LABELS, True),
    # the empty value is a value: it needs the key present
    ("empty=", LABELS, True),
    ("missing=", LABELS, False),
    ("empty", LABELS, True),
    ("empty in (,x)", LABELS, True),
    ("empty!=", LABELS, False),
    # numeric comparisons
    ("replicas>2", LABELS, True),
    ("replicas>3", LABELS, False),
    ("replicas<4", LABELS, True),
    ("replicas<3", LABELS, False),
    ("replicas>02", LABELS, True),
    ("missing>0", LABELS, False),
    ("missing<100", LABELS, False),
    ("version>1", LABELS, False),  # a value that is not an integer never compares
    ("version<1", LABELS, False),
    ("n>1", {"n": "-5"}, False),
    ("n<1", {"n": "-5"}, True),
    ("n<1", {"n": "+0"}, True),
    ("n<1", {"n": " 0"}, False),
    ("n<1", {"n": "0_0"}, False),
    ("n>1", {"n": "99999999999999999999"}, False),  # beyond int64: not an integer
    # conjunction
    ("app=web,tier=frontend", LABELS, True),
    ("app=web,tier=backend", LABELS, False),
    ("app=web,!missing,tier notin (backend),replicas>1", LABELS, True),
    ("a!=x,a!=y", {"a": "z"}, True),
    ("a!=x,a!=y", {"a": "y"}, False),
]


@pytest.mark.parametrize(("text", "labels", "expected"), CASES, ids=[f"{c[0]!r}-{c[2]}" for c in CASES])
def test_matching_follows_kubernetes_semantics(text: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_label_selector(text).matches(labels) is expected


def test_everything_and_nothing() -> None:
    assert LabelSelector.everything().matches({})
    assert LabelSelector.everything().is_empty()
    assert not LabelSelector.nothing().matches({})
    assert not LabelSelector.nothing().matches(LABELS)
    assert not LabelSelector.nothing().is_empty()
    assert LabelSelector.nothing() != LabelSelector.everything()


def test_from_labels_selects_supersets() -> None:
    selector = LabelSelector.from_labels({"app": "web", "tier": "frontend"})
    assert str(selector) == "app=web,tier=frontend"
    assert selector.matches(LABELS)
    assert not selector.matches({"app": "web"})
