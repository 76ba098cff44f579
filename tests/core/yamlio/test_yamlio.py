"""YAML in (go-yaml v3 rules, bounded) and out (exactly as `kubectl kustomize` prints)."""

from __future__ import annotations

import pytest

from fleetops.core.yamlio import YamlLimits, YamlReadError, dump_document, dump_documents, load_documents


def test_scalars_follow_go_yaml_v3() -> None:
    [doc] = load_documents("a: yes\nb: 012\nc: 0x1F\nd: 1_000\ne: ~\nf: True\ng: 1.50\nh: 2001-12-14\n")
    assert doc == {
        "a": "yes",
        "b": 10,
        "c": 31,
        "d": 1000,
        "e": None,
        "f": True,
        "g": 1.5,
        "h": "2001-12-14T00:00:00Z",
    }


def test_billion_laughs_is_an_error_not_an_out_of_memory() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(YamlReadError, match="excessive aliasing"):
        load_documents("\n".join(lines) + "\n")


def test_size_limit() -> None:
    with pytest.raises(YamlReadError, match="exceeds the limit"):
        load_documents("a: " + "x" * 100 + "\n", limits=YamlLimits(max_bytes=50))


def test_duplicate_keys_are_an_error() -> None:
    with pytest.raises(YamlReadError, match='mapping key "a" already defined at line 1'):
        load_documents("a: 1\na: 2\n")


def test_aliases_become_independent_copies() -> None:
    [doc] = load_documents("a: &x {k: v}\nb: *x\n")
    doc["a"]["k"] = "changed"
    assert doc["b"] == {"k": "v"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("yes", 'v: "yes"\n'),
        ("012", 'v: "012"\n'),
        ("1e3", 'v: "1e3"\n'),
        ("~", 'v: "~"\n'),
        ("", 'v: ""\n'),
        ("- a", "v: '- a'\n"),
        ("a: b", "v: 'a: b'\n"),
        ("trailing ", "v: 'trailing '\n"),
        ("\ttab", 'v: "\\ttab"\n'),
        ("multi\nline", "v: |-\n  multi\n  line\n"),
        ("é", "v: é\n"),
        (3e20, "v: 3e+20\n"),
        (1.5, "v: 1.5\n"),
        (1000.0, "v: 1000\n"),
        (None, "v: null\n"),
        ([], "v: []\n"),
        ({}, "v: {}\n"),
    ],
)
def test_scalar_styles_match_kubectl_kustomize(value: object, text: str) -> None:
    assert dump_document({"v": value}) == text


def test_keys_sorted_like_go_yaml_and_sequences_not_indented() -> None:
    doc = {"b": [1, {"y": 1, "n": 2}], "a10": 1, "a9": 2, "A": 3}
    assert dump_document(doc) == 'A: 3\na9: 2\na10: 1\nb:\n- 1\n- "n": 2\n  "y": 1\n'


def test_long_strings_fold_at_80_columns() -> None:
    words = "a very long string " * 6
    assert dump_document({"k": words.strip()}) == (
        "k: a very long string a very long string a very long string a very long string a very\n"
        "  long string a very long string\n"
    )


def test_documents_are_separated() -> None:
    assert dump_documents([{"a": 1}, {"b": 2}]) == "a: 1\n---\nb: 2\n"
