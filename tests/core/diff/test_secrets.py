"""Secret values never appear in a diff: keyed fingerprints, which keys changed, nothing else."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fleetops.core.diff import ResourceDiff, compare_app, diff, fingerprint, mask_secret
from fleetops.core.schema import load_schema
from fleetops.core.structured import StructuredMergeError
from fleetops.model.keys import ResourceKey

SCHEMA = load_schema("1.32")

DESIRED = yaml.safe_load(
    """
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
type: Opaque
stringData:
  username: shop
  password: s3cr3t-Passw0rd
"""
)

LIVE = yaml.safe_load(
    """
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  resourceVersion: "512"
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Secret","stringData":{"password":"s3cr3t-Passw0rd","username":"shop"}}
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1: {"f:stringData": {"f:password": {}, "f:username": {}}, "f:type": {}}
    manager: fleetops
    operation: Apply
type: Opaque
data:
  username: c2hvcA==
  password: czNjcjN0LVBhc3N3MHJk
"""
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(
    data: dict[str, str], *, string_data: bool = True, annotate: bool = False, applied: bool = False
) -> dict[str, Any]:
    """A Secret; ``applied``: live, its data keys owned by fleetops (applied before as ``data``)."""
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "db", "namespace": "shop"},
        "type": "Opaque",
    }
    if string_data:
        obj["stringData"] = dict(data)
    else:
        obj["data"] = {k: b64(v) for k, v in data.items()}
    if annotate:
        last = json.dumps({"apiVersion": "v1", "kind": "Secret", "stringData": data})
        obj["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": last}
    if applied:
        fields = {"f:data": {f"f:{k}": {} for k in data}, "f:type": {}}
        obj["metadata"]["managedFields"] = [
            {
                "manager": "fleetops",
                "operation": "Apply",
                "apiVersion": "v1",
                "fieldsType": "FieldsV1",
                "fieldsV1": fields,
            }
        ]
    return obj


def everything_shown(result: ResourceDiff) -> str:
    """Every text a user or a log could see from a diff."""
    return "\n".join(
        [
            result.render_diff(),
            yaml.safe_dump(result.predicted_live),
            yaml.safe_dump(result.normalized_live),
            *(str(change) for change in result.changes),
            repr(result),
        ]
    )


def test_string_data_equal_to_live_data_is_not_drift() -> None:
    result = diff(DESIRED, LIVE, schema=SCHEMA)
    assert not result.modified
    assert result.render_diff() == ""


def test_a_changed_value_shows_which_key_changed_and_no_value() -> None:
    desired = {**DESIRED, "stringData": {"username": "shop", "password": "n3w-Passw0rd!"}}
    result = diff(desired, LIVE, schema=SCHEMA)
    assert result.modified
    assert [(c.path, c.kind) for c in result.changes] == [(".data.password", "changed")]
    [change] = result.changes
    assert change.live == fingerprint("password", b"s3cr3t-Passw0rd")
    assert change.desired == fingerprint("password", b"n3w-Passw0rd!")
    shown = everything_shown(result)
    for value in (
        "s3cr3t-Passw0rd",
        "n3w-Passw0rd!",
        b64("s3cr3t-Passw0rd"),
        b64("n3w-Passw0rd!"),
        "c2hvcA==",
    ):
        assert value not in shown
    assert "-  password: ++++++++ (" in result.render_diff()
    assert "+  password: ++++++++ (" in result.render_diff()
    assert "username" in result.render_diff()  # unchanged keys show as context, masked


def test_added_and_removed_keys_are_named() -> None:
    live = secret({"username": "shop", "password": "old-pass-1234"}, string_data=False, applied=True)
    desired = secret({"username": "shop", "token": "tok-123456789"})
    result = diff(desired, live, schema=SCHEMA)
    assert [(c.path, c.kind) for c in result.changes] == [
        (".data.password", "removed"),
        (".data.token", "added"),
    ]
    assert "tok-123456789" not in everything_shown(result)
    assert "old-pass-1234" not in everything_shown(result)


def test_a_key_dropped_from_string_data_stays_as_the_api_server_keeps_it() -> None:
    """Server-side apply of stringData never deletes a data key: the live Secret keeps it."""
    desired = {**DESIRED, "stringData": {"username": "shop"}}
    assert not diff(desired, LIVE, schema=SCHEMA).modified


def test_fingerprints_are_keyed_not_plain_hashes() -> None:
    value = b"same-value-1234"
    assert fingerprint("a", value) != fingerprint("b", value)
    plain = hashlib.sha256(value).hexdigest()
    assert plain[:8] not in fingerprint("a", value)
    assert fingerprint("a", value).startswith("++++++++ (") and len(fingerprint("a", value)) == 19


def test_mask_secret_masks_data_string_data_and_last_applied() -> None:
    masked = mask_secret(secret({"password": "hunter2hunter2"}, annotate=True) | {"data": {"x": b64("abc")}})
    assert masked["stringData"] == {"password": fingerprint("password", b"hunter2hunter2")}
    assert masked["data"] == {"x": fingerprint("x", b"abc")}
    assert masked["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/last-applied-configuration": "++++++++"
    }
    assert "hunter2" not in yaml.safe_dump(masked)


def test_mask_secret_leaves_other_kinds_alone() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}}
    assert mask_secret(config) is config


def test_same_value_as_data_or_string_data_has_one_fingerprint() -> None:
    assert (
        mask_secret(secret({"k": "v-1"}))["stringData"]
        == mask_secret(secret({"k": "v-1"}, string_data=False))["data"]
    )


def test_a_missing_secret_is_shown_masked() -> None:
    result = diff(DESIRED, None, schema=SCHEMA)
    assert result.missing and result.modified
    assert "s3cr3t-Passw0rd" not in everything_shown(result)
    assert "password: ++++++++ (" in result.render_diff()


def test_comparison_errors_of_secrets_do_not_quote_values() -> None:
    bad = {**DESIRED, "type": {"not": "a string s3cr3t-Passw0rd"}}
    result = compare_app([bad], {ResourceKey("", "Secret", "shop", "db"): LIVE}, schema=SCHEMA)
    [entry] = result.resources
    assert entry.status == "Unknown" and entry.error is not None
    assert "s3cr3t" not in entry.error


# A prefix no output contains by itself (not hex, not a word), so any hit is a leak.
VALUES = st.text(
    alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", min_size=8, max_size=40
).map(lambda text: f"Xq7{text}")
KEYS = st.sampled_from(["password", "token", "api-key", "tls.key", "username"])


@settings(max_examples=150, deadline=None)
@given(
    live_data=st.dictionaries(KEYS, VALUES, max_size=4),
    desired_data=st.dictionaries(KEYS, VALUES, max_size=4),
    string_data=st.booleans(),
    annotate=st.booleans(),
    exists=st.booleans(),
)
def test_random_secret_values_never_appear(
    live_data: dict[str, str],
    desired_data: dict[str, str],
    string_data: bool,
    annotate: bool,
    exists: bool,
) -> None:
    live = secret(live_data, string_data=False, annotate=annotate, applied=True) if exists else None
    desired = secret(desired_data, string_data=string_data)
    result = diff(desired, live, schema=SCHEMA)
    shown = everything_shown(result)
    for value in [*live_data.values(), *desired_data.values()]:
        assert value not in shown
        assert b64(value) not in shown
    assert result.modified == (live is None or live_data != desired_data)
    named = {c.path for c in result.changes}
    if live is not None and result.modified:
        differing = {k for k in set(live_data) | set(desired_data) if live_data.get(k) != desired_data.get(k)}
        assert named == {_path(k) for k in differing} or named == {".data"}


def _path(key: str) -> str:
    return f".data.{key}" if key.replace("_", "a").isalnum() else f'.data."{key}"'


@pytest.mark.parametrize("key", ["tls.key", "api-key"])
def test_keys_with_dots_and_dashes_are_quoted_in_paths(key: str) -> None:
    live = secret({key: "old-value-123"}, string_data=False)
    result = diff(secret({key: "new-value-456"}), live, schema=SCHEMA)
    assert [c.path for c in result.changes] == [f'.data."{key}"']


def test_a_secret_that_does_not_fit_the_schema_names_the_path_not_the_value() -> None:
    bad = {**DESIRED, "stringData": None, "data": {"password": 12345678901}}
    for live in (LIVE, None):
        with pytest.raises(StructuredMergeError) as raised:
            diff(bad, live, schema=SCHEMA)
        assert "12345678901" not in str(raised.value)
        assert ".data.password" in str(raised.value)
