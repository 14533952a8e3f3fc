"""The registry's view of each case: the `routes` table (one row per case and source that carried
it) and the `cases` table (the winning route's state). Every query on them is a named method here.

load.py decides which route wins and calls the writers inside its page transaction; the feed
state, the source summaries and the pipeline's empty-feed and drift checks read through here.
"""

from __future__ import annotations

import sqlite3

from stafett.harvester.db import Database


class Cases:
    def __init__(self, db: Database) -> None:
        self.db = db

    def routes_of(self, case: str) -> dict[str, sqlite3.Row]:
        """Every route of `case`, by source (inside a page transaction: its earlier writes too)."""
        return {r["source"]: r for r in self.db.rows("SELECT * FROM routes WHERE case_iri=?", (case,))}

    def current(self, case: str) -> sqlite3.Row | None:
        """The registry's view of `case` (its winning route), or None before its first member."""
        return self.db.one("SELECT * FROM cases WHERE case_iri=?", (case,))

    @staticmethod
    def record_route(tx: sqlite3.Connection, route: tuple) -> None:
        """(case, source, direct, state, published, origin activity, origin stream, modified, sha, seen)."""
        tx.execute("INSERT OR REPLACE INTO routes VALUES (?,?,?,?,?,?,?,?,?,?)", route)

    @staticmethod
    def record_case(
        tx: sqlite3.Connection, case: str, state: str, source: str, origin_activity: str, now: str
    ) -> None:
        tx.execute(
            "INSERT OR REPLACE INTO cases VALUES (?,?,?,?,?)", (case, state, source, origin_activity, now)
        )

    def live_count(self, source: str) -> int:
        """Live cases whose winning route is `source`'s."""
        counted = self.db.one("SELECT COUNT(*) FROM cases WHERE source=? AND state='live'", (source,))
        return counted[0] if counted else 0

    def live_route_count(self, source: str) -> int:
        """Live cases `source` carried, won or not."""
        counted = self.db.one("SELECT COUNT(*) FROM routes WHERE source=? AND state='live'", (source,))
        return counted[0] if counted else 0

    def live_hashes(self, source: str) -> dict[str, str]:
        """case -> snapshot sha256 of every live case `source` carried (the `--full` drift check)."""
        rows = self.db.rows(
            "SELECT case_iri, snapshot_sha FROM routes WHERE source=? AND state='live'", (source,)
        )
        return {r["case_iri"]: r["snapshot_sha"] for r in rows}

    def live_state(self) -> list[tuple[str, str]]:
        """(case, sha256 of its winning snapshot) of every live case, by IRI: the feed state."""
        rows = self.db.rows(
            "SELECT c.case_iri, r.snapshot_sha FROM cases c JOIN routes r "
            "ON r.case_iri=c.case_iri AND r.source=c.source WHERE c.state='live' "
            "ORDER BY c.case_iri"
        )
        return [(r[0], r[1]) for r in rows]
