"""Kubernetes' protobuf encoding, for the request bodies kubectl's typed clients send.

`kubectl create namespace|configmap|secret|serviceaccount|token|deployment|job` encode their object as
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
    pointer: bool = False
    """A Go pointer field: an explicit zero or false is kept (others omit zero values, like omitempty)."""


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
        6: Field("controller", "bool", pointer=True),
        7: Field("blockOwnerDeletion", "bool", pointer=True),
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
        10: Field("deletionGracePeriodSeconds", "varint", pointer=True),
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
        4: Field("immutable", "bool", pointer=True),
    }


def _secret() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("data", "bytesmap"),
        3: Field("type", "string"),
        4: Field("stringData", "map"),
        5: Field("immutable", "bool", pointer=True),
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
        4: Field("automountServiceAccountToken", "bool", pointer=True),
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
        4: Field("expirationSeconds", "varint", pointer=True),
        3: Field("boundObjectRef", "message", message=_bound_object),
    }


def _token_request() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("spec", "message", message=_token_request_spec),
        3: Field("status", "skip"),
    }


def _selector_requirement() -> dict[int, Field]:
    return {
        1: Field("key", "string"),
        2: Field("operator", "string"),
        3: Field("values", "string", repeated=True),
    }


def _label_selector() -> dict[int, Field]:
    return {
        1: Field("matchLabels", "map"),
        2: Field("matchExpressions", "message", repeated=True, message=_selector_requirement),
    }


def _container_port() -> dict[int, Field]:
    return {
        1: Field("name", "string"),
        2: Field("hostPort", "varint"),
        3: Field("containerPort", "varint"),
        4: Field("protocol", "string"),
        5: Field("hostIP", "string"),
    }


def _env_var() -> dict[int, Field]:
    return {1: Field("name", "string"), 2: Field("value", "string")}


def _container() -> dict[int, Field]:
    return {
        1: Field("name", "string"),
        2: Field("image", "string"),
        3: Field("command", "string", repeated=True),
        4: Field("args", "string", repeated=True),
        5: Field("workingDir", "string"),
        6: Field("ports", "message", repeated=True, message=_container_port),
        7: Field("env", "message", repeated=True, message=_env_var),
        8: Field("resources", "skip"),
        13: Field("terminationMessagePath", "string"),
        14: Field("imagePullPolicy", "string"),
        16: Field("stdin", "bool"),
        17: Field("stdinOnce", "bool"),
        18: Field("tty", "bool"),
        20: Field("terminationMessagePolicy", "string"),
    }


def _pod_spec() -> dict[int, Field]:
    return {
        2: Field("containers", "message", repeated=True, message=_container),
        3: Field("restartPolicy", "string"),
        4: Field("terminationGracePeriodSeconds", "varint", pointer=True),
        6: Field("dnsPolicy", "string"),
        7: Field("nodeSelector", "map"),
        8: Field("serviceAccountName", "string"),
        10: Field("nodeName", "string"),
        19: Field("schedulerName", "string"),
        20: Field("initContainers", "message", repeated=True, message=_container),
    }


def _pod_template() -> dict[int, Field]:
    return {
        1: Field("metadata", "message", message=_object_meta),
        2: Field("spec", "message", message=_pod_spec),
    }


def _deployment_strategy() -> dict[int, Field]:
    return {1: Field("type", "string")}


def _deployment_spec() -> dict[int, Field]:
    return {
        1: Field("replicas", "varint", pointer=True),
        2: Field("selector", "message", message=_label_selector),
        3: Field("template", "message", message=_pod_template),
        4: Field("strategy", "message", message=_deployment_strategy),
        5: Field("minReadySeconds", "varint"),
        6: Field("revisionHistoryLimit", "varint", pointer=True),
        7: Field("paused", "bool"),
        9: Field("progressDeadlineSeconds", "varint", pointer=True),
    }


def _deployment() -> dict[int, Field]:
    return {
        **_metadata_only(),
        2: Field("spec", "message", message=_deployment_spec),
        3: Field("status", "skip"),
    }


def _job_spec() -> dict[int, Field]:
    return {
        1: Field("parallelism", "varint", pointer=True),
        2: Field("completions", "varint", pointer=True),
        3: Field("activeDeadlineSeconds", "varint", pointer=True),
        4: Field("selector", "message", message=_label_selector),
        5: Field("manualSelector", "bool", pointer=True),
        6: Field("template", "message", message=_pod_template),
        7: Field("backoffLimit", "varint", pointer=True),
        8: Field("ttlSecondsAfterFinished", "varint", pointer=True),
        9: Field("completionMode", "string"),
        10: Field("suspend", "bool", pointer=True),
    }


def _job() -> dict[int, Field]:
    return {**_metadata_only(), 2: Field("spec", "message", message=_job_spec), 3: Field("status", "skip")}


KINDS: dict[tuple[str, str], Callable[[], dict[int, Field]]] = {
    ("apps/v1", "Deployment"): _deployment,
    ("batch/v1", "Job"): _job,
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
            if number_value >= 1 << 63:
                number_value -= 1 << 64  # a negative int64 (two's complement varint)
            if not number_value and not spec.pointer and not spec.repeated:
                continue
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
