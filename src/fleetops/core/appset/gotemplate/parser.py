"""Parsing Go template text into :mod:`nodes`."""

from __future__ import annotations

import ast
from typing import Any

from fleetops.core.appset.errors import TemplateError
from fleetops.core.appset.gotemplate import nodes
from fleetops.core.appset.gotemplate.lexer import Chunk, Tok, TokKind, split_chunks, tokenize

__all__ = ["parse"]

_BLOCKS = ("if", "with", "range")
_UNSUPPORTED = ("define", "template", "block", "break", "continue")


def parse(template: str) -> tuple[nodes.Node, ...]:
    """The parse tree of ``template``; :class:`TemplateError` on a syntax error."""
    parser = _Parser(split_chunks(template), template)
    body, stop = parser.nodes_until()
    if stop is not None:
        raise TemplateError(f"unexpected {{{{{stop[0]}}}}} in template {template!r}")
    return body


class _Parser:
    def __init__(self, chunks: list[Chunk], source: str) -> None:
        self.chunks = chunks
        self.index = 0
        self.source = source

    def nodes_until(self) -> tuple[tuple[nodes.Node, ...], tuple[str, list[Tok]] | None]:
        """Nodes up to an ``end`` or ``else`` (returned with its remaining tokens) or the end."""
        body: list[nodes.Node] = []
        while self.index < len(self.chunks):
            chunk = self.chunks[self.index]
            self.index += 1
            if not chunk.action:
                body.append(nodes.TextNode(chunk.text))
                continue
            tokens = tokenize(chunk.text)
            if not tokens:
                raise TemplateError(f"missing value for command in {self.source!r}")
            head = tokens[0]
            if head.kind is TokKind.IDENT and head.text in ("end", "else"):
                return tuple(body), (head.text, tokens[1:])
            if head.kind is TokKind.IDENT and head.text in _BLOCKS:
                body.append(self._block(head.text, tokens[1:]))
            elif head.kind is TokKind.IDENT and head.text in _UNSUPPORTED:
                raise TemplateError(f"{{{{{head.text}}}}} is not supported by fleetops' Go templates")
            else:
                body.append(nodes.ActionNode(_pipeline(tokens)))
        return tuple(body), None

    def _block(self, keyword: str, tokens: list[Tok]) -> nodes.Node:
        pipeline = _pipeline(tokens)
        body, stop = self.nodes_until()
        otherwise: tuple[nodes.Node, ...] = ()
        if stop is None:
            raise TemplateError(f"unexpected EOF: {{{{{keyword}}}}} without {{{{end}}}} in {self.source!r}")
        if stop[0] == "else":
            rest = stop[1]
            if rest and rest[0].kind is TokKind.IDENT and rest[0].text in ("if", "with"):
                otherwise = (self._block(rest[0].text, rest[1:]),)
            else:
                if rest:
                    raise TemplateError(f"unexpected {rest[0].text!r} after else")
                otherwise, stop = self.nodes_until()
                if stop is None or stop[0] != "end":
                    raise TemplateError(f"{{{{{keyword}}}}}: expected {{{{end}}}} in {self.source!r}")
        elif stop[1]:
            raise TemplateError(f"unexpected {stop[1][0].text!r} after end")
        if keyword == "if":
            return nodes.IfNode(pipeline, body, otherwise)
        if keyword == "with":
            return nodes.WithNode(pipeline, body, otherwise)
        return nodes.RangeNode(pipeline, body, otherwise)


def _pipeline(tokens: list[Tok]) -> nodes.Pipeline:
    declare: list[str] = []
    assign = False
    for position, token in enumerate(tokens):
        if token.kind in (TokKind.DECLARE, TokKind.ASSIGN):
            names = [t for t in tokens[:position] if t.kind is not TokKind.COMMA]
            if not names or any(t.kind is not TokKind.VARIABLE or "." in t.text for t in names):
                raise TemplateError("only variables can be declared: " + " ".join(t.text for t in tokens))
            declare = [t.text for t in names]
            assign = token.kind is TokKind.ASSIGN
            tokens = tokens[position + 1 :]
            break
    commands, rest = _commands(tokens, 0)
    if rest != len(tokens):
        raise TemplateError(f"unexpected {tokens[rest].text!r} in pipeline")
    return nodes.Pipeline(tuple(commands), tuple(declare), assign)


def _commands(tokens: list[Tok], position: int) -> tuple[list[nodes.Command], int]:
    commands: list[nodes.Command] = []
    args: list[nodes.Arg] = []
    while position < len(tokens):
        token = tokens[position]
        if token.kind is TokKind.RPAREN:
            break
        if token.kind is TokKind.PIPE:
            if not args:
                raise TemplateError("missing command before '|'")
            commands.append(nodes.Command(tuple(args)))
            args = []
            position += 1
            continue
        if token.kind is TokKind.LPAREN:
            inner, position = _commands(tokens, position + 1)
            if position >= len(tokens) or tokens[position].kind is not TokKind.RPAREN:
                raise TemplateError("unclosed '(' in pipeline")
            if not inner:
                raise TemplateError("empty '()' in pipeline")
            args.append(nodes.SubPipeline(nodes.Pipeline(tuple(inner))))
            position += 1
            continue
        args.append(_operand(token))
        position += 1
    if args:
        commands.append(nodes.Command(tuple(args)))
    elif commands:
        raise TemplateError("missing command after '|'")
    return commands, position


def _operand(token: Tok) -> nodes.Arg:
    if token.kind is TokKind.FIELD:
        return nodes.FieldArg(tuple(part for part in token.text.split(".") if part))
    if token.kind is TokKind.VARIABLE:
        name, *path = token.text.split(".")
        return nodes.VarArg(name, tuple(path))
    if token.kind is TokKind.STRING:
        return nodes.Literal(_string(token.text))
    if token.kind is TokKind.NUMBER:
        return nodes.Literal(_number(token.text))
    if token.kind is TokKind.IDENT:
        constants: dict[str, Any] = {"true": True, "false": False, "nil": None}
        if token.text in constants:
            return nodes.Literal(constants[token.text])
        return nodes.FuncArg(token.text)
    raise TemplateError(f"unexpected {token.text!r} in pipeline")


def _string(text: str) -> str:
    if text.startswith("`"):
        return text[1:-1]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise TemplateError(f"bad string literal {text}") from error
    return str(value)


def _number(text: str) -> int | float:
    if text.startswith("'"):
        return ord(ast.literal_eval(text))
    cleaned = text.replace("_", "")
    try:
        return int(cleaned, 0)
    except ValueError:
        return float(cleaned)
