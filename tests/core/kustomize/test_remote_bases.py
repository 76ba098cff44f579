"""Remote bases: kustomize v5's Git URL forms, and builds that read them through a resolver."""

from __future__ import annotations

import pytest

from fleetops.core.kustomize import (
    BuildOptions,
    KustomizeError,
    MemoryFileSystem,
    RemoteDisabledError,
    RemoteNeededError,
    RemoteTree,
    RemoteUse,
    build,
    parse_repo_spec,
)


@pytest.mark.parametrize(
    ("text", "clone_url", "root", "ref"),
    [
        ("github.com/org/repo//path?ref=v1", "https://github.com/org/repo", "path", "v1"),
        ("github.com/org/repo/path/deeper?ref=v1", "https://github.com/org/repo", "path/deeper", "v1"),
        ("https://github.com/org/repo", "https://github.com/org/repo", "", ""),
        ("git@github.com:org/repo.git/path?version=v2", "git@github.com:org/repo.git", "path", "v2"),
        ("ssh://git@github.com/org/repo//p", "git@github.com:org/repo", "p", ""),
        ("https://host.example/org/repo.git//path?ref=x", "https://host.example/org/repo.git", "path", "x"),
        ("https://host.example:8443/org/repo.git//a/b", "https://host.example:8443/org/repo.git", "a/b", ""),
        (
            "http://127.0.0.1:3000/org/repo.git//base?ref=v1",
            "http://127.0.0.1:3000/org/repo.git",
            "base",
            "v1",
        ),
        ("git@gitlab.com:group/repo.git//x?ref=main", "git@gitlab.com:group/repo.git", "x", "main"),
        ("ssh://git@host.example:2222/org/repo.git//x", "ssh://git@host.example:2222/org/repo.git", "x", ""),
        ("file:///srv/git/repo.git//base?ref=v1", "file:///srv/git/repo.git", "base", "v1"),
        ("file:///srv/git/repo", "file:///srv/git/repo", "", ""),
        ("git::https://host.example/org/repo.git//x", "https://host.example/org/repo.git", "x", ""),
        (
            "https://dev.azure.com/org/project/_git/repo/path?ref=main",
            "https://dev.azure.com/org/project/_git/repo",
            "path",
            "main",
        ),
        (
            "https://host.example/org/repo/path?ref=v1&version=v2",
            "https://host.example/org/repo",
            "path",
            "v1",
        ),
    ],
)
def test_git_url_forms(text: str, clone_url: str, root: str, ref: str) -> None:
    spec = parse_repo_spec(text)
    assert spec is not None
    assert (spec.clone_url, spec.root, spec.ref) == (clone_url, root, ref)


@pytest.mark.parametrize(
    "text",
    ["base", "../base", "deployment.yaml", "/abs/path", "gitlab.com/org/repo", "git@x.yaml", "./github"],
)
def test_local_paths_are_not_remote(text: str) -> None:
    assert parse_repo_spec(text) is None


def test_query_options() -> None:
    spec = parse_repo_spec("https://h.example/o/r.git//p?ref=v1&timeout=2m30s&submodules=false")
    assert spec is not None
    assert (spec.timeout, spec.submodules) == (150.0, False)
    spec = parse_repo_spec("https://h.example/o/r.git//p?timeout=61")
    assert spec is not None and spec.timeout == 61.0


CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n"
URL = "https://git.example/org/bases.git"


class FakeResolver:
    """Trees by (url, ref); `fetched` plays the adapter: only fetched trees are at hand."""

    def __init__(self, trees: dict[tuple[str, str], MemoryFileSystem]) -> None:
        self.trees = trees
        self.fetched: set[tuple[str, str]] = set()

    def tree(self, url: str, ref: str) -> RemoteTree | None:
        if (url, ref) not in self.fetched:
            return None
        if (url, ref) not in self.trees:
            raise KustomizeError(f"remote base {url}: ref {ref!r} not found in the repository")
        return RemoteTree(self.trees[url, ref], f"{ref:0<40}"[:40])


def _build_fetching(fs: MemoryFileSystem, path: str, resolver: FakeResolver) -> tuple[list[str], int]:
    options = BuildOptions(remote=resolver)
    for rounds in range(10):
        try:
            result = build(fs, path, options)
        except RemoteNeededError as needed:
            resolver.fetched |= {(r.url, r.ref) for r in needed.requests}
            continue
        return [m["metadata"]["name"] for m in result.manifests], rounds
    raise AssertionError("never finished")


def test_a_remote_base_is_requested_then_built() -> None:
    remote = MemoryFileSystem(
        {
            "/base/kustomization.yaml": "resources:\n- cm.yaml\nnamePrefix: b-\n",
            "/base/cm.yaml": CM.format(name="c"),
        }
    )
    app = MemoryFileSystem({"/app/kustomization.yaml": f"resources:\n- {URL}//base?ref=v1\nnamePrefix: o-\n"})
    resolver = FakeResolver({(URL, "v1"): remote})
    with pytest.raises(RemoteNeededError) as needed:
        build(app, "/app", BuildOptions(remote=resolver))
    assert [(r.url, r.ref) for r in needed.value.requests] == [(URL, "v1")]
    resolver.fetched.add((URL, "v1"))
    result = build(app, "/app", BuildOptions(remote=resolver))
    assert [m["metadata"]["name"] for m in result.manifests] == ["o-b-c"]
    assert result.remotes == (RemoteUse(URL, "v1", f"{'v1':0<40}"),)
    assert "/app/kustomization.yaml" in result.files_read


