"""Where a simulated cluster's objects live between restarts: nowhere (memory) or SQLite."""

from fleetops.kubesim.storage.backend import Backend, StoredObject
from fleetops.kubesim.storage.memory import MemoryBackend
from fleetops.kubesim.storage.sqlite import SqliteBackend

__all__ = ["Backend", "MemoryBackend", "SqliteBackend", "StoredObject"]
