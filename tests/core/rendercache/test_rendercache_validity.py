"""Render-cache records against in-memory trees: what invalidates a render and what does not."""

from __future__ import annotations

import pytest

from fleetops.core.kustomize import MemoryFileSystem, build
from fleetops.core.rendercache import (
    PathKind,
    RecordingTree,
    RenderCache,
    RenderInputs,
    RenderRecord,
    is_still_valid,
)
from fleetops.core.source import git_blob_id

BASE = {
    "/apps/web/base/kustomization.yaml": "resources:\n- deployment.yaml\n",
    "/apps/web/base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
    "/apps/web/overlays/prod/kustomization.yaml": "resources:\n- ../../base\nnamePrefix: prod-\n",
    "/apps/api/base/kustomization.yaml": "resources: []\n",
    "/README.md": "hello\n",
}
INPUTS = RenderInputs("https://github.com/org/gitops-config", "apps/web/overlays/prod")


def render(files: dict[str, str]) -> RenderRecord:
    recorder = RecordingTree(MemoryFileSystem(dict(files)))
    build(recorder, "/apps/web/overlays/prod")
    return recorder.record(INPUTS, commit="c1")


def test_record_holds_blob_ids_misses_and_kinds() -> None:
    record = render(BASE)
    assert record.files["/apps/web/base/deployment.yaml"] == git_blob_id(
        BASE["/apps/web/base/deployment.yaml"].encode()
    )
    assert "/apps/web/overlays/prod/kustomization.yml" in record.missing
    assert record.kinds["/apps/web/base"] is PathKind.DIR
    assert record.inputs_key == INPUTS.key and record.commit == "c1"


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({"/apps/api/base/kustomization.yaml": "resources: [x.yaml]\n"}, True),  # another app
        ({"/README.md": "changed\n"}, True),
        ({"/apps/web/other/new.yaml": "x: 1\n"}, True),  # a directory never looked at
        ({"/apps/web/base/deployment.yaml": "kind: Deployment\nmetadata: {name: api}\n"}, False),
        ({"/apps/web/overlays/prod/kustomization.yml": "resources: []\n"}, False),  # looked for, absent
        ({"/apps/web/base/Kustomization": "resources: []\n"}, False),
    ],
)
def test_which_changes_invalidate(change: dict[str, str], valid: bool) -> None:
    record = render(BASE)
    assert is_still_valid(record, MemoryFileSystem({**BASE, **change})) is valid


def test_a_deleted_file_invalidates() -> None:
    record = render(BASE)
    files = {k: v for k, v in BASE.items() if k != "/apps/web/base/deployment.yaml"}
    assert not is_still_valid(record, MemoryFileSystem(files))


def test_adding_a_file_to_a_listed_directory_invalidates() -> None:
    fs = MemoryFileSystem(dict(BASE))
    recorder = RecordingTree(fs)
    assert recorder.list_dir("/apps/web/base") == ["deployment.yaml", "kustomization.yaml"]
    record = recorder.record(INPUTS)
    assert is_still_valid(record, MemoryFileSystem(dict(BASE)))
    assert not is_still_valid(record, MemoryFileSystem({**BASE, "/apps/web/base/service.yaml": "x"}))
    assert is_still_valid(record, MemoryFileSystem({**BASE, "/apps/web/base/deployment.yaml": "other"}))


def test_other_inputs_invalidate() -> None:
    record = render(BASE)
    same = RenderInputs(INPUTS.repo_url, INPUTS.path)
    other = RenderInputs(INPUTS.repo_url, INPUTS.path, overrides={"namePrefix": "x-"})
    assert is_still_valid(record, MemoryFileSystem(dict(BASE)), same)
    assert not is_still_valid(record, MemoryFileSystem(dict(BASE)), other)


def test_inputs_key_ignores_key_order() -> None:
    a = RenderInputs("r", "p", overrides={"images": [{"name": "x", "newTag": "1"}], "namePrefix": "a-"})
    b = RenderInputs("r", "p", overrides={"namePrefix": "a-", "images": [{"newTag": "1", "name": "x"}]})
    assert a.key == b.key


def test_a_file_becoming_a_directory_invalidates() -> None:
    record = render(BASE)
    files = {k: v for k, v in BASE.items() if k != "/apps/web/base/deployment.yaml"}
    files["/apps/web/base/deployment.yaml/x"] = "y"
    assert not is_still_valid(record, MemoryFileSystem(files))


def test_cache_reuses_until_something_looked_at_changes() -> None:
    cache: RenderCache[list[str]] = RenderCache()
    key = ("fleetops", "web-prod")
    assert cache.lookup(key, MemoryFileSystem(dict(BASE)), INPUTS) is None
    cache.store(key, render(BASE), ["rendered"])
    assert cache.lookup(key, MemoryFileSystem(dict(BASE)), INPUTS, commit="c1") == ["rendered"]
    unrelated = MemoryFileSystem({**BASE, "/apps/api/x.yaml": "x"})
    assert cache.lookup(key, unrelated, INPUTS, commit="c2") == ["rendered"]
    touched = MemoryFileSystem({**BASE, "/apps/web/base/deployment.yaml": "changed"})
    assert cache.lookup(key, touched, INPUTS, commit="c3") is None
    assert cache.record_of(key) is None
    assert (cache.stats.hits, cache.stats.misses, cache.stats.invalidated) == (2, 1, 1)


def test_cache_is_bounded() -> None:
    cache: RenderCache[int] = RenderCache(max_entries=2)
    for n in range(3):
        cache.store(n, RenderRecord(inputs_key=INPUTS.key), n)
    assert len(cache) == 2 and cache.record_of(0) is None