def test_all_remotes_of_one_level_are_asked_for_together_and_nested_ones_next() -> None:
    other = "https://git.example/org/other.git"
    nested = MemoryFileSystem(
        {"/k/kustomization.yaml": "resources:\n- cm.yaml\n", "/k/cm.yaml": CM.format(name="n")}
    )
    first = MemoryFileSystem({"/a/kustomization.yaml": f"resources:\n- {other}//k?ref=v2\nnameSuffix: -a\n"})
    second = MemoryFileSystem(
        {"/kustomization.yaml": "resources:\n- cm.yaml\n", "/cm.yaml": CM.format(name="s")}
    )
    operation = '[{"op": "add", "path": "/data/x", "value": "y"}]'
    patch = f"patches:\n- patch: '{operation}'\n  target: {{kind: ConfigMap}}\n"
    app = MemoryFileSystem(
        {
            "/app/kustomization.yaml": f"resources:\n- {URL}//a?ref=v1\n- {URL}?ref=main\n- x.yaml\n{patch}",
            "/app/x.yaml": CM.format(name="l"),
        }
    )
    resolver = FakeResolver({(URL, "v1"): first, (URL, "main"): second, (other, "v2"): nested})
    names, rounds = _build_fetching(app, "/app", resolver)
    assert names == ["l", "n-a", "s"]
    assert rounds == 2


def test_remote_bases_are_refused_when_not_enabled() -> None:
    app = MemoryFileSystem({"/app/kustomization.yaml": f"resources:\n- {URL}//base?ref=v1\n"})
    with pytest.raises(KustomizeError, match="remote resources are not enabled") as error:
        build(app, "/app")
    assert URL in str(error.value)
    assert not isinstance(error.value, RemoteNeededError)
    components = MemoryFileSystem({"/app/kustomization.yaml": f"components:\n- {URL}//c\n"})
    with pytest.raises(RemoteDisabledError):
        try:
            build(components, "/app")
        except KustomizeError as wrapped:
            raise RemoteDisabledError(str(wrapped)) from None


def test_a_failed_fetch_names_the_url() -> None:
    app = MemoryFileSystem({"/app/kustomization.yaml": f"resources:\n- {URL}//base?ref=nope\n"})
    resolver = FakeResolver({})
    resolver.fetched.add((URL, "nope"))
    with pytest.raises(KustomizeError, match="ref 'nope' not found") as error:
        build(app, "/app", BuildOptions(remote=resolver))
    assert URL in str(error.value)


def test_a_missing_directory_in_the_remote_repository() -> None:
    app = MemoryFileSystem({"/app/kustomization.yaml": f"resources:\n- {URL}//nowhere?ref=v1\n"})
    resolver = FakeResolver({(URL, "v1"): MemoryFileSystem({"/base/kustomization.yaml": ""})})
    resolver.fetched.add((URL, "v1"))
    with pytest.raises(KustomizeError, match="'nowhere' is not a directory in the repository"):
        build(app, "/app", BuildOptions(remote=resolver))


@pytest.mark.parametrize(
    ("kustomization", "message"),
    [
        ("resources:\n- ../shared/cm.yaml\n", "is not in or below '/base'"),
        ("resources:\n- ../../../etc\n", "must be within the repo"),
    ],
)
def test_load_restrictions_hold_inside_a_remote_base(kustomization: str, message: str) -> None:
    remote = MemoryFileSystem(
        {"/base/kustomization.yaml": kustomization, "/shared/cm.yaml": CM.format(name="s")}
    )
    app = MemoryFileSystem({"/app/kustomization.yaml": f"resources:\n- {URL}//base?ref=v1\n"})
    resolver = FakeResolver({(URL, "v1"): remote})
    resolver.fetched.add((URL, "v1"))
    # even when the top build allows loading from anywhere, as kustomize does for clones
    options = BuildOptions(remote=resolver, load_restrictor="LoadRestrictionsNone")
    with pytest.raises(KustomizeError, match=message):
        build(app, "/app", options)


def test_a_remote_base_can_use_its_own_local_bases() -> None:
    remote = MemoryFileSystem(
        {
            "/overlay/kustomization.yaml": "resources:\n- ../base\nnamePrefix: ov-\n",
            "/base/kustomization.yaml": "resources:\n- cm.yaml\n",
            "/base/cm.yaml": CM.format(name="c"),
        }
    )
    app = MemoryFileSystem({"/app/kustomization.yaml": f"resources:\n- {URL}//overlay?ref=v1\n"})
    names, _ = _build_fetching(app, "/app", FakeResolver({(URL, "v1"): remote}))
    assert names == ["ov-c"]


def test_a_remote_cycle_is_refused() -> None:
    remote = MemoryFileSystem({"/base/kustomization.yaml": f"resources:\n- {URL}//base?ref=v1\n"})
    app = MemoryFileSystem({"/app/kustomization.yaml": f"resources:\n- {URL}//base?ref=v1\n"})
    resolver = FakeResolver({(URL, "v1"): remote})
    with pytest.raises(KustomizeError, match="cycle detected"):
        _build_fetching(app, "/app", resolver)
