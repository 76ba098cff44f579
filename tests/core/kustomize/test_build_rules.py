"""Load restrictions, errors naming the file, and the read log, on small in-memory trees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fleetops.adapters.kustomize_disk import DiskFileSystem
from fleetops.core.kustomize import (
    LOAD_RESTRICTIONS_NONE,
    BuildOptions,
    KustomizeError,
    MemoryFileSystem,
    build,
)

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: b\n"


def _fs(files: dict[str, str]) -> MemoryFileSystem:
    return MemoryFileSystem({path: content for path, content in files.items()})


def test_file_outside_the_root_is_refused_by_default() -> None:
    fs = _fs(
        {
            "/app/kustomization.yaml": "resources:\n- ../shared/cm.yaml\n",
            "/shared/cm.yaml": CM.format(name="x"),
        }
    )
    with pytest.raises(KustomizeError, match=r"security; file '/shared/cm.yaml' is not in or below '/app'"):
        build(fs, "/app")


def test_load_restrictions_none_allows_it() -> None:
    fs = _fs(
        {
            "/app/kustomization.yaml": "resources:\n- ../shared/cm.yaml\n",
            "/shared/cm.yaml": CM.format(name="x"),
        }
    )
    result = build(fs, "/app", BuildOptions(load_restrictor=LOAD_RESTRICTIONS_NONE))
    assert [m["metadata"]["name"] for m in result.manifests] == ["x"]


def test_symlink_escaping_the_file_system_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(CM.format(name="secret"))
    root = tmp_path / "repo"
    root.mkdir()
    (root / "kustomization.yaml").write_text("resources:\n- link.yaml\n")
    os.symlink(outside, root / "link.yaml")
    with pytest.raises(KustomizeError, match="outside the file system root"):
        build(DiskFileSystem(root), "/", BuildOptions(load_restrictor=LOAD_RESTRICTIONS_NONE))


def test_missing_resource_names_the_file() -> None:
    fs = _fs({"/app/kustomization.yaml": "resources:\n- nope.yaml\n"})
    with pytest.raises(KustomizeError, match=r"accumulating resources.*nope.yaml"):
        build(fs, "/app")


def test_malformed_yaml_names_the_file() -> None:
    fs = _fs({"/app/kustomization.yaml": "resources:\n- bad.yaml\n", "/app/bad.yaml": "a: [b\n"})
    with pytest.raises(
        KustomizeError, match=r"accumulating resources from 'bad.yaml': MalformedYAMLError.*in File: bad.yaml"
    ):
        build(fs, "/app")


def test_unknown_kustomization_field() -> None:
    fs = _fs({"/app/kustomization.yaml": "resourcez:\n- a.yaml\n"})
    with pytest.raises(KustomizeError, match='unknown field "resourcez"'):
        build(fs, "/app")


def test_duplicate_resource_ids() -> None:
    fs = _fs(
        {
            "/app/kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n",
            "/app/a.yaml": CM.format(name="x"),
            "/app/b.yaml": CM.format(name="x"),
        }
    )
    with pytest.raises(KustomizeError, match=r"already registered id: ConfigMap.v1.\[noGrp\]/x.\[noNs\]"):
        build(fs, "/app")


def test_patch_matching_nothing() -> None:
    fs = _fs(
        {
            "/app/kustomization.yaml": "resources:\n- a.yaml\npatchesStrategicMerge:\n- p.yaml\n",
            "/app/a.yaml": CM.format(name="x"),
            "/app/p.yaml": CM.format(name="other"),
        }
    )
    with pytest.raises(KustomizeError, match=r"no matches for Id ConfigMap.v1.\[noGrp\]/other"):
        build(fs, "/app")


def test_cycle_is_an_error() -> None:
    fs = _fs(
        {"/a/kustomization.yaml": "resources:\n- ../b\n", "/b/kustomization.yaml": "resources:\n- ../a\n"}
    )
    with pytest.raises(KustomizeError, match="cycle detected"):
        build(fs, "/a")


def test_remote_resources_are_not_enabled() -> None:
    fs = _fs({"/app/kustomization.yaml": "resources:\n- github.com/org/repo//path?ref=v1\n"})
    with pytest.raises(KustomizeError, match="remote resources are not enabled"):
        build(fs, "/app")


def test_helm_charts_are_refused_clearly() -> None:
    fs = _fs({"/app/kustomization.yaml": "helmCharts:\n- name: x\n"})
    with pytest.raises(KustomizeError, match="helm charts are not enabled"):
        build(fs, "/app")


def test_generated_name_hash_and_reference() -> None:
    fs = _fs(
        {
            "/app/kustomization.yaml": (
                "resources:\n- pod.yaml\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - a=b\n"
            ),
            "/app/pod.yaml": (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"
                "    envFrom:\n    - configMapRef:\n        name: cfg\n"
            ),
        }
    )
    manifests = build(fs, "/app").manifests
    generated = next(m for m in manifests if m["kind"] == "ConfigMap")["metadata"]["name"]
    assert generated.startswith("cfg-") and len(generated) == len("cfg-") + 10
    pod = next(m for m in manifests if m["kind"] == "Pod")
    assert pod["spec"]["containers"][0]["envFrom"][0]["configMapRef"]["name"] == generated


def test_read_log_lists_missing_kustomization_names() -> None:
    fs = _fs({"/app/kustomization.yaml": "resources:\n- a.yaml\n", "/app/a.yaml": CM.format(name="x")})
    result = build(fs, "/app")
    assert set(result.files_read) == {"/app/kustomization.yaml", "/app/a.yaml"}
    assert {"/app/kustomization.yml", "/app/Kustomization"} <= result.missing


@pytest.mark.parametrize(
    ("kustomization", "message"),
    [
        (
            "commonLabels:\n  a: yes\n",
            "cannot unmarshal bool into Go struct field Kustomization.commonLabels",
        ),
        ("namePrefix: 12\n", "cannot unmarshal number into Go struct field Kustomization.namePrefix"),
        (
            "images:\n- name: x\n  newTag: 2\n",
            "cannot unmarshal number into Go struct field Image.images.newTag",
        ),
        ("replicas:\n- name: x\n  count: '3'\n", "Replica.replicas.count of type int64"),
    ],
)
def test_kustomization_field_types(kustomization: str, message: str) -> None:
    fs = _fs({"/app/kustomization.yaml": kustomization})
    with pytest.raises(KustomizeError, match=message):
        build(fs, "/app")


def test_map_keys_must_be_strings() -> None:
    fs = _fs(
        {"/app/kustomization.yaml": "resources:\n- a.yaml\n", "/app/a.yaml": CM.format(name="x") + "  ~: y\n"}
    )
    with pytest.raises(KustomizeError, match="unsupported type"):
        build(fs, "/app")


def _two_containers(api_version: str, kind: str) -> str:
    return (
        f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n"
        "      containers:\n      - name: a\n        image: a\n      - name: b\n        image: b\n"
    )


@pytest.mark.parametrize(
    ("api_version", "kind", "merged"),
    [
        ("apps/v1", "Deployment", True),
        ("batch/v1beta1", "Job", False),  # never a built-in version: no merge metadata
        ("extensions/v1beta1", "Deployment", False),  # gone before Kubernetes 1.21, as in kustomize
    ],
)
def test_strategic_merge_metadata_follows_kustomize_schema(api_version: str, kind: str, merged: bool) -> None:
    patch = (
        f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n"
        "      containers:\n      - name: b\n        image: new\n"
    )
    fs = _fs(
        {
            "/app/kustomization.yaml": "resources:\n- w.yaml\npatches:\n- path: p.yaml\n",
            "/app/w.yaml": _two_containers(api_version, kind),
            "/app/p.yaml": patch,
        }
    )
    [workload] = build(fs, "/app").manifests
    names = [c["name"] for c in workload["spec"]["template"]["spec"]["containers"]]
    assert names == (["b", "a"] if merged else ["b"])


def test_json_patch_replace_of_a_missing_key_adds_it() -> None:
    fs = _fs(
        {
            "/app/kustomization.yaml": (
                "resources:\n- a.yaml\npatches:\n- target:\n    kind: ConfigMap\n"
                '  patch: \'[{"op": "replace", "path": "/data/new", "value": "v"}]\'\n'
            ),
            "/app/a.yaml": CM.format(name="x"),
        }
    )
    [cm] = build(fs, "/app").manifests
    assert cm["data"] == {"a": "b", "new": "v"}
