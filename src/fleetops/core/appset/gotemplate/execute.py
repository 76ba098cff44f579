"""Executing a parsed Go template against data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.appset.errors import TemplateError
from fleetops.core.appset.gotemplate import nodes
from fleetops.core.appset.gotemplate.functions import FUNCTIONS
from fleetops.core.appset.gotemplate.values import MISSING, printed, truth

__all__ = ["execute"]


def execute(tree: tuple[nodes.Node, ...], data: Any, *, missing_key_error: bool = False) -> str:
    """The text ``tree`` produces for ``data`` (``.`` and ``$``)."""
    run = _Run(missing_key_error)
    out: list[str] = []
    run.walk(tree, data, [{"$": data}], out)
    return "".join(out)


Scopes = list[dict[str, Any]]


class _Run:
    def __init__(self, missing_key_error: bool) -> None:
        self.missing_key_error = missing_key_error

    def walk(self, tree: tuple[nodes.Node, ...], dot: Any, scopes: Scopes, out: list[str]) -> None:
        for node in tree:
            if isinstance(node, nodes.TextNode):
                out.append(node.text)
            elif isinstance(node, nodes.ActionNode):
                value = self.pipeline(node.pipeline, dot, scopes)
                if not node.pipeline.declare:
                    out.append(printed(value))
            elif isinstance(node, nodes.IfNode | nodes.WithNode):
                self.conditional(node, dot, scopes, out)
            else:
                self.range(node, dot, scopes, out)

    def conditional(
        self, node: nodes.IfNode | nodes.WithNode, dot: Any, scopes: Scopes, out: list[str]
    ) -> None:
        inner: Scopes = [*scopes, {}]
        value = self.pipeline(node.pipeline, dot, inner)
        if truth(value):
            self.walk(node.body, value if isinstance(node, nodes.WithNode) else dot, inner, out)
        else:
            self.walk(node.otherwise, dot, [*scopes, {}], out)

    def range(self, node: nodes.RangeNode, dot: Any, scopes: Scopes, out: list[str]) -> None:
        bare = nodes.Pipeline(node.pipeline.commands)
        value = self.pipeline(bare, dot, scopes)
        if isinstance(value, Mapping):
            items = [(key, value[key]) for key in sorted(value, key=str)]
        elif isinstance(value, list | tuple):
            items = list(enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            items = [(i, i) for i in range(value)]
        elif value is None or value is MISSING:
            items = []
        else:
            raise TemplateError(f"range can't iterate over {printed(value)}")
        if not items:
            self.walk(node.otherwise, dot, [*scopes, {}], out)
            return
        names = node.pipeline.declare
        for key, item in items:
            scope: dict[str, Any] = {}
            if len(names) == 1:
                scope[names[0]] = item
            elif len(names) == 2:
                scope[names[0]], scope[names[1]] = key, item
            self.walk(node.body, item, [*scopes, scope], out)

    def pipeline(self, pipeline: nodes.Pipeline, dot: Any, scopes: Scopes) -> Any:
        value: Any = MISSING
        for position, command in enumerate(pipeline.commands):
            value = self.command(command, dot, scopes, piped=(value,) if position else ())
        for name in pipeline.declare:
            if pipeline.assign:
                for scope in reversed(scopes):
                    if name in scope:
                        scope[name] = value
                        break
                else:
                    raise TemplateError(f"undefined variable: {name}")
            else:
                scopes[-1][name] = value
        return value

    def command(self, command: nodes.Command, dot: Any, scopes: Scopes, piped: tuple[Any, ...]) -> Any:
        head, *rest = command.args
        if isinstance(head, nodes.FuncArg):
            function = FUNCTIONS.get(head.name)
            if function is None:
                raise TemplateError(f'function "{head.name}" not defined')
            args = [self.arg(arg, dot, scopes) for arg in rest]
            try:
                return function(*args, *piped)
            except TemplateError:
                raise
            except (TypeError, ValueError) as error:
                raise TemplateError(f"error calling {head.name}: {error}") from error
        if rest or piped:
            raise TemplateError(f"can't give argument to non-function {_describe(head)}")
        return self.arg(head, dot, scopes)

    def arg(self, arg: nodes.Arg, dot: Any, scopes: Scopes) -> Any:
        if isinstance(arg, nodes.Literal):
            return arg.value
        if isinstance(arg, nodes.FieldArg):
            return self.fields(dot, arg.path)
        if isinstance(arg, nodes.VarArg):
            for scope in reversed(scopes):
                if arg.name in scope:
                    return self.fields(scope[arg.name], arg.path)
            raise TemplateError(f"undefined variable: {arg.name}")
        if isinstance(arg, nodes.SubPipeline):
            return self.pipeline(arg.pipeline, dot, scopes)
        return self.command(nodes.Command((arg,)), dot, scopes, ())

    def fields(self, value: Any, path: tuple[str, ...]) -> Any:
        for depth, name in enumerate(path):
            if isinstance(value, Mapping):
                if name in value:
                    value = value[name]
                elif self.missing_key_error:
                    where = "." + ".".join(path[: depth + 1])
                    raise TemplateError(f'map has no entry for key "{name}" (at <{where}>, missingkey=error)')
                else:
                    value = MISSING
            elif value is MISSING:
                return MISSING
            elif value is None:
                raise TemplateError(f"nil pointer evaluating interface {{}}.{name}")
            else:
                raise TemplateError(f"can't evaluate field {name} in type {type(value).__name__}")
        return value


def _describe(arg: nodes.Arg) -> str:
    if isinstance(arg, nodes.FieldArg):
        return "." + ".".join(arg.path)
    if isinstance(arg, nodes.Literal):
        return printed(arg.value)
    return type(arg).__name__
