"""The harvester's store write, old path against new, side by side (issue 17, item 2).

    python -m bench.store_write --cases 10000 [--page 50]

Generated cases are parsed once; each feed page of `--page` cases is then written, as the
harvester writes it (`StoreBatch`: the case graph and its provenance, one transaction per page,
and the search index's commit marker replaced on every page),
into three fresh on-disk stores in turn, page by page, so the machine's load falls on all alike:
- `update`: one SPARQL UPDATE per page (DROP + INSERT DATA + DELETE WHERE), the path before issue 17;
- `extend`: `Store.extend` of the page's quads when it only adds (the harvester's path now);
- `bulk_extend`: `Store.bulk_extend` of the same quads (no transaction: for reference only).
Then every page is written again into the `update` and `extend` stores (a re-sync replacing every
graph: the extend store falls back to the update). Prints a JSON result: CPU-ms and wall-ms per case.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pyoxigraph as ox

from bench.generate import generate
from stafett.harvester.admit import ACCEPT, Decision
from stafett.harvester.load import case_provenance, route_description, route_iri
from stafett.harvester.parse import Member
from stafett.harvester.quadstore import EmbeddedStore, added_quads
from stafett.harvester.sources import Source
from stafett.harvester.suggest import suggestion_iri
from stafett.vocabulary.jsonld import json_ld_to_quads, load_json

BASE = "http://127.0.0.1:9/"
PROV = BASE + "graph/provenance"
NOW = "2026-12-03T12:00:00.000000Z"
MARKER = ox.NamedNode(BASE + "search#commit")
DCT_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")


def page_writes(cases: int, page: int) -> list[list[tuple]]:
    """Per page, the write_case arguments the harvester would pass for each generated case."""
    return list(iter_page_writes(cases, page))


def iter_page_writes(cases: int, page: int) -> Iterator[list[tuple]]:
    """page_writes one page at a time: 100k cases' parsed triples do not have to fit in memory."""
    fed = generate(cases)
    writes: list[tuple] = []
    for case in fed.cases:
        triples = [
            ox.Triple(q.subject, q.predicate, q.object) for q in json_ld_to_quads(load_json(case.to_bytes()))
        ]
        source = Source(case.node.slug, case.node.base_url, namespaces=(case.node.base_url,))
        member = Member(f"{case.id}/activity/1", "Create", case.id, "2026-12-01T00:00:00Z", triples)
        decision = Decision(member, ACCEPT, direct=True)
        provenance = case_provenance(BASE, source, decision, NOW, "en") + route_description(
            BASE, case.id, source, decision, member.published
        )
        subjects = [case.id, route_iri(BASE, case.id, source.name), suggestion_iri(BASE, case.id)]
        writes.append((case.id, triples, PROV, subjects, provenance))
        if len(writes) == page:
            yield writes
            writes = []
    if writes:
        yield writes


class Side:
    def __init__(self, name: str, root: Path) -> None:
        self.name, self.cpu, self.wall, self.cases = name, 0.0, 0.0, 0
        self.store = ox.Store(str(root / name))
        self.backend = EmbeddedStore(self.store, write_mode="update" if name == "update" else "extend")

    def write(self, writes: list[tuple]) -> None:
        c0, w0 = time.thread_time(), time.perf_counter()
        batch = self.backend.batch()
        for args in writes:
            batch.write_case(*args)
        token = ox.Literal(f"page-{self.cases}")  # what the search index writes into every page
        batch.replace_about(PROV, [MARKER.value], [ox.Triple(MARKER, DCT_IDENTIFIER, token)])
        if self.name == "bulk_extend":
            self.store.bulk_extend(added_quads(batch.writes))
            self.backend.written(batch.quads)
        else:
            batch.commit()
        self.cpu += time.thread_time() - c0
        self.wall += time.perf_counter() - w0
        self.cases += len(writes)

    def figures(self) -> dict:
        return {
            "cases": self.cases,
            "cpu_ms_per_case": round(1000 * self.cpu / self.cases, 3),
            "wall_ms_per_case": round(1000 * self.wall / self.cases, 3),
            "cases_per_s_wall": round(self.cases / self.wall, 1),
            "extends": self.backend.extends,
            "updates": self.backend.updates,
        }

    def reset(self) -> None:
        self.cpu = self.wall = 0.0
        self.cases = self.backend.extends = self.backend.updates = 0


def run(cases: int, page: int) -> dict:
    pages = page_writes(cases, page)
    root = Path(tempfile.mkdtemp(prefix="stafett-store-write-"))
    try:
        sides = [Side(name, root) for name in ("update", "extend", "bulk_extend")]
        for writes in pages:  # interleaved page by page: the same load on every side
            for side in sides:
                side.write(writes)
        first = {side.name: side.figures() for side in sides}
        held = {side.name: len(side.store) for side in sides}  # the same quads on every side
        for side in sides[:2]:
            side.reset()
        for writes in pages:  # a re-sync: every graph and subject is replaced
            for side in sides[:2]:
                side.write(writes)
        again = {side.name: side.figures() for side in sides[:2]}
        return {
            "cases": cases,
            "page": page,
            "load": os.getloadavg(),
            "first": first,
            "again": again,
            "quads": held,
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--page", type=int, default=50)
    args = parser.parse_args(argv)
    sys.stdout.buffer.write(orjson.dumps(run(args.cases, args.page), option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
