"""Build the ConfigMap or Secret a generator entry describes (literals, files, env files)."""

from __future__ import annotations

import base64
import posixpath
import re
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.loader import Loader
from fleetops.core.kustomize.resource import Resource

_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_KEY_NAME = re.compile(r"^[-._a-zA-Z0-9]+$")


def encode_base64(value: bytes) -> str:
    """kustomize's base64 for generated data: lines of 70 characters, each ended by a newline
    when the text is 70 characters or longer."""
    encoded = base64.b64encode(value).decode()
    if len(encoded) < 70:
        return encoded
    return "".join(encoded[i : i + 70] + "\n" for i in range(0, len(encoded), 70))


def merge_options(local: dict[str, Any] | None, global_: dict[str, Any] | None) -> dict[str, Any]:
    """kustomize's MergeGlobalOptionsIntoLocal: global labels/annotations win, flags are or-ed."""
    result = dict(local or {})
    if not global_:
        return result
    for key in ("labels", "annotations"):
        if global_.get(key):
            merged = dict(result.get(key) or {})
            merged.update(global_[key])
            result[key] = merged
    for key in ("disableNameSuffixHash", "immutable"):
        if global_.get(key):
            result[key] = True
    return result


def _remove_quotes(value: str) -> str:
    if len(value) < 2 or value[0] != value[-1]:
        return value
    if value[0] in "\"'":
        return value[1:-1]
    return value


def _literal(source: str) -> tuple[str, str]:
    if source.startswith("=") or "=" not in source:
        raise KustomizeError(f"invalid literal source {source}, expected key=value")
    key, value = source.split("=", 1)
    return key, _remove_quotes(value)


def _env_pairs(content: bytes, path: str) -> list[tuple[str, bytes]]:
    pairs: list[tuple[str, bytes]] = []
    for number, raw in enumerate(content.split(b"\n")):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        if number == 0 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise KustomizeError(f"line {number} has invalid utf8 bytes : {line!r}") from None
        text = text.lstrip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = text.partition("=")
        if not _ENV_NAME.match(key):
            raise KustomizeError(
                f'"{key}" is not a valid key name: a valid environment variable name must consist of '
                "alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"
            )
        pairs.append((key, value.encode() if sep else b""))
    return pairs


def _pairs(ldr: Loader, args: dict[str, Any]) -> list[tuple[str, bytes]]:
    pairs: list[tuple[str, bytes]] = []
    for source in args.get("literals") or []:
        key, value = _literal(str(source))
        pairs.append((key, value.encode()))
    envs = list(args.get("envs") or [])
    if args.get("env"):
        envs.append(args["env"])
    for env in envs:
        pairs.extend(_env_pairs(ldr.read(str(env)), str(env)))
    for source in args.get("files") or []:
        source = str(source)
        key, sep, path = source.partition("=")
        if not sep:
            path, key = source, posixpath.basename(source)
        elif not key:
            raise KustomizeError(f"key name for file path {path} missing")
        elif not path:
            raise KustomizeError(f"file path for key name {key} missing")
        if ldr.fs.is_dir(ldr.absolute(path)):
            raise KustomizeError(f"'{path}' is a directory; files must be regular files")
        pairs.append((key, ldr.read(path)))
    return pairs


def generate(ldr: Loader, args: dict[str, Any], kind: str, options: dict[str, Any]) -> Resource:
    name = str(args.get("name") or "")
    if not name:
        raise KustomizeError(f"a {kind} generator needs a name")
    data: dict[str, str] = {}
    binary: dict[str, str] = {}
    for key, value in _pairs(ldr, args):
        if not _KEY_NAME.match(key):
            raise KustomizeError(
                f'"{key}" is not a valid key name for a {kind}: a valid config key must consist of '
                "alphanumeric characters, '-', '_' or '.'"
            )
        if key in data or key in binary:
            raise KustomizeError(f"{kind.lower()} {name} illegally repeats the key `{key}`")
        if kind == "Secret":
            data[key] = encode_base64(value)
            continue
        try:
            data[key] = value.decode("utf-8")
        except UnicodeDecodeError:
            binary[key] = encode_base64(value)
    metadata: dict[str, Any] = {"name": name}
    namespace = args.get("namespace")
    if namespace:
        metadata["namespace"] = str(namespace)
    if options.get("labels"):
        metadata["labels"] = {str(k): str(v) for k, v in options["labels"].items()}
    if options.get("annotations"):
        metadata["annotations"] = {str(k): str(v) for k, v in options["annotations"].items()}
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": metadata}
    if kind == "Secret":
        obj["type"] = str(args.get("type") or "Opaque")
    if data:
        obj["data"] = data
    if binary:
        obj["binaryData"] = binary
    if options.get("immutable"):
        obj["immutable"] = True
    behavior = str(args.get("behavior") or "create")
    if behavior not in ("create", "merge", "replace"):
        raise KustomizeError(f"invalid behavior '{behavior}', must be one of [create merge replace]")
    return Resource(
        obj=obj, generated=True, behavior=behavior, hash_suffix=not options.get("disableNameSuffixHash")
    )
