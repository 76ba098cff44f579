"""Which form of an atom handles a pair of values (upstream's ``deduceAtom``/``handleAtom``)."""

from __future__ import annotations

from typing import Any

from fleetops.core.structured.types import Atom
from fleetops.core.structured.values import MISSING

__all__ = ["pair_atom"]


def pair_atom(atom: Atom, lhs: Any, rhs: Any) -> Atom:
    """The atom a walk over (lhs, rhs) uses: the right side's form unless it is absent.

    An absent side is a wildcard that takes the other side's form. The result has one part
    when a value picked it; otherwise handlers try map, then scalar, then list.
    """
    if rhs is MISSING:
        return atom.deduce(lhs)
    return atom.deduce(rhs)
