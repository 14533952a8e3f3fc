"""The node's storage: current cases, their full version history, the change log and API tokens.

One SQLite file (WAL, synchronous=FULL) so an acknowledged write survives a process crash.
Each write is one transaction that also assigns the change's `as:published` time, which is
strictly increasing in whole milliseconds: max(now, last + 1 ms). Only published cases
produce changes: publishing is a Create, editing a published case an Update, deleting or
unpublishing a Delete tombstone.

Readers (pages, catalogue, feed) use only the read methods; writes go through `save_case`
and `delete_case`, called by `publish.py`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from stafett.node.sqlite_local import ThreadConnections
from stafett.problems import Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    iri TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
    version INTEGER NOT NULL, etag TEXT NOT NULL, issued TEXT NOT NULL, modified TEXT NOT NULL,
    document BLOB NOT NULL, ntriples BLOB NOT NULL, content_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cases_by_state ON cases (state, modified);
CREATE INDEX IF NOT EXISTS cases_by_modified ON cases (modified);
CREATE TABLE IF NOT EXISTS versions (
    iri TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL, etag TEXT NOT NULL,
    issued TEXT NOT NULL, modified TEXT NOT NULL, document BLOB NOT NULL, ntriples BLOB NOT NULL,
    PRIMARY KEY (iri, version));
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, published TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    case_iri TEXT NOT NULL, version INTEGER NOT NULL, ntriples BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL,
    revoked TEXT);
"""

STATES = ("draft", "published", "deleted")

# Whole named queries (no SQL assembled from input).
CASE_BY_IRI = (
    "SELECT iri, slug, state, version, etag, issued, modified, document, ntriples FROM cases WHERE iri = ?"
)
CASE_BY_SLUG = (
    "SELECT iri, slug, state, version, etag, issued, modified, document, ntriples FROM cases WHERE slug = ?"
)
PUBLISHED_PAGE = (
    "SELECT iri, slug, state, version, etag, issued, modified, document, ntriples "
    "FROM cases WHERE state = 'published' "
    "ORDER BY modified DESC, iri LIMIT ? OFFSET ?"
)
ALL_CASES = (
    "SELECT iri, slug, state, version, etag, issued, modified, document, ntriples "
    "FROM cases ORDER BY issued, iri"
)
FIRST_CHANGE = "SELECT seq, published, kind, case_iri, version, ntriples FROM changes ORDER BY seq LIMIT 1"
LAST_CHANGE = (
    "SELECT seq, published, kind, case_iri, version, ntriples FROM changes ORDER BY seq DESC LIMIT 1"
)


@dataclass(frozen=True)
class CaseRecord:
    iri: str
    slug: str
    state: str  # "draft" | "published" | "deleted"
    version: int
    etag: str
    issued: str  # xsd:dateTime UTC "...Z"
    modified: str
    document: dict  # compacted JSON-LD with "@context": CONTEXT_URL, node-set fields included
    ntriples: bytes  # canonical N-Triples (sorted lines), blank nodes skolemised


@dataclass(frozen=True)
class Change:
    seq: int
    published: str  # "2026-11-24T00:00:00.001000Z", strictly increasing, whole ms
    kind: str  # "Create" | "Update" | "Delete"
    case_iri: str
    version: int
    ntriples: bytes  # full replacement snapshot; for Delete the signed tombstone (or b"")


@dataclass(frozen=True)
class WriteResult:
    record: CaseRecord
    changed: bool  # False when the content and state were already stored (idempotent writes)
    change: Change | None  # the feed entry this write produced, if any


@dataclass(frozen=True)
class Token:
    name: str
    created: str
    revoked: str | None


# render(issued, modified, version) -> (document, ntriples); called inside the write transaction
# so `modified` equals the change's `as:published`.
Render = Callable[[str, str, int], tuple[dict, bytes]]
# tombstone(case_iri, deleted) -> the N-Triples a Delete change carries (the node's signed tombstone)
Tombstone = Callable[[str, str], bytes]


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def normalise_time(text: str | None) -> str | None:
    """Any xsd:dateTime -> the store's fixed-width form, so string order is time order."""
    return None if text is None else format_time(parse_time(text))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_etag(state: str, version: int, ntriples: bytes) -> str:
    return f'"{version}-{sha256_hex(state.encode() + b"|" + ntriples)[:24]}"'


