"""The harvester side of the harvest benchmark, in its own process (clean RSS, its own core).

Reads a JSON job on stdin: {"sources": [[name, url], ...], "data_dir": ..., "queries": {name: text},
"repeats": n, "profile": path-or-null, "index": false to harvest without the search index,
"store_write": "update" | "extend" | "bulk" (the embedded store's page write, issue 17)};
prints one JSON result: first harvest (seconds, counts,
RSS growth, store size), re-harvest with nothing changed (seconds, pages, 304s), and the latency
of each query through the registry's SPARQL endpoint on loopback.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import orjson

from bench.measure import RssSampler, dir_bytes, median_p95, peak_rss_of, rss_bytes

COUNTS = ("pages", "not_modified", "fetched", "accepted", "quarantined", "refused", "skipped")


def totals(reports: list[dict]) -> dict:
    out = {k: sum(r.get(k) or 0 for r in reports) for k in COUNTS}
    out["errors"] = [r["error"] for r in reports if r.get("error")][:3]
    return out


def cpu_seconds(before, after) -> float:
    """CPU of this process and its reaped children (the parser workers) between two os.times()."""
    return sum(after[i] - before[i] for i in range(4))


def timed_harvest(registry) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    reports = registry.harvest()
    return time.perf_counter() - start, reports


def profiled_harvest(settings, sources, path: Path) -> None:
    """A second first-time harvest into a fresh registry under cProfile (kept out of the timings)."""
    from stafett.harvester.registry import Registry

    registry = Registry(replace(settings, data_dir=settings.data_dir / "profiled"), sources)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        registry.harvest()
        profiler.disable()
    finally:
        registry.close()
    write_profile(profiler, path)


def write_profile(profiler: cProfile.Profile, path: Path) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    path.write_text(out.getvalue(), "utf-8")


def query_latencies(registry, queries: dict[str, str], repeats: int) -> dict:
    """Each query through the real /sparql endpoint (harvester/app.py) on loopback, two ways.

    - uncached: every run sends a distinct text (a trailing comment), so nothing kept is reused and
      the gate parses it anew: what a query nobody asked since the last harvest commit costs;
    - kept: the same text again after a first run, answered from the answers kept for this store
      version (harvester/sparql/answers.py). `Stafett-Answer-Cache` is checked on every response.
    The time limit and row cap are lifted so both sides return the same rows (see the docs).
    """
    from stafett.harvester.app import create_app
    from stafett.harvester.sparql.service import settings_for
    from stafett.serving import bind, serve_in_thread

    settings = replace(settings_for(registry), timeout_seconds=600, max_rows=10_000_000)
    sock = bind()
    server = serve_in_thread(create_app(settings, registry), sock)
    out = {}
    try:
        with httpx.Client(base_url=server.base_url, timeout=900) as client:
            for name, text in queries.items():
                out[name] = one_query(client, text, repeats)
    finally:
        server.stop()
    return out


def one_query(client: httpx.Client, text: str, repeats: int) -> dict:
    def ask(query: str, expect: str) -> tuple[float, int]:
        start = time.perf_counter()
        resp = client.post(
            "sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        seconds = time.perf_counter() - start
        if resp.status_code != 200:
            raise RuntimeError(f"HTTP {resp.status_code}: {resp.text[:120]}")
        if resp.headers.get("stafett-answer-cache") != expect:
            raise RuntimeError(f"expected a {expect}, got {resp.headers.get('stafett-answer-cache')}")
        return seconds, len(resp.json().get("results", {}).get("bindings", []))

    try:
        ask(text + "\n# warm-up", "miss")  # the first query after start-up opens the snapshot
        uncached = [ask(f"{text}\n# uncached run {i}", "miss") for i in range(repeats)]
    except RuntimeError as err:
        return {"error": str(err)}
    u_med, u_p95 = median_p95([s for s, _ in uncached])
    out = {"median": u_med, "p95": u_p95, "rows": uncached[0][1]}
    try:
        ask(text, "miss")
        kept = [ask(text, "hit") for _ in range(repeats)]
    except RuntimeError as err:  # e.g. an answer over an eighth of the cache budget is never kept
        return out | {"kept_error": str(err)}
    k_med, k_p95 = median_p95([s for s, _ in kept])
    return out | {"kept_median": k_med, "kept_p95": k_p95}


def parser_peak(registry) -> int:
    """Peak RSS of the harvester's JSON-LD parser worker process (0 when none was started)."""
    return max((peak_rss_of(pid) for pid in registry.parser.worker.pids()), default=0)


