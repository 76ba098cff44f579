"""Selector operators, spelled as Kubernetes' ``selection.Operator`` values."""

from __future__ import annotations

import enum

__all__ = ["Operator"]


class Operator(enum.StrEnum):
    """How a requirement relates a key (or field) to its values.

    The values are the spellings of ``k8s.io/apimachinery/pkg/selection``; field selectors use
    only ``EQUALS`` and ``NOT_EQUALS``.
    """

    DOES_NOT_EXIST = "!"
    EQUALS = "="
    DOUBLE_EQUALS = "=="
    IN = "in"
    NOT_EQUALS = "!="
    NOT_IN = "notin"
    EXISTS = "exists"
    GREATER_THAN = "gt"
    LESS_THAN = "lt"
