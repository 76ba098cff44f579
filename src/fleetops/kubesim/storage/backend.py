"""The persistence port of the object store: the store keeps everything in memory and writes through."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class StoredObject:
    group: str
    resource: str
    namespace: str
    name: str
    body: dict[str, Any]


class Backend(Protocol):
    def load(self) -> tuple[int, Iterator[StoredObject]]:
        """The last resourceVersion issued and every stored object."""
        ...

    def put(self, item: StoredObject, revision: int) -> None: ...

    def delete(self, group: str, resource: str, namespace: str, name: str, revision: int) -> None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def get_meta(self, key: str) -> str | None: ...

    def close(self) -> None: ...
