"""Apps in any namespace: outside the control plane only where the project's sourceNamespaces
(globs or /regexp/) allow; Argo CD's glob semantics."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core import app as applications


def _app(namespace: str | None) -> dict[str, Any]:
    metadata = {"name": "a"} if namespace is None else {"name": "a", "namespace": namespace}
    return {"metadata": metadata, "spec": {"project": "team"}}


def _project(*namespaces: str) -> dict[str, Any]:
    return {"metadata": {"name": "team"}, "spec": {"sourceNamespaces": list(namespaces)}}


@pytest.mark.parametrize(
    ("namespace", "project", "expected"),
    [
        ("fleetops", None, True),
        (None, None, True),
        ("team-a", None, False),
        ("team-a", _project(), False),
        ("team-a", _project("team-a"), True),
        ("team-a", _project("team-*"), True),
        ("other", _project("team-*"), False),
        ("team-b", _project("/^team-[ab]$/"), True),
        ("team-c", _project("/^team-[ab]$/"), False),
        ("prod-eu", _project("{prod,staging}-*"), True),
        ("anything", _project("*"), True),
    ],
)
def test_is_reconcilable(namespace: str | None, project: dict[str, Any] | None, expected: bool) -> None:
    assert applications.is_reconcilable(_app(namespace), "fleetops", project) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "separators", "expected"),
    [
        ("*", "a/b/c", "", True),
        ("https://github.com/org/*", "https://github.com/org/repo", "/", True),
        ("https://github.com/org/*", "https://github.com/org/a/b", "/", False),
        ("https://github.com/org/**", "https://github.com/org/a/b", "/", True),
        ("https://github.com/org/*", "https://github.com/org/a/b", "", True),
        ("prod-?", "prod-1", "", True),
        ("prod-?", "prod-12", "", False),
        ("[a-c]x", "bx", "", True),
        ("[!a-c]x", "bx", "", False),
        ("{dev,prod}-*", "prod-eu", "", True),
        ("a\\*", "a*", "", True),
        ("a\\*", "ab", "", False),
        ("[", "[", "", False),  # does not compile: matches nothing, as in Argo CD
        ("{a,b", "a", "", False),
        ("x.y", "xzy", "", False),
    ],
)
def test_glob_match(pattern: str, text: str, separators: str, expected: bool) -> None:
    assert applications.glob_match(pattern, text, separators=separators) is expected


def test_bad_regexp_matches_nothing() -> None:
    assert not applications.match_in_list(["/([/"], "team")
