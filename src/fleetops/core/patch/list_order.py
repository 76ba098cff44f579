"""The order of a merged list, as kubectl computes it.

After a merge, items named by the patch keep the patch's order (or `$setElementOrder`'s), items
only on the server keep the live order, and the two are interleaved by their live positions.
kubectl sorts with a comparison that is not a strict order when an item is missing from the
reference list; reproducing its answer then needs Go's own stable sort, implemented here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fleetops.core.patch.errors import PatchError, PathStep
from fleetops.core.patch.json_values import GoKey, go_key

_NIL: GoKey = ("nil", None)


def item_key(item: Any, merge_key: str, path: tuple[PathStep, ...]) -> GoKey:
    """What kubectl compares to find an item: its merge-key value, or the scalar itself."""
    if merge_key:
        if not isinstance(item, dict):
            return _NIL
        return go_key(item.get(merge_key), path) if merge_key in item else _NIL
    return go_key(item, path)


def positions(items: Sequence[Any], merge_key: str, path: tuple[PathStep, ...]) -> dict[GoKey, int]:
    """The first position of each key in `items`."""
    found: dict[GoKey, int] = {}
    for index, item in enumerate(items):
        found.setdefault(item_key(item, merge_key, path), index)
    return found


def sort_by_order(
    items: list[Any], order: Sequence[Any], merge_key: str, path: tuple[PathStep, ...]
) -> list[Any]:
    """Go's `sort.SliceStable(items, less)` where `less(i, j)` is "both in `order` and i before j",
    and true whenever one of them is not in `order`."""
    where = positions(order, merge_key, path)
    keys = [where.get(item_key(item, merge_key, path), -1) for item in items]
    if all(key >= 0 for key in keys):
        return [item for _, item in sorted(zip(keys, items, strict=True), key=lambda pair: pair[0])]
    pairs = list(zip(keys, items, strict=True))

    def less(i: int, j: int) -> bool:
        left, right = pairs[i][0], pairs[j][0]
        return left < right if left >= 0 and right >= 0 else True

    go_stable_sort(pairs, less)
    return [item for _, item in pairs]


def merge_sorted(
    left: list[Any], right: list[Any], server_order: Sequence[Any], merge_key: str, path: tuple[PathStep, ...]
) -> list[Any]:
    """Interleave server-only items (`left`) with patch items (`right`): a left item goes first
    only when both are in the server order and it comes earlier there."""
    where = positions(server_order, merge_key, path)
    result: list[Any] = []
    i = j = 0
    while i < len(left) and j < len(right):
        li = where.get(item_key(left[i], merge_key, path), -1)
        ri = where.get(item_key(right[j], merge_key, path), -1)
        if li >= 0 and ri >= 0 and li < ri:
            result.append(left[i])
            i += 1
        else:
            result.append(right[j])
            j += 1
    result.extend(left[i:])
    result.extend(right[j:])
    return result


def go_stable_sort(data: list[Any], less: Callable[[int, int], bool]) -> None:
    """Go's sort.Stable: insertion sort on blocks of 20, then SymMerge (in place)."""
    n = len(data)
    block = 20
    a, b = 0, block
    while b <= n:
        _insertion_sort(data, less, a, b)
        a, b = b, b + block
    _insertion_sort(data, less, a, n)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            _sym_merge(data, less, a, a + block, b)
            a, b = b, b + 2 * block
        middle = a + block
        if middle < n:
            _sym_merge(data, less, a, middle, n)
        block *= 2


def _swap(data: list[Any], i: int, j: int) -> None:
    data[i], data[j] = data[j], data[i]


def _insertion_sort(data: list[Any], less: Callable[[int, int], bool], a: int, b: int) -> None:
    for i in range(a + 1, b):
        j = i
        while j > a and less(j, j - 1):
            _swap(data, j, j - 1)
            j -= 1


def _sym_merge(data: list[Any], less: Callable[[int, int], bool], a: int, m: int, b: int) -> None:
    if m - a == 1:
        i, j = m, b
        while i < j:
            h = (i + j) >> 1
            if less(h, a):
                i = h + 1
            else:
                j = h
        for k in range(a, i - 1):
            _swap(data, k, k + 1)
        return
    if b - m == 1:
        i, j = a, m
        while i < j:
            h = (i + j) >> 1
            if not less(m, h):
                i = h + 1
            else:
                j = h
        for k in range(m, i, -1):
            _swap(data, k, k - 1)
        return
    mid = (a + b) >> 1
    n = mid + m
    if m > mid:
        start, r = n - b, mid
    else:
        start, r = a, m
    p = n - 1
    while start < r:
        c = (start + r) >> 1
        if not less(p - c, c):
            start = c + 1
        else:
            r = c
    end = n - start
    if start < m < end:
        _rotate(data, start, m, end)
    if a < start < mid:
        _sym_merge(data, less, a, start, mid)
    if mid < end < b:
        _sym_merge(data, less, mid, end, b)


def _rotate(data: list[Any], a: int, m: int, b: int) -> None:
    i, j = m - a, b - m
    while i != j:
        if i > j:
            _swap_range(data, m - i, m, j)
            i -= j
        else:
            _swap_range(data, m - i, m + j - i, i)
            j -= i
    _swap_range(data, m - i, m, i)


def _swap_range(data: list[Any], a: int, b: int, n: int) -> None:
    for i in range(n):
        _swap(data, a + i, b + i)


def require_merge_keys(items: Sequence[Any], merge_key: str, path: tuple[PathStep, ...]) -> None:
    """Every item must be an object carrying the merge key."""
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PatchError(f"list item is not an object (merge key {merge_key!r})", (*path, index))
        if merge_key not in item:
            raise PatchError(f"list item has no merge key {merge_key!r}", (*path, index))