def precondition_failed(detail: str) -> Problem:
    return Problem(412, "precondition-failed", "The case has changed since you read it", detail)


class NodeStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connections = ThreadConnections(self.path)
        self._write_lock = threading.Lock()
        with self._write_lock:
            self._db().executescript(SCHEMA)

    # -- connections ---------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    def close(self) -> None:
        self._connections.close()

    class _Txn:
        def __init__(self, store: NodeStore):
            self.store = store

        def __enter__(self) -> sqlite3.Connection:
            self.store._write_lock.acquire()
            self.db = self.store._db()
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, exc_type, exc, tb) -> None:
            try:
                self.db.execute("ROLLBACK" if exc_type else "COMMIT")
            finally:
                self.store._write_lock.release()

    def _lock_and_begin(self) -> _Txn:
        return NodeStore._Txn(self)

    # -- reads -----------------------------------------------------------------------------
    @staticmethod
    def _record(row) -> CaseRecord:
        iri, slug, state, version, etag, issued, modified, document, ntriples = row
        return CaseRecord(
            iri, slug, state, version, etag, issued, modified, orjson.loads(document), bytes(ntriples)
        )

    @staticmethod
    def _change(row) -> Change:
        seq, published, kind, iri, version, ntriples = row
        return Change(seq, published, kind, iri, version, bytes(ntriples))

    def get_case(self, iri: str) -> CaseRecord | None:
        row = self._db().execute(CASE_BY_IRI, (iri,)).fetchone()
        return self._record(row) if row else None

    def get_by_slug(self, slug: str) -> CaseRecord | None:
        row = self._db().execute(CASE_BY_SLUG, (slug,)).fetchone()
        return self._record(row) if row else None

    def list_published(self, offset: int, limit: int) -> list[CaseRecord]:
        rows = self._db().execute(PUBLISHED_PAGE, (limit, offset)).fetchall()
        return [self._record(r) for r in rows]

    def count_published(self) -> int:
        return self._db().execute("SELECT count(*) FROM cases WHERE state = 'published'").fetchone()[0]

    def list_cases(self, states: tuple[str, ...] = STATES) -> list[CaseRecord]:
        """Every case in the given states, oldest first (export)."""
        rows = self._db().execute(ALL_CASES).fetchall()
        return [r for r in map(self._record, rows) if r.state in states]

    def history(self, iri: str) -> list[CaseRecord]:
        rows = (
            self._db()
            .execute(
                "SELECT iri, (SELECT slug FROM cases c WHERE c.iri = v.iri), state, version, etag, issued, "
                "modified, document, ntriples FROM versions v WHERE iri = ? ORDER BY version",
                (iri,),
            )
            .fetchall()
        )
        return [self._record(r) for r in rows]

    def changes_between(self, start: str | None, end: str | None, limit: int) -> list[Change]:
        """Changes with start <= published < end (either bound may be None), ascending."""
        start, end = normalise_time(start), normalise_time(end)
        rows = (
            self._db()
            .execute(
                "SELECT seq, published, kind, case_iri, version, ntriples FROM changes "
                "WHERE (? IS NULL OR published >= ?) AND (? IS NULL OR published < ?) "
                "ORDER BY published LIMIT ?",
                (start, start, end, end, limit),
            )
            .fetchall()
        )
        return [self._change(r) for r in rows]

    def change_bounds(self) -> tuple[Change | None, Change | None]:
        db = self._db()
        first = db.execute(FIRST_CHANGE).fetchone()
        last = db.execute(LAST_CHANGE).fetchone()
        return (self._change(first) if first else None, self._change(last) if last else None)

    def changes_after(self, seq: int, limit: int) -> list[Change]:
        rows = (
            self._db()
            .execute(
                "SELECT seq, published, kind, case_iri, version, ntriples FROM changes "
                "WHERE seq > ? "
                "ORDER BY seq LIMIT ?",
                (seq, limit),
            )
            .fetchall()
        )
        return [self._change(r) for r in rows]

    def count_changes(self) -> int:
        return self._db().execute("SELECT count(*) FROM changes").fetchone()[0]

    def current_state(self) -> list[tuple[str, str]]:
        rows = (
            self._db()
            .execute("SELECT iri, ntriples FROM cases WHERE state = 'published' ORDER BY iri")
            .fetchall()
        )
        return [(iri, sha256_hex(bytes(nt))) for iri, nt in rows]

    def last_modified(self) -> str | None:
        row = self._db().execute("SELECT max(published) FROM changes").fetchone()
        return row[0] if row else None

    def content_hash_of(self, iri: str) -> str | None:
        """Hash of the case's authored content (without node-set fields), to spot unchanged imports."""
        row = self._db().execute("SELECT content_hash FROM cases WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else None

    def slug_taken(self, slug: str) -> bool:
        return self._db().execute("SELECT 1 FROM cases WHERE slug = ?", (slug,)).fetchone() is not None

    # -- writes ----------------------------------------------------------------------------
    @staticmethod
    def _commit_time(db: sqlite3.Connection) -> str:
        """max(now, last change + 1 ms): strictly increasing even if the clock steps back.

        Whole milliseconds, because feed clients (the stock LDES client among them) compare
        times at millisecond precision: two changes inside one millisecond would look equal.
        """
        now = datetime.now(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        last = db.execute("SELECT max(published) FROM changes").fetchone()[0]
        last_mod = db.execute("SELECT max(modified) FROM cases").fetchone()[0]
        for previous in (last, last_mod):
            if previous and parse_time(previous) >= now:
                now = parse_time(previous) + timedelta(milliseconds=1)
        return format_time(now)

    def save_case(
        self,
        *,
        iri: str,
        slug: str,
        state: str,
        content_hash: str,
        render: Render,
        if_match: str | None = None,
        must_exist: bool = False,
        create_only: bool = False,
        tombstone: Tombstone | None = None,
    ) -> WriteResult:
        """Store a new version unless content and state are unchanged (then nothing happens).

        `create_only` refuses (409 "case-exists") when the IRI is already used, so two clients
        minting the same slug at once never overwrite each other.
        """
        if state not in ("draft", "published"):
            raise ValueError(f"cannot save a case as {state!r}")
        with self._lock_and_begin() as db:
            current = self._current(db, iri)
            self._check_precondition(current, if_match, must_exist, iri)
            if create_only and current is not None:
                raise Problem(
                    409, "case-exists", "That case address is already used", f"a case {iri} exists already"
                )
            old_hash = db.execute("SELECT content_hash FROM cases WHERE iri = ?", (iri,)).fetchone()
            if current and current.state == state and old_hash and old_hash[0] == content_hash:
                return WriteResult(current, False, None)
            if current is None and self._slug_owner(db, slug) not in (None, iri):
                raise Problem(
                    409,
                    "slug-taken",
                    "That case address is already used",
                    f"the slug {slug!r} belongs to another case",
                )
            modified = self._commit_time(db)
            issued = current.issued if current else modified
            version = current.version + 1 if current else 1
            document, ntriples = render(issued, modified, version)
            record = CaseRecord(
                iri,
                slug if current is None else current.slug,
                state,
                version,
                make_etag(state, version, ntriples),
                issued,
                modified,
                document,
                ntriples,
            )
            self._write_record(db, record, content_hash)
            was_live = current is not None and current.state == "published"
            kind = (
                ("Update" if was_live else "Create")
                if state == "published"
                else ("Delete" if was_live else None)
            )
            change = self._append_change(db, kind, record, tombstone) if kind else None
            return WriteResult(record, True, change)

    def delete_case(
        self, iri: str, *, if_match: str | None = None, tombstone: Tombstone | None = None
    ) -> WriteResult | None:
        """Mark a case deleted (a tombstone change if it was published). None if unknown."""
        with self._lock_and_begin() as db:
            current = self._current(db, iri)
            if current is None:
                return None
            self._check_precondition(current, if_match, True, iri)
            if current.state == "deleted":
                return WriteResult(current, False, None)
            modified = self._commit_time(db)
            version = current.version + 1
            record = CaseRecord(
                iri,
                current.slug,
                "deleted",
                version,
                make_etag("deleted", version, current.ntriples),
                current.issued,
                modified,
                current.document,
                current.ntriples,
            )
            self._write_record(db, record, "")
            live = current.state == "published"
            change = self._append_change(db, "Delete", record, tombstone) if live else None
            return WriteResult(record, True, change)

    def _current(self, db: sqlite3.Connection, iri: str) -> CaseRecord | None:
        row = db.execute(CASE_BY_IRI, (iri,)).fetchone()
        return self._record(row) if row else None

    @staticmethod
    def _slug_owner(db: sqlite3.Connection, slug: str) -> str | None:
        row = db.execute("SELECT iri FROM cases WHERE slug = ?", (slug,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _check_precondition(
        current: CaseRecord | None, if_match: str | None, must_exist: bool, iri: str
    ) -> None:
        if must_exist and current is None:
            raise Problem(404, "not-found", "No such case", f"there is no case {iri}")
        if if_match is None or (if_match.strip() == "*" and current is not None):
            return
        tags = {t.strip().removeprefix("W/") for t in if_match.split(",")}
        if current is None or current.etag not in tags:
            raise precondition_failed(
                f"If-Match {if_match} does not match the current ETag "
                f"{current.etag if current else '(none)'}; GET the case again and retry your change"
            )

    @staticmethod
    def _write_record(db: sqlite3.Connection, r: CaseRecord, content_hash: str) -> None:
        document = orjson.dumps(r.document)
        db.execute(
            "INSERT INTO cases (iri, slug, state, version, etag, issued, modified, document, ntriples, "
            "content_hash) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (iri) DO UPDATE SET "
            "state=excluded.state, version=excluded.version, etag=excluded.etag, issued=excluded.issued, "
            "modified=excluded.modified, document=excluded.document, ntriples=excluded.ntriples, "
            "content_hash=excluded.content_hash",
            (
                r.iri,
                r.slug,
                r.state,
                r.version,
                r.etag,
                r.issued,
                r.modified,
                document,
                r.ntriples,
                content_hash,
            ),
        )
        db.execute(
            "INSERT INTO versions (iri, version, state, etag, issued, modified, document, ntriples) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (r.iri, r.version, r.state, r.etag, r.issued, r.modified, document, r.ntriples),
        )

    @staticmethod
    def _append_change(
        db: sqlite3.Connection, kind: str, r: CaseRecord, tombstone: Tombstone | None = None
    ) -> Change:
        payload = r.ntriples
        if kind == "Delete":  # the signed tombstone (node/signing.py), made at the change's time
            payload = tombstone(r.iri, r.modified) if tombstone else b""
        cur = db.execute(
            "INSERT INTO changes (published, kind, case_iri, version, ntriples) VALUES (?,?,?,?,?)",
            (r.modified, kind, r.iri, r.version, payload),
        )
        return Change(cur.lastrowid, r.modified, kind, r.iri, r.version, payload)

    # -- tokens (hashes only) ---------------------------------------------------------------
    def add_token(self, name: str, token_hash: str) -> None:
        with self._lock_and_begin() as db:
            if db.execute("SELECT 1 FROM tokens WHERE name = ?", (name,)).fetchone():
                raise Problem(
                    409,
                    "token-exists",
                    "A token with that name exists",
                    f"token {name!r} exists; revoke it or choose another name",
                )
            db.execute(
                "INSERT INTO tokens (name, token_hash, created) VALUES (?,?,?)",
                (name, token_hash, format_time(datetime.now(UTC))),
            )

    def list_tokens(self) -> list[Token]:
        rows = self._db().execute("SELECT name, created, revoked FROM tokens ORDER BY created").fetchall()
        return [Token(*r) for r in rows]

    def revoke_token(self, name: str) -> bool:
        with self._lock_and_begin() as db:
            cur = db.execute(
                "UPDATE tokens SET revoked = ? WHERE name = ? AND revoked IS NULL",
                (format_time(datetime.now(UTC)), name),
            )
            return cur.rowcount > 0

    def token_name_for(self, token_hash: str) -> str | None:
        """The name of the live token with this hash, or None (unknown or revoked)."""
        row = (
            self._db()
            .execute("SELECT name FROM tokens WHERE token_hash = ? AND revoked IS NULL", (token_hash,))
            .fetchone()
        )
        return row[0] if row else None
