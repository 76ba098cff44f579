"""Type checks of kustomization fields, with the messages of Go's JSON decoding kustomize uses
(`json: cannot unmarshal bool into Go struct field Kustomization.commonLabels of type string`)."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.errors import KustomizeError

_STRINGS = ("namePrefix", "nameSuffix", "namespace")
_STRING_MAPS = ("commonLabels", "commonAnnotations")
_STRING_LISTS = ("resources", "components", "bases", "crds", "configurations", "patchesStrategicMerge")
_IMAGE_FIELDS = ("name", "newName", "newTag", "digest")


def _json_kind(value: Any) -> str | None:
    """Go's name for a decoded JSON value that is not a string (None for a string or null)."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object"


def _fail(kind: str, field: str, expected: str = "string") -> KustomizeError:
    return KustomizeError(
        "invalid Kustomization: json: "
        f"cannot unmarshal {kind} into Go struct field {field} of type {expected}"
    )


def _string(value: Any, field: str) -> None:
    kind = _json_kind(value)
    if kind is not None:
        raise _fail(kind, field)


def _string_map(value: Any, field: str) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _string(item, field)


def check_types(data: dict[str, Any]) -> None:
    for name in _STRINGS:
        _string(data.get(name), f"Kustomization.{name}")
    for name in _STRING_MAPS:
        _string_map(data.get(name), f"Kustomization.{name}")
    for name in _STRING_LISTS:
        value = data.get(name)
        if isinstance(value, list):
            for item in value:
                _string(item, f"Kustomization.{name}")
    for image in data.get("images") or []:
        if isinstance(image, dict):
            for name in _IMAGE_FIELDS:
                _string(image.get(name), f"Image.images.{name}")
    for label in data.get("labels") or []:
        if isinstance(label, dict):
            _string_map(label.get("pairs"), "Label.labels.pairs")
    for replica in data.get("replicas") or []:
        if isinstance(replica, dict):
            _string(replica.get("name"), "Replica.replicas.name")
            count = replica.get("count")
            if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
                raise _fail(
                    "string" if isinstance(count, str) else _json_kind(count) or "string",
                    "Replica.replicas.count",
                    "int64",
                )
    options = data.get("generatorOptions")
    if isinstance(options, dict):
        for name in ("labels", "annotations"):
            _string_map(options.get(name), f"GeneratorOptions.generatorOptions.{name}")
    for generator in ("configMapGenerator", "secretGenerator"):
        for args in data.get(generator) or []:
            if isinstance(args, dict) and isinstance(args.get("options"), dict):
                for name in ("labels", "annotations"):
                    _string_map(
                        args["options"].get(name),
                        f"GeneratorOptions.{generator}.GeneratorArgs.options.{name}",
                    )
