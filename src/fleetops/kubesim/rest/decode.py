"""Request bodies: JSON or YAML, checked against the resource the URL names."""

from __future__ import annotations

import json
from typing import Any

import yaml

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.rest import protobuf

Manifest = dict[str, Any]
_ACCEPTED = ("application/json", "application/yaml", protobuf.MEDIA_TYPE)


def is_yaml(content_type: str) -> bool:
    return content_type.split(";", maxsplit=1)[0].strip().endswith("yaml")


def decode_document(raw: bytes, content_type: str) -> Any:
    """Parse a body; malformed input is a 400 with the decoder's message."""
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    if media == protobuf.MEDIA_TYPE:
        return protobuf.decode(raw)
    if media and media not in _ACCEPTED and not media.endswith(("+json", "+yaml")):
        raise errors.ApiError(
            415,
            "UnsupportedMediaType",
            f"the body of the request was in an unknown format - accepted media types include: "
            f"{', '.join(_ACCEPTED)}",
        )
    if is_yaml(content_type):
        try:
            return yaml.safe_load(raw.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise errors.bad_request(f"error converting YAML to JSON: yaml: {_yaml_problem(exc)}") from exc
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(
            f"couldn't get version/kind; json parse error: {_json_problem(exc)}"
        ) from exc


def decode_object(raw: bytes, content_type: str, info: ResourceInfo) -> Manifest:
    """A body that must be one object of the URL's resource; a missing apiVersion/kind is defaulted."""
    document = decode_document(raw, content_type)
    if not isinstance(document, dict):
        raise errors.bad_request(
            f"couldn't get version/kind; json parse error: json: cannot unmarshal {_json_type(document)} "
            'into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
            'Kind string "json:\\"kind,omitempty\\"" }'
        )
    check_kind(document, info)
    return document


def check_kind(document: Manifest, info: ResourceInfo) -> None:
    expected = info.gvk
    api_version = document.get("apiVersion") or expected.api_version
    kind = document.get("kind") or expected.kind
    if not isinstance(api_version, str) or not isinstance(kind, str):
        raise errors.bad_request(
            "couldn't get version/kind; json parse error: apiVersion and kind must be strings"
        )
    if api_version != expected.api_version:
        raise errors.bad_request(
            f"the API version in the data ({api_version}) does not match the expected API version "
            f"({expected.api_version})"
        )
    if kind != expected.kind:
        if not info.builtin:  # as the API server answers for custom resources
            name = str((document.get("metadata") or {}).get("name") or "")
            raise errors.invalid(
                kind,
                expected.group,
                name,
                [
                    errors.Cause(
                        "FieldValueInvalid", f'Invalid value: "{kind}": must be {expected.kind}', "kind"
                    )
                ],
            )
        raise errors.bad_request(
            f"the kind in the data ({kind}) does not match the expected kind ({expected.kind})"
        )
    document["apiVersion"] = api_version
    document["kind"] = kind


def _json_problem(exc: Exception) -> str:
    text = str(exc)
    if "Expecting value" in text:
        return "invalid character looking for beginning of value"
    return text


def _yaml_problem(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"line {mark.line + 1}: {problem}"
    return str(problem)


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return "null"
