"""A backend that forgets everything when the process ends."""

from __future__ import annotations

from collections.abc import Iterator

from fleetops.kubesim.storage.backend import StoredObject


class MemoryBackend:
    def __init__(self) -> None:
        self._meta: dict[str, str] = {}

    def load(self) -> tuple[int, Iterator[StoredObject]]:
        return 0, iter(())

    def put(self, item: StoredObject, revision: int) -> None:
        return None

    def delete(self, group: str, resource: str, namespace: str, name: str, revision: int) -> None:
        return None

    def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    def get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def close(self) -> None:
        return None
