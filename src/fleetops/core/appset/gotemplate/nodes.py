"""The parse tree of a Go template (the subset fleetops supports)."""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = [
    "ActionNode",
    "Command",
    "FieldArg",
    "FuncArg",
    "IfNode",
    "Literal",
    "Node",
    "Pipeline",
    "RangeNode",
    "SubPipeline",
    "TextNode",
    "VarArg",
    "WithNode",
]


@dataclasses.dataclass(frozen=True)
class FieldArg:
    """``.a.b`` (``path`` empty for ``.``)."""

    path: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class VarArg:
    """``$name.a.b`` (``$`` is the name ``$``)."""

    name: str
    path: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class FuncArg:
    """A function name used as an argument (called with no arguments)."""

    name: str


@dataclasses.dataclass(frozen=True)
class Literal:
    value: Any


@dataclasses.dataclass(frozen=True)
class SubPipeline:
    pipeline: Pipeline


Arg = FieldArg | VarArg | FuncArg | Literal | SubPipeline


@dataclasses.dataclass(frozen=True)
class Command:
    """``name arg…`` (a function call) or a single operand."""

    args: tuple[Arg, ...]


@dataclasses.dataclass(frozen=True)
class Pipeline:
    commands: tuple[Command, ...]
    declare: tuple[str, ...] = ()
    assign: bool = False  # ``$x = …`` rather than ``$x := …``


@dataclasses.dataclass(frozen=True)
class TextNode:
    text: str


@dataclasses.dataclass(frozen=True)
class ActionNode:
    pipeline: Pipeline


@dataclasses.dataclass(frozen=True)
class IfNode:
    pipeline: Pipeline
    body: tuple[Node, ...]
    otherwise: tuple[Node, ...]


@dataclasses.dataclass(frozen=True)
class WithNode:
    pipeline: Pipeline
    body: tuple[Node, ...]
    otherwise: tuple[Node, ...]


@dataclasses.dataclass(frozen=True)
class RangeNode:
    pipeline: Pipeline
    body: tuple[Node, ...]
    otherwise: tuple[Node, ...]


Node = TextNode | ActionNode | IfNode | WithNode | RangeNode
