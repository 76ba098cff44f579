"""Dotted field paths of replacements and vars (`spec.containers.[name=app].image`, `a.b[0]`)."""

from __future__ import annotations

import re
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError

_INDEXED_PART = re.compile(r"^([^\[]*)((?:\[[^\]]*\])+)$")
_BRACKET = re.compile(r"\[[^\]]*\]")


def split_dotted(path: str) -> list[str]:
    """Split on dots outside brackets; `name[x]` becomes `name`, `[x]`."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in path:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == "." and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    result: list[str] = []
    for part in parts:
        match = _INDEXED_PART.match(part)
        if match is None:
            result.append(part)
            continue
        result.append(match.group(1))
        result.extend(_BRACKET.findall(match.group(2)))
    return [p for p in result if p != ""]


def _matches(item: Any, selector: str) -> bool:
    key, _, value = selector.partition("=")
    if key == "":
        return not isinstance(item, (dict, list)) and _text(item) == value
    return isinstance(item, dict) and key in item and _text(item[key]) == value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def lookup(node: Any, parts: list[str]) -> list[Any]:
    """All values at the path (wildcards and selectors may match several)."""
    if not parts:
        return [node]
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, dict):
            return [v for value in node.values() for v in lookup(value, rest)]
        if isinstance(node, list):
            return [v for value in node for v in lookup(value, rest)]
        return []
    if head.startswith("[") and head.endswith("]") and isinstance(node, dict) and "=" not in head:
        head = head[1:-1]
    if head.startswith("[") and head.endswith("]"):
        inner = head[1:-1]
        if not isinstance(node, list):
            return []
        if inner.isdigit() or (inner.startswith("-") and inner[1:].isdigit()):
            index = int(inner)
            return lookup(node[index], rest) if -len(node) <= index < len(node) else []
        return [v for item in node if _matches(item, inner) for v in lookup(item, rest)]
    if isinstance(node, list) and head.isdigit():
        index = int(head)
        return lookup(node[index], rest) if index < len(node) else []
    if isinstance(node, dict) and head in node:
        return lookup(node[head], rest)
    return []


def set_value(node: Any, parts: list[str], value: Any, *, create: bool) -> int:
    """Set the value at the path; returns how many fields were set."""
    head, rest = parts[0], parts[1:]
    if head == "*":
        children = (
            list(node.keys())
            if isinstance(node, dict)
            else range(len(node))
            if isinstance(node, list)
            else []
        )
        total = 0
        for key in children:
            if rest:
                total += set_value(node[key], rest, value, create=False)
            else:
                node[key] = value
                total += 1
        return total
    if head.startswith("[") and head.endswith("]") and isinstance(node, dict) and "=" not in head:
        head = head[1:-1]
    if head.startswith("[") and head.endswith("]"):
        inner = head[1:-1]
        if not isinstance(node, list):
            return 0
        if inner.isdigit():
            index = int(inner)
            if index >= len(node):
                return 0
            if not rest:
                node[index] = value
                return 1
            return set_value(node[index], rest, value, create=create)
        total = 0
        matched = [i for i, item in enumerate(node) if _matches(item, inner)]
        if not matched and create:
            key, _, val = inner.partition("=")
            if key:
                node.append({key: val})
                matched = [len(node) - 1]
        for index in matched:
            if rest:
                total += set_value(node[index], rest, value, create=create)
            else:
                node[index] = value
                total += 1
        return total
    if isinstance(node, list) and head.isdigit():
        index = int(head)
        if index >= len(node):
            return 0
        if not rest:
            node[index] = value
            return 1
        return set_value(node[index], rest, value, create=create)
    if not isinstance(node, dict):
        if node is None:
            return 0
        raise KustomizeError(
            f"wrong node kind: expected MappingNode but got {type(node).__name__} when setting '{head}'"
        )
    if not rest:
        if head not in node and not create:
            return 0
        node[head] = value
        return 1
    if head not in node or node[head] is None:
        if not create:
            return 0
        node[head] = [] if rest[0].startswith("[") else {}
    return set_value(node[head], rest, value, create=create)
