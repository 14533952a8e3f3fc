"""Harvest throughput through the real harvester, from many real nodes on loopback.

The nodes (`bench.federation`) serve from one process, the harvester (`bench.harvest_worker`)
from another, so each one's RSS, CPU and garbage collector are its own. Measured: first harvest (HTTP fetch,
parse, validation, load) in cases/s against the naive in-process ingest, re-harvest with nothing
changed, memory and disk per case, and SPARQL latency through the registry's endpoint.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import orjson

from bench import queries_bench
from bench.child import job_process
from bench.measure import Row, rate
from stafett.serving import bind, url_of

SECTION = "harvest, nodes on loopback (cases/s)"


def missing() -> list[Row] | None:
    for module in ("stafett.harvester.registry", "stafett.harvester.pipeline", "stafett.node.app"):
        if find_spec(module) is None:
            return [Row(SECTION, "harvester or node not built yet", "", note=f"{module} does not exist yet")]
    return None


def run_worker(job: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.harvest_worker"],
        input=orjson.dumps(job),
        capture_output=True,
        timeout=4 * 3600,
        cwd=Path(__file__).parent.parent,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"harvest worker failed: {proc.stderr.decode()[-800:]}")
    return orjson.loads(proc.stdout)


def measure(fed, opts, shared) -> list[Row]:
    if (absent := missing()) is not None:
        return absent
    workdir = opts.workdir / f"harvest-{fed.size}"
    shutil.rmtree(workdir, ignore_errors=True)
    with federation_process(fed, opts, workdir / "nodes") as served:
        job = {
            "sources": served["nodes"],
            "data_dir": str(workdir / "registry"),
            "queries": queries_bench.named_queries(),
            "repeats": opts.repeats,
            "profile": str(opts.workdir / f"harvest-profile-{fed.size}.txt") if opts.profile else None,
        }
        result = run_worker(job)
    shared["registry_queries"] = result.get("queries", {})
    return rows_of(
        result,
        served["published"],
        served["refused"],
        served["fill_seconds"],
        len(served["nodes"]),
        shared.get("naive"),
    )


@contextmanager
def federation_process(fed, opts, workdir: Path):
    """Fill and serve every node from a separate process (bench.federation), on the socket the
    federation's IRIs were generated under; yields what it reports (nodes, counts, fill time)."""
    sock = opts.federation_socket or bind()
    base_url = url_of(sock) + "n{index}"
    job = {
        "size": fed.size,
        "seed": fed.seed,
        "nodes": len(fed.nodes),
        "base_url": base_url,
        "fd": sock.fileno(),
        "workdir": str(workdir),
        "processes": 1 if fed.size <= 200 else 2,
    }
    try:
        with job_process("bench.federation", job, pass_fds=(sock.fileno(),), stop_timeout=60) as (_, info):
            yield info
    finally:
        sock.close()


def rows_of(result: dict, published: int, refused: int, fill_s: float, nodes: int, naive_run) -> list[Row]:
    first, again = result["first"], result["again"]
    loaded = first["accepted"]
    naive_rate = rate(naive_run.cases, naive_run.wall) if naive_run else None
    rows = [
        Row(
            SECTION,
            "end-to-end harvest (HTTP, parse, validate, load)",
            "cases/s",
            rate(loaded, first["seconds"]),
            naive_rate,
            note=(
                f"{loaded} accepted of {published} published on {nodes} nodes in {first['seconds']:.1f} s; "
                f"{first['pages']} pages, quarantined {first['quarantined']}, refused {first['refused']}"
                + (f"; errors {first['errors']}" if first["errors"] else "")
                + "; naive: in process, no HTTP"
            ),
        ),
        Row(
            SECTION,
            "re-harvest, nothing changed",
            "s",
            again["seconds"],
            higher_is_better=False,
            note=f"{again['pages']} page requests, {again['not_modified']} answered 304, "
            f"{again['fetched']} members fetched again",
        ),
        Row(
            SECTION,
            "node fill through the node's publish flow (setup)",
            "cases/s",
            rate(published, fill_s),
            note=f"{refused} refused by the node's validation",
        ),
        Row(
            "store",
            "harvester RSS growth per case",
            "bytes",
            max(result["rss_delta"], 0) / max(loaded, 1),
            naive_run and max(naive_run.rss_delta, 0) / naive_run.stored,
            higher_is_better=False,
            note=peak_note(result),
        ),
        Row(
            "store",
            "registry data dir on disk per case",
            "bytes",
            result["disk"] / max(loaded, 1),
            naive_run and naive_run.disk / naive_run.stored,
            higher_is_better=False,
            note="registry: pyoxigraph store + SQLite bookkeeping",
        ),
    ]
    return rows


def peak_note(result: dict) -> str:
    """Peak RSS, and where it was reached (sampled every 0.2 s per phase)."""
    mib = lambda n: f"{n / 2**20:.0f} MiB"  # noqa: E731
    phases = ", ".join(f"{name} {mib(v)}" for name, v in result.get("peaks", {}).items())
    note = f"harvester peak RSS {mib(result['peak_rss'])}"
    if phases:
        note += f" (sampled: {phases})"
    if result.get("parser_peak_rss"):
        note += f"; parser worker process peak {mib(result['parser_peak_rss'])}"
    return note
