"""Every SQL read a harvest run makes uses an index: none scans a table that grows with the cases.

Measured at 100k cases (docs/benchmarks.md): one unindexed per-source COUNT cost 29 ms a source,
29 s of a 1,000-source re-harvest. The statements are captured from a real harvest (SQLite's
trace hook), so a new query added anywhere in the run is checked too.
"""

import sqlite3

from harvest_support import FeedServer, case_doc

from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source

GROWING = ("routes", "cases", "runs", "problems", "feed", "processed", "pages")
# Walking the integer primary key from its end with a LIMIT reads only that many rows.
NEWEST_FIRST = ("ORDER BY seq DESC LIMIT", "ORDER BY id DESC LIMIT")


def full_scans(conn: sqlite3.Connection, statement: str) -> list[str]:
    plan = conn.execute("EXPLAIN QUERY PLAN " + statement.replace("?", "NULL")).fetchall()
    details = [row[-1] for row in plan]
    bounded = any(pattern in " ".join(statement.split()) for pattern in NEWEST_FIRST)
    return [d for d in details if d.startswith("SCAN ") and d.split()[1] in GROWING and not bounded]


def test_harvest_reads_use_indexes(tmp_path):
    node = FeedServer(page_size=2)
    for i in range(5):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    registry = Registry(
        RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True),
        [Source("n1", node.base, (node.base,))],
    )
    seen: set[str] = set()
    for conn in (registry.db.conn, registry.db.reader):
        conn.set_trace_callback(seen.add)
    try:
        registry.harvest()
        registry.harvest()  # the re-harvest path: 304s, empty-feed check, reports
        registry.source_summary(registry.sources[0])
        registry.reports.runs("n1")
    finally:
        for conn in (registry.db.conn, registry.db.reader):
            conn.set_trace_callback(None)
        node.stop()
    selects = sorted(s for s in seen if s.lstrip().upper().startswith("SELECT"))
    assert len(selects) >= 5, selects
    check = sqlite3.connect(registry.settings.db_path)
    scans = {s: full_scans(check, s) for s in selects}
    registry.close()
    assert not {s: found for s, found in scans.items() if found}
