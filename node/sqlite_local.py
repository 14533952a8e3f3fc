"""One SQLite connection per thread to a file of the node's, set up the same way everywhere.

The node's store, its people and its drafts share this: WAL so that readers never wait for the
writer, `synchronous=FULL` so that an acknowledged write survives a crash (the kill -9 tests), and a
30 s busy timeout for the moment two threads write. A connection is never shared between threads
(sqlite3's rule), so each thread opens its own on first use.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class ThreadConnections:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    def close(self) -> None:
        """Close this thread's connection, if it has one."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
