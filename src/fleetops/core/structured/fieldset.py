"""Sets of field paths (upstream's ``fieldpath.Set``), stored as a trie.

A set holds paths; a path and its prefixes are independent members. ``members`` are the path
elements that end a path at this node; ``children`` are the sub-sets below an element (never
empty). Sets are immutable: operations return new sets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from fleetops.core.structured.pathelements import Path, PathElement

__all__ = ["FieldSet", "FieldSetBuilder", "FieldsV1Error"]


class FieldsV1Error(ValueError):
    """A FieldsV1 document that is not a tree of path elements."""


class FieldSet:
    __slots__ = ("_children", "_members")

    _members: frozenset[PathElement]
    _children: Mapping[PathElement, FieldSet]

    def __init__(
        self,
        members: Iterable[PathElement] = (),
        children: Mapping[PathElement, FieldSet] | None = None,
    ) -> None:
        self._members = frozenset(members)
        self._children = {pe: s for pe, s in (children or {}).items() if not s.empty}

    # construction ---------------------------------------------------------------------------

    @classmethod
    def _trusted(cls, members: frozenset[PathElement], children: dict[PathElement, FieldSet]) -> FieldSet:
        """A set from parts that already hold the invariants (no empty children)."""
        made = cls.__new__(cls)
        made._members = members
        made._children = children
        return made

    @classmethod
    def from_paths(cls, paths: Iterable[Iterable[PathElement]]) -> FieldSet:
        builder = FieldSetBuilder()
        for path in paths:
            builder.insert(tuple(path))
        return builder.build()

    @classmethod
    def from_fields_v1(cls, tree: Mapping[str, Any]) -> FieldSet:
        """Decode a Kubernetes FieldsV1 tree; ``"."`` marks a member that also has children."""
        if not isinstance(tree, Mapping):
            raise FieldsV1Error(f"FieldsV1 must be an object, got {type(tree).__name__}")
        members: set[PathElement] = set()
        children: dict[PathElement, FieldSet] = {}
        for element, sub in tree.items():
            if element == ".":
                continue
            if len(element) < 2 or element[0] not in "fkvi" or element[1] != ":":
                raise FieldsV1Error(f"invalid path element {element!r}")
            if not isinstance(sub, Mapping):
                raise FieldsV1Error(f"value of {element!r} must be an object")
            if not sub or "." in sub:
                members.add(element)
            if any(k != "." for k in sub):
                children[element] = cls.from_fields_v1(sub)
        return cls(members, children)

    # inspection -----------------------------------------------------------------------------

    @property
    def members(self) -> frozenset[PathElement]:
        return self._members

    @property
    def children(self) -> Mapping[PathElement, FieldSet]:
        return self._children

    @property
    def empty(self) -> bool:
        return not self._members and not self._children

    def __len__(self) -> int:
        return len(self._members) + sum(len(c) for c in self._children.values())

    def __bool__(self) -> bool:
        return not self.empty

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldSet):
            return NotImplemented
        return self._members == other._members and self._children == other._children

    def __hash__(self) -> int:
        return hash((self._members, frozenset(self._children.items())))

    def __repr__(self) -> str:
        return f"FieldSet({sorted(self.paths())!r})"

    def has(self, path: Path) -> bool:
        node = self
        for element in path[:-1]:
            child = node._children.get(element)
            if child is None:
                return False
            node = child
        return bool(path) and path[-1] in node._members

    def child(self, element: PathElement) -> FieldSet:
        """The paths below ``element``, without it (upstream's ``WithPrefix``)."""
        return self._children.get(element, EMPTY)

    def at(self, path: Path) -> FieldSet | None:
        node: FieldSet | None = self
        for element in path:
            if node is None:
                return None
            node = node._children.get(element)
        return node

    def paths(self) -> Iterator[Path]:
        yield from self._paths(())

    def _paths(self, prefix: Path) -> Iterator[Path]:
        for element in self._members:
            yield (*prefix, element)
        for element, sub in self._children.items():
            yield from sub._paths((*prefix, element))

    # algebra --------------------------------------------------------------------------------

    def union(self, other: FieldSet) -> FieldSet:
        if other.empty:
            return self
        if self.empty:
            return other
        children = dict(self._children)
        for element, sub in other._children.items():
            mine = children.get(element)
            children[element] = sub if mine is None else mine.union(sub)
        return FieldSet._trusted(self._members | other._members, children)

    def intersection(self, other: FieldSet) -> FieldSet:
        if self.empty or other.empty:
            return EMPTY
        children = {}
        for element, sub in self._children.items():
            theirs = other._children.get(element)
            if theirs is not None:
                common = sub.intersection(theirs)
                if not common.empty:
                    children[element] = common
        return FieldSet._trusted(self._members & other._members, children)

    def difference(self, other: FieldSet) -> FieldSet:
        """Paths in self and not in other (prefixes are independent members)."""
        if self.empty or other.empty:
            return self
        children = {}
        for element, sub in self._children.items():
            theirs = other._children.get(element)
            if theirs is None:
                children[element] = sub
            else:
                rest = sub.difference(theirs)
                if not rest.empty:
                    children[element] = rest
        return FieldSet._trusted(self._members - other._members, children)

    def recursive_difference(self, other: FieldSet) -> FieldSet:
        """Paths in self that neither are in other nor lie below a member of other."""
        if self.empty or other.empty:
            return self
        children = {}
        for element, sub in self._children.items():
            if element in other._members:
                continue
            theirs = other._children.get(element)
            children[element] = sub if theirs is None else sub.recursive_difference(theirs)
        return FieldSet(self._members - other._members, children)

    def leaves(self) -> FieldSet:
        """Members that are not a prefix of another member."""
        return FieldSet(
            (m for m in self._members if m not in self._children),
            {element: sub.leaves() for element, sub in self._children.items()},
        )

    def filter_children(self, keep: Callable[[PathElement], bool]) -> FieldSet:
        """The set restricted to paths whose first element passes ``keep``."""
        return FieldSet(
            (m for m in self._members if keep(m)),
            {e: s for e, s in self._children.items() if keep(e)},
        )

    # encoding -------------------------------------------------------------------------------

    def to_fields_v1(self) -> dict[str, Any]:
        """Encode as a Kubernetes FieldsV1 tree (sorted keys, ``"."`` for members with children)."""
        out: dict[str, Any] = {}
        for element in sorted(self._members | self._children.keys()):
            sub = self._children.get(element)
            if sub is None:
                out[element] = {}
            else:
                encoded = sub.to_fields_v1()
                out[element] = {".": {}, **encoded} if element in self._members else encoded
        return out


EMPTY = FieldSet()


class FieldSetBuilder:
    """A mutable trie used while walking a value; ``build()`` freezes it."""

    __slots__ = ("children", "members")

    def __init__(self) -> None:
        self.members: set[PathElement] = set()
        self.children: dict[PathElement, FieldSetBuilder] = {}

    def child(self, element: PathElement) -> FieldSetBuilder:
        sub = self.children.get(element)
        if sub is None:
            sub = self.children[element] = FieldSetBuilder()
        return sub

    def insert(self, path: Path) -> None:
        if not path:
            return
        node = self
        for element in path[:-1]:
            node = node.child(element)
        node.members.add(path[-1])

    def build(self) -> FieldSet:
        children = {}
        for element, child in self.children.items():
            built = child.build()
            if not built.empty:
                children[element] = built
        return FieldSet._trusted(frozenset(self.members), children)
