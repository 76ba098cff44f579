"""images: change image names, tags and digests in containers and custom image fields."""

from __future__ import annotations

import re
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import KEEP, FieldSpec, apply_field_spec
from fleetops.core.kustomize.resmap import ResMap


def split_image(image: str) -> tuple[str, str, str]:
    """(name, tag, digest) of an image reference; a registry host's port is not a tag."""
    slash = image.find("/")
    offset = slash if slash > 0 else 0
    search = image[offset:]
    at, colon = search.find("@"), search.find(":")
    if at < 0 and colon < 0:
        return image, "", ""
    if at >= 0 and (colon < 0 or at < colon):
        return image[: offset + at], "", image[offset + at + 1 :]
    if at >= 0:
        return image[: offset + colon], image[offset + colon + 1 : offset + at], image[offset + at + 1 :]
    return image[: offset + colon], image[offset + colon + 1 :], ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def update_image(image: str, spec: dict[str, Any]) -> str:
    name, tag, digest = split_image(image)
    new_name, new_tag, new_digest = (
        _text(spec.get("newName")),
        _text(spec.get("newTag")),
        _text(spec.get("digest")),
    )
    if new_name:
        name = new_name
    if new_tag and new_digest:
        tag, digest = new_tag, new_digest
    elif new_tag:
        tag, digest = new_tag, ""
    elif new_digest:
        tag, digest = "", new_digest
    suffix = _text(spec.get("tagSuffix"))
    if suffix and tag:
        tag += suffix
    if tag:
        name += ":" + tag
    if digest:
        name += "@" + digest
    return name


_CONTAINER_LISTS = ("containers", "initContainers")


def set_images(resources: ResMap, spec: dict[str, Any], specs: list[FieldSpec]) -> None:
    name = _text(spec.get("name"))
    try:
        pattern = re.compile("^" + name + r"(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$")
    except re.error as error:
        raise KustomizeError(f"invalid image name regexp '{name}': {error}") from None

    def setter(value: Any) -> Any:
        if not isinstance(value, str) or not pattern.search(value):
            return KEEP
        return update_image(value, spec)

    for resource in resources:
        for field_spec in specs:
            apply_field_spec(resource.obj, field_spec, setter)
        _walk_containers(resource.obj, setter)


def _walk_containers(node: Any, setter: Any) -> None:
    """kustomize also updates `image` in any containers/initContainers list, wherever it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _CONTAINER_LISTS and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and "image" in item:
                        result = setter(item["image"])
                        if result is not KEEP:
                            item["image"] = result
            _walk_containers(value, setter)
    elif isinstance(node, list):
        for item in node:
            _walk_containers(item, setter)
