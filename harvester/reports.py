"""Harvest reports: per source and run, what was fetched, accepted, quarantined (with reasons),
refused, deleted, and whether the source is stale. Kept in SQLite for `/reports` and written as
RDF into the reports graph so they are queryable through SPARQL (layout in docs/harvester.md).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from stafett.harvester import terms as t
from stafett.harvester.db import Database
from stafett.ldes import AS_OBJECT, timestamp
from stafett.vocabulary.terms import RDF_TYPE, STF, XSD_BOOLEAN, XSD_INTEGER

COUNTS = ("pages", "not_modified", "fetched", "accepted", "quarantined", "refused", "deleted", "skipped")


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Run:
    id: int
    source: str
    full: bool
    started: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    status: str = "running"
    error: str | None = None
    drift: dict | None = None
    members_seen: int = 0


class Reports:
    def __init__(self, db: Database) -> None:
        self.db = db
        with db.transaction() as tx:  # runs cut short by a crash are reported as such
            tx.execute("UPDATE runs SET status='interrupted' WHERE status='running'")

    def start(self, source: str, full: bool) -> Run:
        started = utcnow()
        with self.db.transaction() as tx:
            cur = tx.execute(
                "INSERT INTO runs(source, full, started) VALUES (?,?,?)", (source, int(full), started)
            )
        return Run(cur.lastrowid, source, full, started)

    @staticmethod
    def bump(tx, run: Run, counter: str, by: int = 1) -> None:
        run.counts[counter] += by
        tx.execute(f"UPDATE runs SET {counter}={counter}+? WHERE id=?", (by, run.id))  # noqa: S608 - fixed names

    @staticmethod
    def problem(
        tx,
        run: Run,
        activity: str | None,
        case: str | None,
        verdict: str,
        reasons: list,
        payload: str | None = None,
    ) -> None:
        tx.execute(
            "INSERT INTO problems VALUES (?,?,?,?,?,?,?)",
            (
                run.id,
                run.source,
                activity,
                case,
                verdict,
                json.dumps([r.as_dict() for r in reasons], ensure_ascii=False),
                payload,
            ),
        )

    def page_problem(self, run: Run, kind: str, findings: list) -> None:
        """A page (not a member) that failed or was refused, in its own transaction."""
        with self.db.transaction() as tx:
            self.problem(tx, run, None, None, kind, findings)

    def finish(self, run: Run, status: str, stale: bool) -> None:
        run.status = status
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE runs SET finished=?, status=?, stale=?, error=?, drift=?, pages=?, not_modified=? "
                "WHERE id=?",
                (
                    utcnow(),
                    status,
                    int(stale),
                    run.error,
                    json.dumps(run.drift) if run.drift else None,
                    run.counts["pages"],  # kept in memory during the run: no commit per request
                    run.counts["not_modified"],
                    run.id,
                ),
            )

    def runs(self, source: str | None = None, limit: int = 20) -> list[dict]:
        where, params = ("WHERE source=?", (source,)) if source else ("", ())
        rows = self.db.rows(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ?", (*params, limit))  # noqa: S608
        return [run_json(self.db, row) for row in rows]


def run_json(db: Database, row) -> dict:
    body = {k: row[k] for k in ("id", "source", "started", "finished", "status", *COUNTS, "error")}
    body["full"], body["stale"] = bool(row["full"]), bool(row["stale"])
    body["drift"] = json.loads(row["drift"]) if row["drift"] else None
    body["problems"] = [
        {
            "activity": p["activity"],
            "case": p["case_iri"],
            "verdict": p["verdict"],
            "reasons": json.loads(p["reasons"]),
        }
        for p in db.rows("SELECT * FROM problems WHERE run_id=? LIMIT 500", (row["id"],))
    ]
    return body


def run_iri(base_url: str, run: dict) -> str:
    return f"{base_url}reports/{run['source']}/{run['id']}"


def source_iri(base_url: str, source: str) -> str:
    return f"{base_url}source/{source}"


def run_triples(base_url: str, run: dict, lang: str = "en") -> tuple[list[str], list[ox.Triple]]:
    """The run as RDF (a prov:Activity), with one node per quarantined or refused member."""
    me = ox.NamedNode(run_iri(base_url, run))
    out = [
        ox.Triple(me, RDF_TYPE, t.STF_HARVEST_RUN),
        ox.Triple(me, RDF_TYPE, t.PROV_ACTIVITY),
        ox.Triple(me, t.STF_RUN_OF, ox.NamedNode(source_iri(base_url, run["source"]))),
        ox.Triple(me, t.PROV_STARTED, timestamp(run["started"])),
        ox.Triple(me, t.STF_STALE, ox.Literal(str(run["stale"]).lower(), datatype=XSD_BOOLEAN)),
    ]
    if run["finished"]:
        out.append(ox.Triple(me, t.PROV_ENDED, timestamp(run["finished"])))
    if run["error"]:
        out.append(ox.Triple(me, t.STF_ERROR, ox.Literal(run["error"])))
    for name, predicate in (
        ("fetched", "fetched"),
        ("not_modified", "notModified"),
        ("accepted", "accepted"),
        ("quarantined", "quarantined"),
        ("refused", "refused"),
        ("deleted", "deleted"),
        ("skipped", "skipped"),
    ):
        out.append(ox.Triple(me, t.STF_COUNT[predicate], ox.Literal(str(run[name]), datatype=XSD_INTEGER)))
    subjects = [me.value]
    for problem in run["problems"]:
        key = hashlib.sha256(f"{problem['activity']}|{problem['verdict']}".encode()).hexdigest()[:16]
        node = ox.NamedNode(f"{me.value}/problem/{key}")
        subjects.append(node.value)
        out.append(ox.Triple(me, t.STF_QUARANTINED, node))
        if problem["activity"]:
            out.append(ox.Triple(node, t.STF_ORIGIN_ACTIVITY, ox.NamedNode(problem["activity"])))
        if problem["case"]:
            out.append(ox.Triple(node, AS_OBJECT, ox.NamedNode(problem["case"])))
        out.append(ox.Triple(node, ox.NamedNode(STF + "verdict"), ox.Literal(problem["verdict"])))
        out.extend(
            ox.Triple(node, t.STF_REASON, ox.Literal(r.get("message", ""), language=lang))
            for r in problem["reasons"]
        )
    return subjects, out
