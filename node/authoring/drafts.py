"""Drafts typed in the browser and the audit trail, in the node's SQLite file (WAL, synchronous=FULL).

A draft is the form's case document exactly as typed (it may lack required fields or hold a value
that is not valid yet), so nothing typed is ever lost. It is private: the feed, the catalogue and
the case pages read only the `cases` table (node/store.py), never `drafts`. A draft of a case that
is already stored remembers the ETag it started from (`base_etag`): publishing sends it as If-Match,
so a change someone else made meanwhile is a conflict, never a silent overwrite. `rev` counts the
draft's own saves, so two people saving one draft conflict the same way.

The audit table is append-only: who saved, submitted, sent back, published or unpublished what,
and when; an acknowledged line survives a crash like a case does.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

from stafett.node.sqlite_local import ThreadConnections
from stafett.node.store import format_time

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY, slug TEXT, document BLOB NOT NULL, base_etag TEXT, rev INTEGER NOT NULL,
    state TEXT NOT NULL, comment TEXT, author TEXT NOT NULL, updated TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS drafts_by_slug ON drafts (slug) WHERE slug IS NOT NULL;
CREATE TABLE IF NOT EXISTS uploads (
    digest TEXT PRIMARY KEY, filename TEXT NOT NULL, data BLOB NOT NULL, who TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
    draft TEXT, slug TEXT, title TEXT, detail TEXT);
"""
# Whole named queries (no SQL assembled from input).
DRAFT_BY_ID = (
    "SELECT id, slug, document, base_etag, rev, state, comment, author, updated FROM drafts WHERE id = ?"
)
DRAFT_BY_SLUG = (
    "SELECT id, slug, document, base_etag, rev, state, comment, author, updated FROM drafts WHERE slug = ?"
)
ALL_DRAFTS = (
    "SELECT id, slug, document, base_etag, rev, state, comment, author, updated FROM drafts "
    "ORDER BY updated DESC"
)
INSERT_DRAFT = (
    "INSERT INTO drafts (id, slug, document, base_etag, rev, state, comment, author, updated) "
    "VALUES (?,?,?,?,?,?,?,?,?)"
)
PRUNE_UPLOADS = (
    "DELETE FROM uploads WHERE digest NOT IN (SELECT digest FROM uploads ORDER BY at DESC LIMIT ?)"
)
STATES = ("draft", "submitted", "sent-back")
UPLOADS_KEPT = 20  # spreadsheets waiting between preview and import; older ones are dropped
ACTIONS = ("saved", "submitted", "sent-back", "published", "unpublished", "imported", "discarded")


@dataclass(frozen=True)
class Draft:
    id: str
    slug: str | None  # the case it edits, or None for a case not yet created
    document: dict
    base_etag: str | None
    rev: int
    state: str  # draft | submitted | sent-back
    comment: str | None  # an approver's reason for sending it back
    author: str
    updated: str


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    who: str
    action: str
    draft: str | None
    slug: str | None
    title: str | None
    detail: str | None


class DraftConflict(Exception):
    """The draft was saved by someone else since this form was loaded."""

    def __init__(self, current: Draft):
        super().__init__(current.id)
        self.current = current


class Drafts:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._connections = ThreadConnections(self.path)
        self._lock = threading.Lock()
        self._db().executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    @staticmethod
    def _draft(row) -> Draft:
        id_, slug, document, base, rev, state, comment, author, updated = row
        return Draft(id_, slug, orjson.loads(document), base, rev, state, comment, author, updated)

    def get(self, draft_id: str) -> Draft | None:
        row = self._db().execute(DRAFT_BY_ID, (draft_id,)).fetchone()
        return self._draft(row) if row else None

    def for_slug(self, slug: str) -> Draft | None:
        row = self._db().execute(DRAFT_BY_SLUG, (slug,)).fetchone()
        return self._draft(row) if row else None

    def all(self) -> list[Draft]:
        rows = self._db().execute(ALL_DRAFTS).fetchall()
        return [self._draft(r) for r in rows]

    def create(
        self, document: dict, author: str, *, slug: str | None = None, base_etag: str | None = None
    ) -> Draft:
        draft_id = "d" + secrets.token_hex(6)
        with self._lock:
            self._db().execute(
                INSERT_DRAFT,
                (draft_id, slug, orjson.dumps(document), base_etag, 1, "draft", None, author, now()),
            )
        return self.get(draft_id)  # type: ignore[return-value]

    def save(
        self,
        draft_id: str,
        document: dict,
        author: str,
        rev: int,
        *,
        state: str = "draft",
        comment: str | None = None,
    ) -> Draft:
        """Store the typed document if `rev` is still the draft's; else DraftConflict (nothing written)."""
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                current = db.execute(DRAFT_BY_ID, (draft_id,)).fetchone()
                if current is None:
                    raise KeyError(draft_id)
                if current[4] != rev:
                    raise DraftConflict(self._draft(current))
                db.execute(
                    "UPDATE drafts SET document = ?, rev = rev + 1, state = ?, comment = ?, author = ?, "
                    "updated = ? WHERE id = ?",
                    (orjson.dumps(document), state, comment, author, now(), draft_id),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return self.get(draft_id)  # type: ignore[return-value]

    def rebase(self, draft_id: str, base_etag: str | None) -> None:
        """After a conflict: the person has seen the other version and keeps theirs on top of it."""
        with self._lock:
            self._db().execute("UPDATE drafts SET base_etag = ? WHERE id = ?", (base_etag, draft_id))

    def remove(self, draft_id: str) -> None:
        with self._lock:
            self._db().execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    # -- spreadsheets between preview and import --------------------------------------------
    def keep_upload(self, digest: str, filename: str, data: bytes, who: str) -> None:
        with self._lock:
            db = self._db()
            db.execute(
                "INSERT OR REPLACE INTO uploads (digest, filename, data, who, at) VALUES (?,?,?,?,?)",
                (digest, filename, data, who, now()),
            )
            db.execute(
                PRUNE_UPLOADS,
                (UPLOADS_KEPT,),
            )

    def upload(self, digest: str) -> tuple[str, bytes] | None:
        row = self._db().execute("SELECT filename, data FROM uploads WHERE digest = ?", (digest,)).fetchone()
        return (row[0], bytes(row[1])) if row else None

    # -- audit ----------------------------------------------------------------------------
    def record(
        self,
        who: str,
        action: str,
        *,
        draft: str | None = None,
        slug: str | None = None,
        title: str | None = None,
        detail: str | None = None,
    ) -> None:
        assert action in ACTIONS, action
        with self._lock:
            self._db().execute(
                "INSERT INTO audit (at, who, action, draft, slug, title, detail) VALUES (?,?,?,?,?,?,?)",
                (now(), who, action, draft, slug, title, detail),
            )

    def audit(self, limit: int = 500) -> list[AuditEntry]:
        rows = (
            self._db()
            .execute(
                "SELECT seq, at, who, action, draft, slug, title, detail FROM audit "
                "ORDER BY seq DESC LIMIT ?",
                (limit,),
            )
            .fetchall()
        )
        return [AuditEntry(*r) for r in rows]


def now() -> str:
    return format_time(datetime.now(UTC))
