"""The write log: every accepted write of a cluster, in order, in a bounded ring."""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_CAPACITY = 10_000


@dataclass(frozen=True, slots=True)
class WriteRecord:
    verb: str
    """create, update, patch, apply, delete (a delete that only marks the object too)."""
    resource: str
    """`deployments.apps`, `configmaps`, with `/status` or `/scale` for subresources."""
    namespace: str
    name: str
    field_manager: str
    identity: str
    user_agent: str
    time: str
    resource_version: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class WriteLog:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._records: deque[WriteRecord] = deque(maxlen=capacity)
        self._total = 0

    def record(self, entry: WriteRecord) -> None:
        self._records.append(entry)
        self._total += 1

    @property
    def total(self) -> int:
        """How many writes were recorded since start, including those the ring dropped."""
        return self._total

    def records(self) -> list[WriteRecord]:
        return list(self._records)

    def clear(self) -> None:
        self._records.clear()
