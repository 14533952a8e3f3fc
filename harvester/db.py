"""The registry's bookkeeping database (SQLite, WAL, synchronous=FULL).

One file holds checkpoints, routes, reports and the registry's own feed log, so the step that
advances a checkpoint and the step that records what was harvested commit together. SIGKILL
during writes loses no acknowledged write in this mode (threat-notes.md, Durability).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS source_state (
  source TEXT PRIMARY KEY, root_url TEXT, last_good TEXT, last_attempt TEXT,
  stale INTEGER NOT NULL DEFAULT 0, stale_reason TEXT);
CREATE TABLE IF NOT EXISTS pages (
  source TEXT NOT NULL, url TEXT NOT NULL, etag TEXT, last_modified TEXT,
  immutable INTEGER NOT NULL DEFAULT 0, links TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (source, url));
CREATE TABLE IF NOT EXISTS processed (
  source TEXT NOT NULL, activity TEXT NOT NULL, PRIMARY KEY (source, activity));
CREATE TABLE IF NOT EXISTS routes (
  case_iri TEXT NOT NULL, source TEXT NOT NULL, direct INTEGER NOT NULL, state TEXT NOT NULL,
  published TEXT NOT NULL, origin_activity TEXT, origin_stream TEXT, modified TEXT,
  snapshot_sha TEXT, seen_at TEXT NOT NULL, PRIMARY KEY (case_iri, source));
CREATE TABLE IF NOT EXISTS cases (
  case_iri TEXT PRIMARY KEY, state TEXT NOT NULL, source TEXT NOT NULL, origin_activity TEXT,
  updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, full INTEGER NOT NULL,
  started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL DEFAULT 'running',
  pages INTEGER NOT NULL DEFAULT 0, not_modified INTEGER NOT NULL DEFAULT 0,
  fetched INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0,
  quarantined INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0,
  stale INTEGER NOT NULL DEFAULT 0, error TEXT, drift TEXT);
CREATE TABLE IF NOT EXISTS problems (
  run_id INTEGER NOT NULL, source TEXT NOT NULL, activity TEXT, case_iri TEXT,
  verdict TEXT NOT NULL, reasons TEXT NOT NULL, payload TEXT);
CREATE TABLE IF NOT EXISTS feed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, published TEXT NOT NULL, kind TEXT NOT NULL,
  case_iri TEXT NOT NULL, origin_activity TEXT NOT NULL, origin_stream TEXT,
  harvested_at TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '');  -- zlib N-Triples (a BLOB), see feed.py
-- Per-source lookups made by every run (empty-feed check, reports, drift): without these each one
-- scanned the whole table, 29 ms per source at 100k cases, 29 s for a 1,000-source re-harvest.
CREATE INDEX IF NOT EXISTS routes_by_source ON routes(source, state);
CREATE INDEX IF NOT EXISTS cases_by_source ON cases(source, state);
CREATE INDEX IF NOT EXISTS runs_by_source ON runs(source, id);
CREATE INDEX IF NOT EXISTS problems_by_run ON problems(run_id);
"""


class Database:
    """Two connections to one WAL database: a writer and a reader.

    Transactions (and any read made inside one, which must see its own uncommitted rows) use the
    writer connection under `lock`. Every other read uses the reader connection, which in WAL mode
    sees the last commit and never waits for an open write transaction. Why: the harvest's store
    writer thread holds a page's transaction while pyoxigraph writes the page (tens of ms), and the
    event loop must meanwhile read checkpoints and the web threads read reports without blocking.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = self._connect(path)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.executescript(SCHEMA)
        self.lock = threading.RLock()
        self.reader = self._connect(path)
        self.read_lock = threading.Lock()
        self._writing_thread: int | None = None  # the thread inside a transaction, if any

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.row_factory = sqlite3.Row
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            outer, self._writing_thread = self._writing_thread, threading.get_ident()
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            finally:
                self._writing_thread = outer
            self.conn.execute("COMMIT")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._writing_thread == threading.get_ident():  # inside our own transaction
            with self.lock:
                yield self.conn
        else:
            with self.read_lock:
                yield self.reader

    def rows(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple = ()) -> sqlite3.Row | None:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchone()

    def close(self) -> None:
        with self.lock, self.read_lock:
            self.reader.close()
            self.conn.close()