def page_workers_cpu(registry) -> float:
    """CPU seconds of the registry's page workers (live processes are not in os.times())."""
    pages = getattr(registry, "pages", None)  # a tree from before issue 17's page workers has none
    return pages.cpu_seconds() if pages is not None else 0.0


def warm_up() -> None:
    """Load the validator's shapes once, so the RSS baseline excludes fixed start-up costs."""
    from stafett.shapes import validate_quads

    validate_quads([])


def time_index_updates(registry) -> list[float]:
    """Seconds spent in the search index's page updates (re-reading the page's cases from the
    store, analysing, committing), summed into the returned one-item list as the harvest runs."""
    spent = [0.0]
    index = registry.search
    if index is not None:
        apply = index.apply

        def timed_apply(cases, token):
            start = time.perf_counter()
            try:
                return apply(cases, token)
            finally:
                spent[0] += time.perf_counter() - start

        index.apply = timed_apply
    return spent


def run(job: dict) -> dict:
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.sources import Source

    data_dir = Path(job["data_dir"])
    settings = RegistrySettings(data_dir=data_dir, base_url="http://127.0.0.1:9/", allow_loopback=True)
    if "page_workers" in job:  # bench/harvest_compare.py's `@workers`
        settings = replace(settings, page_workers=int(job["page_workers"]))
    sources = [Source(name, url, namespaces=(url,)) for name, url in job["sources"]]
    registry = Registry(settings, sources)
    if job.get("store_write"):  # "update": the page write before issue 17 (bench/harvest_compare.py)
        registry.backend.write_mode = job["store_write"]
    if job.get("index") is False and registry.search is not None:
        registry.search.close()  # harvest without the search index (bench/search_bench.py compares)
        registry.search = None
    index_seconds = time_index_updates(registry)
    warm_up()
    rss_before = rss_bytes()  # after imports and shape loading: what grows with the cases
    sampler = RssSampler()
    try:
        sampler.phase = "first"
        cpu_before, workers_before = os.times(), page_workers_cpu(registry)
        first_s, first = timed_harvest(registry)
        cpu_after, workers_after = os.times(), page_workers_cpu(registry)
        rss_after = rss_bytes()
        sampler.phase = "again"
        again_s, again = timed_harvest(registry)
        # VmHWM, not ru_maxrss: a process spawned by a large parent inherits the parent's peak in
        # ru_maxrss on Linux (the 100k run's 3.7 GiB bench process showed up as our "peak").
        peak = peak_rss_of(os.getpid())
        result = {
            "first": {
                "seconds": first_s,
                "cpu": cpu_seconds(cpu_before, cpu_after) + workers_after - workers_before,
                "page_workers_cpu": workers_after - workers_before,
                **totals(first),
            },
            "again": {"seconds": again_s, **totals(again)},
            "rss_delta": rss_after - rss_before,
            "peak_rss": peak,
            "disk": dir_bytes(data_dir),
            "peaks": sampler.stop(),
            "parser_peak_rss": parser_peak(registry),
            "index_seconds": index_seconds[0],
        }
        if job.get("queries"):
            result["queries"] = query_latencies(registry, job["queries"], int(job.get("repeats", 5)))
    finally:
        registry.close()
    if job.get("profile"):
        profiled_harvest(settings, sources, Path(job["profile"]))
    return result


def main() -> int:
    job = orjson.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(orjson.dumps(run(job)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
