"""Harvest throughput through the real harvester, from many real nodes on loopback.

The nodes (`bench.federation`) serve in this process; the harvester (`bench.harvest_worker`)
runs in a separate process, so its RSS and CPU are its own. Measured: first harvest (HTTP fetch,
parse, validation, load) in cases/s against the naive in-process ingest, re-harvest with nothing
changed, memory and disk per case, and SPARQL latency through the registry's endpoint.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import orjson

from bench import federation, queries_bench
from bench.measure import Row, rate

SECTION = "harvest, nodes on loopback (cases/s)"


def missing() -> list[Row] | None:
    for module in ("stafett.harvester.registry", "stafett.harvester.pipeline", "stafett.node.app"):
        if find_spec(module) is None:
            return [Row(SECTION, "harvester or node not built yet", "", note=f"{module} does not exist yet")]
    return None


def run_worker(job: dict) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.harvest_worker"], input=orjson.dumps(job),
                          capture_output=True, timeout=3600, cwd=Path(__file__).parent.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"harvest worker failed: {proc.stderr.decode()[-800:]}")
    return orjson.loads(proc.stdout)


def measure(fed, opts, shared) -> list[Row]:
    if (absent := missing()) is not None:
        return absent
    workdir = opts.workdir / f"harvest-{fed.size}"
    shutil.rmtree(workdir, ignore_errors=True)
    start = time.perf_counter()
    processes = 1 if fed.size <= 200 else 2
    serving = federation.serve(fed, workdir / "nodes", processes, opts.federation_socket)
    with serving as (served, published, refused):
        fill_s = time.perf_counter() - start
        job = {"sources": [[s.name, s.base_url] for s in served.values()],
               "data_dir": str(workdir / "registry"),
               "queries": queries_bench.named_queries(), "repeats": opts.repeats,
               "profile": str(opts.workdir / f"harvest-profile-{fed.size}.txt") if opts.profile else None}
        result = run_worker(job)
    shared["registry_queries"] = result.get("queries", {})
    return rows_of(result, published, refused, fill_s, len(served), shared.get("naive"))


def rows_of(result: dict, published: int, refused: int, fill_s: float, nodes: int, naive_run) -> list[Row]:
    first, again = result["first"], result["again"]
    loaded = first["accepted"]
    naive_rate = rate(naive_run.cases, naive_run.wall) if naive_run else None
    rows = [
        Row(SECTION, "end-to-end harvest (HTTP, parse, validate, load)", "cases/s",
            rate(loaded, first["seconds"]), naive_rate,
            note=(f"{loaded} accepted of {published} published on {nodes} nodes in {first['seconds']:.1f} s; "
                  f"{first['pages']} pages, quarantined {first['quarantined']}, refused {first['refused']}"
                  + (f"; errors {first['errors']}" if first["errors"] else "")
                  + "; naive: in process, no HTTP")),
        Row(SECTION, "re-harvest, nothing changed", "s", again["seconds"], higher_is_better=False,
            note=f"{again['pages']} page requests, {again['not_modified']} answered 304, "
                 f"{again['fetched']} members fetched again"),
        Row(SECTION, "node fill through the node's publish flow (setup)", "cases/s", rate(published, fill_s),
            note=f"{refused} refused by the node's validation"),
        Row("store", "harvester RSS growth per case", "bytes", max(result["rss_delta"], 0) / max(loaded, 1),
            naive_run and max(naive_run.rss_delta, 0) / naive_run.cases, higher_is_better=False,
            note=f"harvester peak RSS {result['peak_rss'] / 2**20:.0f} MiB"),
        Row("store", "registry data dir on disk per case", "bytes", result["disk"] / max(loaded, 1),
            naive_run and naive_run.disk / naive_run.cases, higher_is_better=False,
            note="registry: pyoxigraph store + SQLite bookkeeping"),
    ]
    return rows
