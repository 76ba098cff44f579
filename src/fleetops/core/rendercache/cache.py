"""An in-memory render cache: one entry per application, reused while still valid."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from fleetops.core.kustomize.filesystem import FileSystem
from fleetops.core.rendercache.inputs import RenderInputs
from fleetops.core.rendercache.record import RenderRecord
from fleetops.core.rendercache.validity import is_still_valid

T = TypeVar("T")


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    """No entry for the key."""
    invalidated: int = 0
    """An entry existed but the new tree or inputs differ in something it looked at."""


class RenderCache(Generic[T]):
    """`lookup` returns the cached output when its record is still valid in the new tree."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self.max_entries = max_entries
        self.stats = CacheStats()
        self._entries: OrderedDict[Hashable, tuple[RenderRecord, T]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, key: Hashable, fs: FileSystem, inputs: RenderInputs, *, commit: str = "") -> T | None:
        entry = self._entries.get(key)
        if entry is None:
            self.stats.misses += 1
            return None
        record, output = entry
        same_commit = bool(commit) and commit == record.commit and inputs.key == record.inputs_key
        if not same_commit and not is_still_valid(record, fs, inputs):
            self.stats.invalidated += 1
            del self._entries[key]
            return None
        self.stats.hits += 1
        self._entries.move_to_end(key)
        return output

    def store(self, key: Hashable, record: RenderRecord, output: T) -> None:
        self._entries[key] = (record, output)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def record_of(self, key: Hashable) -> RenderRecord | None:
        entry = self._entries.get(key)
        return None if entry is None else entry[0]

    def discard(self, key: Hashable) -> None:
        self._entries.pop(key, None)
