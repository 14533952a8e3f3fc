"""Ingest per stage, ours against naive, in one process on the same documents (no HTTP).

Ours: `stafett.vocabulary.jsonld` (pyoxigraph's JSON-LD parser, inlined context) and
`stafett.shapes.validate_quads` (whatever engine the shapes area ships). The load stage and the
end-to-end harvest are measured by `bench.harvest` through the real harvester, once it exists.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from bench import naive
from bench.measure import Row, rate
from stafett.shapes import validate_quads
from stafett.vocabulary.jsonld import json_ld_to_quads, load_json


def ours_parse_validate(raws: list[bytes]) -> tuple[float, float, int]:
    """Seconds spent parsing, seconds validating, and how many documents conformed."""
    validate_quads(json_ld_to_quads(load_json(raws[0])))  # shapes load once, before the clock
    parse = validate = 0.0
    conforming = 0
    for raw in raws:
        t0 = time.perf_counter()
        quads = json_ld_to_quads(load_json(raw))
        t1 = time.perf_counter()
        conforming += validate_quads(quads).conforms
        validate += time.perf_counter() - t1
        parse += t1 - t0
    return parse, validate, conforming


def naive_store_name() -> str:
    """Per run: two runs at once (e.g. a 100k run and a quick 1k check) must not share a store."""
    return f"naive-store-{os.getpid()}"


def measure(cases, workdir: Path, sample: int | None = None) -> tuple[list[Row], naive.NaiveRun]:
    """`cases` are generated `Case`s; returns the rows and the naive store (queried later).

    The per-document rates use the first `sample` cases on both sides (all by default); the naive
    store still receives every case (see naive.ingest)."""
    raws = [c.to_bytes() for c in cases]
    path = workdir / naive_store_name()
    shutil.rmtree(path, ignore_errors=True)
    run = naive.ingest([(c.id, r) for c, r in zip(cases, raws, strict=True)], path, sample)
    raws = raws[: run.cases]
    parse, validate, conforming = ours_parse_validate(raws)
    n = len(raws)
    section = "ingest per stage, in process (cases/s)"
    rows = [
        Row(
            section,
            "parse JSON-LD",
            "cases/s",
            rate(n, parse),
            rate(n, run.stages["parse"]),
            note="ours: pyoxigraph + inlined context; naive: pyld",
        ),
        Row(
            section,
            "validate (SHACL)",
            "cases/s",
            rate(n, validate),
            rate(n, run.stages["validate"]),
            note=f"ours: stafett.shapes ({conforming}/{n} conform); naive: pySHACL ({run.accepted}/{n})",
        ),
        Row(
            section,
            "load, one transaction per case (naive)",
            "cases/s",
            None,
            rate(n, run.stages["load"]),
            note="ours: see the harvest rows",
        ),
        Row(
            section,
            "naive end to end (parse+validate+load)",
            "cases/s",
            None,
            rate(n, run.wall),
            note=f"per-document rates over the first {n:,} of {run.stored:,} cases",
        ),
        Row(
            "store",
            "naive store on disk per case",
            "bytes",
            None,
            run.disk / run.stored,
            higher_is_better=False,
        ),
        Row(
            "store",
            "naive RSS growth per case",
            "bytes",
            None,
            max(run.rss_delta, 0) / run.stored,
            higher_is_better=False,
            note="RSS delta over the whole naive ingest",
        ),
    ]
    return rows, run
