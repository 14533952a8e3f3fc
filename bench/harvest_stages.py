"""Where a first harvest's CPU goes, stage by stage, in the registry process (issue 17).

    python -m bench.harvest_stages --cases 3000 --workers 0 --workers 2

A federation of real nodes (bench.federation) is filled once; each `--workers` value then
harvests it into a fresh in-process registry with `page_workers` set to it. The stages are the
pipeline's own functions, wrapped for the run to add up their thread CPU time: the store-writer
thread's (page write, store commit, search index, matches, provenance, suggested topics) and the
event loop's (parse, validation, admission, proofs). Also reported: the registry process's CPU,
its page workers', the nodes', and cases per wall second. Wrappers cost a little; the figures
are for finding the serial bottleneck, side by side, not for the goals table (bench.harvest_compare).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import orjson

from bench.generate import default_node_count, generate
from bench.harvest import federation_process

# (module, owner within it or None, function, label): what pipeline.py and load.py call by name.
STAGES = [
    ("stafett.harvester.pipeline", None, "write_page", "writer: the page (all of it)"),
    ("stafett.harvester.pipeline", None, "refresh_matches", "writer: matches"),
    ("stafett.harvester.quadstore", "StoreBatch", "commit", "writer: store commit"),
    ("stafett.harvester.search.index", "SearchIndex", "apply", "writer: search index"),
    ("stafett.harvester.load", None, "apply", "writer: each case (SQLite, quads, provenance)"),
    ("stafett.harvester.load", None, "case_provenance", "writer: provenance (suggested topics in it)"),
    ("stafett.harvester.parse", "PageParser", "page", "loop: parse in process"),
    ("stafett.harvester.workers", None, "feed_page", "loop: page rebuilt from a worker's text"),
    ("stafett.harvester.workers", None, "screen", "loop: admission checks, version keys"),
    ("stafett.harvester.workers", None, "validate_snapshots", "loop: validation in process"),
    ("stafett.harvester.verify", None, "verify", "loop: proofs"),
]


class StageClock:
    """Thread CPU seconds per stage while installed; uninstall() puts the functions back."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.undo: list = []

    def install(self) -> None:
        import importlib

        for module_name, owner_name, name, label in STAGES:
            module = importlib.import_module(module_name)
            owner = getattr(module, owner_name) if owner_name else module
            original = getattr(owner, name)
            setattr(owner, name, self.wrapped(original, label))
            self.undo.append((owner, name, original))

    def wrapped(self, fn, label: str):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            start = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] += time.thread_time() - start
                self.calls[label] += 1

        return timed

    def uninstall(self) -> None:
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)
        self.undo.clear()


def children_cpu(skip: set[int]) -> float:
    """CPU seconds of this process's live children (the nodes), from /proc."""
    from stafett.worker_process import process_cpu_seconds

    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in skip:
            continue
        try:
            parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid():
            total += process_cpu_seconds(int(entry))
    return total


def harvest_once(nodes: list, workdir: Path, workers: int) -> dict:
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.sources import Source
    from stafett.shapes.validate import warm_up

    settings = RegistrySettings(
        data_dir=workdir, base_url="http://127.0.0.1:9/", allow_loopback=True, page_workers=workers
    )
    registry = Registry(settings, [Source(name, url, namespaces=(url,)) for name, url in nodes])
    warm_up()
    clock = StageClock()
    clock.install()
    try:
        nodes_before, before, start = children_cpu(set()), os.times(), time.perf_counter()
        reports = registry.harvest()
        wall, after = time.perf_counter() - start, os.times()
        pool = registry.pages.cpu_seconds()
        nodes_cpu = children_cpu(set(registry.pages.pids())) - nodes_before
    finally:
        clock.uninstall()
        registry.close()
    cases = max(sum(r["accepted"] for r in reports), 1)
    per_case = lambda seconds: round(1000 * seconds / cases, 3)  # noqa: E731
    return {
        "workers": workers,
        "accepted": cases,
        "cases_per_s": round(cases / wall, 1),
        "registry_cpu_ms_per_case": per_case(after[0] - before[0] + after[1] - before[1]),
        "page_workers_cpu_ms_per_case": per_case(pool),
        "nodes_cpu_ms_per_case": per_case(nodes_cpu),
        "stages_ms_per_case": {label: per_case(clock.spent[label]) for label in clock.spent},
    }


def run(cases: int, workers: list[int]) -> dict:
    fed = generate(cases, nodes=default_node_count(cases))
    workdir = Path(tempfile.mkdtemp(prefix="stafett-stages-"))

    class Opts:  # what federation_process reads
        federation_socket = None

    try:
        with federation_process(fed, Opts, workdir / "nodes") as served:
            harvest_once(served["nodes"], workdir / "warm-up", workers[0])  # the nodes' caches
            sides = [harvest_once(served["nodes"], workdir / f"registry-{n}", n) for n in workers]
        return {"cases": cases, "load": os.getloadavg(), "sides": sides}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--workers", type=int, action="append", help="page_workers of a side (repeatable)")
    args = parser.parse_args(argv)
    result = run(args.cases, args.workers or [0, 2])
    sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
