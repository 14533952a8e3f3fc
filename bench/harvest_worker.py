"""The harvester side of the harvest benchmark, in its own process (clean RSS, its own core).

Reads a JSON job on stdin: {"sources": [[name, url], ...], "data_dir": ..., "queries": {name: text},
"repeats": n, "profile": path-or-null}; prints one JSON result: first harvest (seconds, counts,
RSS growth, store size), re-harvest with nothing changed (seconds, pages, 304s), and the latency
of each query through the registry's SPARQL endpoint on loopback.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import orjson

from bench.measure import dir_bytes, median_p95, rss_bytes

COUNTS = ("pages", "not_modified", "fetched", "accepted", "quarantined", "refused", "skipped")


def totals(reports: list[dict]) -> dict:
    out = {k: sum(r.get(k) or 0 for r in reports) for k in COUNTS}
    out["errors"] = [r["error"] for r in reports if r.get("error")][:3]
    return out


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
    """Each query through the real /sparql endpoint (harvester/app.py) on loopback."""
    from stafett.harvester.app import create_app

    from stafett.serving import bind, serve_in_thread

    sock = bind()
    server = serve_in_thread(create_app(None, registry), sock)
    out = {}
    try:
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            for name, text in queries.items():
                samples, rows, error = [], 0, None
                for i in range(repeats + 1):  # the first run warms up and is not counted
                    start = time.perf_counter()
                    resp = client.post("sparql", data={"query": text},
                                       headers={"Accept": "application/sparql-results+json"})
                    if resp.status_code != 200:
                        error = f"HTTP {resp.status_code}: {resp.text[:120]}"
                        break
                    rows = len(resp.json().get("results", {}).get("bindings", []))
                    if i:
                        samples.append(time.perf_counter() - start)
                out[name] = {"error": error} if error else dict(zip(("median", "p95"), median_p95(samples),
                                                                    strict=True)) | {"rows": rows}
    finally:
        server.stop()
    return out


def warm_up() -> None:
    """Load the validator's shapes once, so the RSS baseline excludes fixed start-up costs."""
    from stafett.shapes import validate_quads

    validate_quads([])


def run(job: dict) -> dict:
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.sources import Source

    data_dir = Path(job["data_dir"])
    settings = RegistrySettings(data_dir=data_dir, base_url="http://127.0.0.1:9/", allow_loopback=True)
    sources = [Source(name, url, namespaces=(url,)) for name, url in job["sources"]]
    registry = Registry(settings, sources)
    warm_up()
    rss_before = rss_bytes()  # after imports and shape loading: what grows with the cases
    try:
        first_s, first = timed_harvest(registry)
        rss_after = rss_bytes()
        again_s, again = timed_harvest(registry)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
        result = {"first": {"seconds": first_s, **totals(first)},
                  "again": {"seconds": again_s, **totals(again)},
                  "rss_delta": rss_after - rss_before, "peak_rss": peak, "disk": dir_bytes(data_dir)}
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
