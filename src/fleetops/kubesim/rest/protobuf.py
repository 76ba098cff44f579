"""Kubernetes' protobuf encoding, for the request bodies kubectl's typed clients send.

`kubectl create namespace|configmap|secret|serviceaccount|token` encode their object as
`application/vnd.kubernetes.protobuf`: the magic `k8s\\x00`, then a `runtime.Unknown` holding the
type meta and the object's own message. Decoding needs each kind's field numbers (from the
`generated.proto` files of k8s.io/api); this module knows the kinds those commands send. Any other
kind is answered with 415, as a server that does not speak protobuf would.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fleetops.kubesim import errors

MEDIA_TYPE = "application/vnd.kubernetes.protobuf"
MAGIC = b"k8s\x00"

Manifest = dict[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    """string, bytes, varint, bool, message, map, bytesmap, skip."""
    repeated: bool = False
    message: Callable[[], dict[int, Field]] | None = None


def _type_meta() -> dict[int, Field]:
    return {1: Field("apiVersion", "string"), 2: Field("kind", "string")}


def _unknown() -> dict[int, Field]:
    return {
        1: Field("typeMeta", "message", message=_type_meta),
        2: Field("raw", "bytes"),
        3: Field("contentEncoding", "string"),
        4: Field("contentType", "string"),
    }


def _owner_reference() -> dict[int, Field]:
    return {
        1: Field("kind", "string"),
        3: Field("name", "string"),
        4: Field("uid", "string"),
        5: Field("apiVersion", "string"),
        6: Field("controller", "bool"),
        7: Field("blockOwnerDeletion", "bool"),
    }


def _object_meta() -> dict[int, Field]:
    return {
        1: Field("name", "string"),
        2: Field("generateName", "string"),
        3: Field("namespace", "string"),
        5: Field("uid", "string"),
        6: Field("resourceVersion", "string"),
        7: Field("generation", "varint"),
        8: Field("creationTimestamp", "skip"),
        9: Field("deletionTimestamp", "skip"),
        10: Field("deletionGracePeriodSeconds", "varint"),
        11: Field("labels", "map"),
        12: Field("annotations", "map"),
        13: Field("ownerReferences", "message", repeated=True, message=_owner_reference),
        14: Field("finalizers", "string", repeated=True),
        17: Field("managedFields", "skip"),
    }


def _metadata_only() -> dict[int, Field]:
    return {1: Field("metadata", "message", message=_object_meta)}


def _namespace_spec() -> dict[int, Field]:
    return {1: Field("finalizers", "string", repeated=True)}


def _namespace() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("spec", "message", message=_namespace_spec),
        3: Field("status", "skip"),
    }


def _config_map() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("data", "map"),
        3: Field("binaryData", "bytesmap"),
        4: Field("immutable", "bool"),
    }


def _secret() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("data", "bytesmap"),
        3: Field("type", "string"),
        4: Field("stringData", "map"),
        5: Field("immutable", "bool"),
    }


def _local_reference() -> dict[int, Field]:
    return {1: Field("name", "string")}


def _object_reference() -> dict[int, Field]:
    return {
        1: Field("kind", "string"),
        2: Field("namespace", "string"),
        3: Field("name", "string"),
        4: Field("uid", "string"),
        5: Field("apiVersion", "string"),
    }


def _service_account() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("secrets", "message", repeated=True, message=_object_reference),
        3: Field("imagePullSecrets", "message", repeated=True, message=_local_reference),
        4: Field("automountServiceAccountToken", "bool"),
    }


def _bound_object() -> dict[int, Field]:
    return {
        1: Field("kind", "string"),
        2: Field("apiVersion", "string"),
        3: Field("name", "string"),
        4: Field("uid", "string"),
    }


def _token_request_spec() -> dict[int, Field]:
    return {
        1: Field("audiences", "string", repeated=True),
        4: Field("expirationSeconds", "varint"),
        3: Field("boundObjectRef", "message", message=_bound_object),
    }


def _token_request() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("spec", "message", message=_token_request_spec),
        3: Field("status", "skip"),
    }


KINDS: dict[tuple[str, str], Callable[[], dict[int, Field]]] = {
    ("v1", "Namespace"): _namespace,
    ("v1", "ConfigMap"): _config_map,
    ("v1", "Secret"): _secret,
    ("v1", "ServiceAccount"): _service_account,
    ("authentication.k8s.io/v1", "TokenRequest"): _token_request,
}


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def varint(self) -> int:
        shift = result = 0
        while True:
            if self.pos >= len(self.data):
                raise ValueError("truncated varint")
            byte = self.data[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    def chunk(self) -> bytes:
        length = self.varint()
        if self.pos + length > len(self.data):
            raise ValueError("truncated field")
        value = self.data[self.pos : self.pos + length]
        self.pos += length
        return value

    def skip(self, wire: int) -> None:
        if wire == 0:
            self.varint()
        elif wire == 2:
            self.chunk()
        elif wire == 1:
            self.pos += 8
        elif wire == 5:
            self.pos += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")


def _map_entry(raw: bytes, *, binary: bool) -> tuple[str, str]:
    reader = _Reader(raw)
    key, value = "", ""
    while reader.pos < len(raw):
        tag = reader.varint()
        number, wire = tag >> 3, tag & 7
        if wire != 2:
            reader.skip(wire)
            continue
        data = reader.chunk()
        if number == 1:
            key = data.decode()
        elif number == 2:
            value = base64.b64encode(data).decode() if binary else data.decode()
    return key, value


def decode_message(raw: bytes, fields: dict[int, Field]) -> Manifest:
    reader = _Reader(raw)
    out: Manifest = {}
    while reader.pos < len(raw):
        tag = reader.varint()
        number, wire = tag >> 3, tag & 7
        spec = fields.get(number)
        if spec is None or spec.kind == "skip":
            reader.skip(wire)
            continue
        value: Any
        if spec.kind in ("varint", "bool"):
            number_value = reader.varint()
            value = bool(number_value) if spec.kind == "bool" else number_value
        elif spec.kind in ("map", "bytesmap"):
            key, item = _map_entry(reader.chunk(), binary=spec.kind == "bytesmap")
            out.setdefault(spec.name, {})[key] = item
            continue
        elif spec.kind == "message":
            assert spec.message is not None
            value = decode_message(reader.chunk(), spec.message())
        elif spec.kind == "bytes":
            value = reader.chunk()
        else:
            value = reader.chunk().decode()
            if not value and not spec.repeated:
                continue  # Go strings: empty means unset (omitempty in JSON)
        if spec.repeated:
            out.setdefault(spec.name, []).append(value)
        else:
            out[spec.name] = value
    return out


def decode(raw: bytes) -> Manifest:
    """The object in a protobuf body; 415 for kinds this module does not know, 400 when malformed."""
    if not raw.startswith(MAGIC):
        raise errors.bad_request(
            "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
        )
    try:
        envelope = decode_message(raw[len(MAGIC) :], _unknown())
        type_meta = envelope.get("typeMeta") or {}
        key = (str(type_meta.get("apiVersion", "")), str(type_meta.get("kind", "")))
        fields = KINDS.get(key)
        if fields is None:
            raise errors.ApiError(
                415,
                "UnsupportedMediaType",
                f"kubesim cannot decode {key[1]} ({key[0]}) from protobuf; send JSON or YAML",
            )
        body = decode_message(bytes(envelope.get("raw") or b""), fields())
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"unable to decode protobuf body: {exc}") from exc
    return {"apiVersion": key[0], "kind": key[1], **body}
