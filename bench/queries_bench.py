"""SPARQL latency: the bench queries plus examples/queries/*.rq, median and p95 per query."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.measure import Row, median_p95

BENCH_QUERIES = Path(__file__).parent / "queries"
EXAMPLE_QUERIES = Path(__file__).parent.parent / "examples" / "queries"


def named_queries() -> dict[str, str]:
    """Bench queries (facets, text filter, ordered paging) and every example query that exists."""
    out = {p.stem: p.read_text("utf-8") for p in sorted(BENCH_QUERIES.glob("*.rq"))}
    out.update({f"example/{p.stem}": p.read_text("utf-8") for p in sorted(EXAMPLE_QUERIES.glob("*.rq"))})
    return out


def latencies(run: Callable[[str], int], sparql: str, repeats: int) -> tuple[list[float], int]:
    run(sparql)  # warm caches once, as a long-running endpoint would be
    samples, rows = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        rows = run(sparql)
        samples.append(time.perf_counter() - start)
    return samples, rows


def measure(naive: Callable[[str], int], repeats: int = 9, ours: dict | None = None) -> list[Row]:
    """Rows of median and p95 milliseconds per query, and the median of a kept answer.

    `ours` holds the registry endpoint's figures per query name, in seconds (median and p95 of
    uncached runs, kept_median and kept_p95 of answers kept for the store version, rows), or
    {"error"}, measured by bench.harvest_worker; None leaves that column empty. The naive store
    keeps nothing, so every naive run is a full evaluation.
    """
    rows = []
    section = "sparql latency (ms); ours: registry /sparql over HTTP, naive: store.query"
    for name, sparql in named_queries().items():
        naive_samples, naive_rows = latencies(naive, sparql, repeats)
        n_med, n_p95 = median_p95(naive_samples)
        got = (ours or {}).get(name, {})
        note = f"{naive_rows} result rows"
        if "rows" in got:
            note += f" (ours: {got['rows']})"
        elif got.get("error"):
            note += f"; ours failed: {got['error'][:100]}"
        ms = {key: got[key] * 1e3 for key in ("median", "p95", "kept_median") if got.get(key)}.get
        rows.append(
            Row(
                section,
                f"{name} median, uncached",
                "ms",
                ms("median"),
                n_med * 1e3,
                higher_is_better=False,
                note=note,
            )
        )
        rows.append(
            Row(section, f"{name} p95, uncached", "ms", ms("p95"), n_p95 * 1e3, higher_is_better=False)
        )
        if got.get("kept_error"):
            # A kept-answer row would have no figure of ours: say why in the uncached row instead.
            rows[-2] = replace(rows[-2], note=f"{note}; never kept: {why_not_kept(sparql)}")
            continue
        rows.append(
            Row(
                section,
                f"{name} median, kept answer",
                "ms",
                ms("kept_median"),
                n_med * 1e3,
                higher_is_better=False,
                note="asked again before the next harvest commit",
            )
        )
    return rows


def why_not_kept(sparql: str) -> str:
    """Why the endpoint runs a query afresh every time (harvester/sparql/gate.py decides)."""
    if "NOW()" in sparql.upper().replace(" ", ""):
        return "it asks for NOW(), so its answer changes with the clock and runs again"
    return "the answer is over an eighth of the cache budget, so it runs again"
