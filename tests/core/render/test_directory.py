"""Plain-directory rendering (Argo CD `directory` source)."""

from __future__ import annotations

import pytest

from fleetops.core.kustomize import MemoryFileSystem
from fleetops.core.render import DirectoryRenderError, glob_match, render_directory


def _cm(name: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"


FILES = {
    "/app/b.yaml": _cm("b") + "---\n" + _cm("b2"),
    "/app/a.yml": _cm("a"),
    "/app/c.json": '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "c"}}',
    "/app/README.md": "# not a manifest",
    "/app/sub/d.yaml": _cm("d"),
    "/app/sub/deeper/e.yaml": _cm("e"),
}


def _names(result: object) -> list[str]:
    return [m["metadata"]["name"] for m in result.manifests]  # type: ignore[attr-defined]


def test_top_level_files_in_path_order() -> None:
    result = render_directory(MemoryFileSystem(dict(FILES)), "/app")
    assert _names(result) == ["a", "b", "b2", "c"]
    assert set(result.files_read) == {"/app/a.yml", "/app/b.yaml", "/app/c.json"}


def test_recurse() -> None:
    result = render_directory(MemoryFileSystem(dict(FILES)), "/app", recurse=True)
    assert _names(result) == ["a", "b", "b2", "c", "d", "e"]


def test_include_and_exclude_globs() -> None:
    fs = MemoryFileSystem(dict(FILES))
    assert _names(render_directory(fs, "/app", recurse=True, include="*.yaml")) == ["b", "b2", "d", "e"]
    assert _names(render_directory(fs, "/app", recurse=True, exclude="{sub/**,*.json}")) == ["a", "b", "b2"]


def test_json_list_and_bad_file() -> None:
    fs = MemoryFileSystem(
        {"/x/list.json": '[{"kind": "A", "metadata": {"name": "one"}}]', "/x/bad.yaml": "- 1\n"}
    )
    with pytest.raises(DirectoryRenderError, match=r"/x/bad\.yaml"):
        render_directory(fs, "/x")
    assert _names(render_directory(fs, "/x", exclude="bad.yaml")) == ["one"]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.yaml", "a.yaml", True),
        ("*.yaml", "sub/a.yaml", True),
        ("sub/*", "sub/deeper/a.yaml", True),
        ("**/*.yaml", "sub/a.yaml", True),
        ("{a,b}.yaml", "b.yaml", True),
        ("[ab].yaml", "c.yaml", False),
    ],
)
def test_glob(pattern: str, path: str, matches: bool) -> None:
    assert glob_match(pattern, path) is matches
