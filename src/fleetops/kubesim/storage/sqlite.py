"""SQLite persistence: one database file per cluster, objects as JSON, the revision counter kept."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from fleetops.kubesim.storage.backend import StoredObject

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    api_group TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (api_group, resource, namespace, name));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteBackend:
    """Writes through on every change; WAL journaling keeps writes cheap."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def load(self) -> tuple[int, Iterator[StoredObject]]:
        revision = int(self.get_meta("revision") or 0)
        rows = self._db.execute("SELECT api_group, resource, namespace, name, body FROM objects").fetchall()
        return revision, (StoredObject(g, r, ns, n, json.loads(body)) for g, r, ns, n, body in rows)

    def put(self, item: StoredObject, revision: int) -> None:
        self._db.execute("BEGIN")
        self._db.execute(
            "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?)",
            (item.group, item.resource, item.namespace, item.name, json.dumps(item.body)),
        )
        self._set_revision(revision)
        self._db.execute("COMMIT")

    def delete(self, group: str, resource: str, namespace: str, name: str, revision: int) -> None:
        self._db.execute("BEGIN")
        self._db.execute(
            "DELETE FROM objects WHERE api_group=? AND resource=? AND namespace=? AND name=?",
            (group, resource, namespace, name),
        )
        self._set_revision(revision)
        self._db.execute("COMMIT")

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        self._db.close()

    def _set_revision(self, revision: int) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", (str(revision),))
