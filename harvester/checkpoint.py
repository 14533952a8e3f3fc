"""Where each source's harvest stopped: processed activities and finished pages.

A member is marked processed in the same SQLite transaction that records its effect (load.py,
one transaction per feed page), so a crash re-applies at most the one page whose store write was
not yet acknowledged here - and store writes are idempotent replacements. A page is remembered
(ETag, Last-Modified, its links, whether it is immutable) in the transaction that processes its
members, so an immutable page is skipped on later runs only when nothing on it can have been missed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from stafett.harvester.db import Database


@dataclass
class PageMemo:
    etag: str | None
    last_modified: str | None
    immutable: bool
    links: list[str]
    members: int = 0  # how many members the page listed (empty-feed detection on 304s)


class Checkpoints:
    def __init__(self, db: Database) -> None:
        self.db = db

    def is_processed(self, source: str, activity: str) -> bool:
        return (
            self.db.one("SELECT 1 FROM processed WHERE source=? AND activity=?", (source, activity))
            is not None
        )

    def page(self, source: str, url: str) -> PageMemo | None:
        row = self.db.one("SELECT * FROM pages WHERE source=? AND url=?", (source, url))
        if row is None:
            return None
        saved = json.loads(row["links"])
        return PageMemo(
            row["etag"], row["last_modified"], bool(row["immutable"]), saved["links"], saved["members"]
        )

    @staticmethod
    def record_page(tx, source: str, url: str, memo: PageMemo) -> None:
        """Inside the caller's transaction: the page's members are committed in the same one."""
        tx.execute(
            "INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?)",
            (
                source,
                url,
                memo.etag,
                memo.last_modified,
                int(memo.immutable),
                json.dumps({"links": memo.links, "members": memo.members}),
            ),
        )

    @staticmethod
    def mark_processed(tx, source: str, activity: str) -> None:
        """Inside the caller's transaction: this member of `source` is done (applied or refused)."""
        tx.execute("INSERT OR IGNORE INTO processed VALUES (?,?)", (source, activity))

    def forget(self, source: str) -> None:
        """`--full`: re-read every page and re-apply every member (routes and tombstones stay)."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM pages WHERE source=?", (source,))
            tx.execute("DELETE FROM processed WHERE source=?", (source,))

    # Source health: stale marking never deletes anything.
    def mark_good(self, source: str, when: str, root_url: str | None) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO source_state(source, root_url, last_good, last_attempt, stale) "
                "VALUES (?,?,?,?,0) ON CONFLICT(source) DO UPDATE SET root_url=excluded.root_url, "
                "last_good=excluded.last_good, last_attempt=excluded.last_attempt, stale=0, "
                "stale_reason=NULL",
                (source, root_url, when, when),
            )

    def mark_stale(self, source: str, when: str, reason: str) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO source_state(source, last_attempt, stale, stale_reason) VALUES (?,?,1,?) "
                "ON CONFLICT(source) DO UPDATE SET last_attempt=excluded.last_attempt, stale=1, "
                "stale_reason=excluded.stale_reason",
                (source, when, reason),
            )

    def state(self, source: str) -> dict:
        row = self.db.one("SELECT * FROM source_state WHERE source=?", (source,))
        return dict(row) if row else {"source": source, "stale": 0, "last_good": None}
