"""First harvests side by side on one federation: this tree against another tree, or write modes.

    python -m bench.harvest_compare --size 10k --rounds 2 --side new --side new:update \\
        --side base=/work/wt/s17-base

One federation (bench.federation, real nodes on loopback) is filled once; then each side harvests
it into a fresh registry (bench.harvest_worker in its own process), sides alternating round by
round so the machine's load falls on all alike, after one harvest off the clock (the nodes'
render caches would otherwise favour whichever side comes second).
A side is `name[:store_write][@workers][=tree]`: `tree` is a checkout with its own `.venv`
(default: this one), `store_write` the embedded store's page write (`update`, `extend`, `bulk`;
default: what the tree does), `workers` the registry's `page_workers` (processes that parse and
validate pages; default: the tree's default); `cpu_s` includes the workers' CPU.
Prints JSON: per side and round the first harvest's seconds, cases/s and CPU seconds
(`cpu_s` where the tree's worker reports it; `worker_cpu_s` for the whole worker process), the
re-harvest's seconds, and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import orjson

from bench.generate import default_node_count, generate, parse_size
from bench.harvest import federation_process
from bench.run import RESULTS

HERE = Path(__file__).parent.parent


def parse_side(text: str) -> dict:
    label, _, tree = text.partition("=")
    name, _, workers = label.partition("@")
    name, _, mode = name.partition(":")
    side = {"label": label, "mode": mode or None, "tree": Path(tree or HERE), "workers": None}
    if workers:
        side["workers"] = int(workers)
    return side


def harvest(side: dict, nodes: list, data_dir: Path) -> dict:
    job = {"sources": nodes, "data_dir": str(data_dir), "queries": {}, "repeats": 1}
    if side["mode"]:
        job["store_write"] = side["mode"]
    if side["workers"] is not None:
        job["page_workers"] = side["workers"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        ["nice", "-n", "19", str(side["tree"] / ".venv/bin/python"), "-m", "bench.harvest_worker"],
        input=orjson.dumps(job),
        capture_output=True,
        timeout=4 * 3600,
        cwd=side["tree"],
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{side['label']}: harvest worker failed: {proc.stderr.decode()[-800:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return orjson.loads(proc.stdout) | {"worker_cpu": worker_cpu}


def run(size: int, rounds: int, sides: list[dict], workdir: Path) -> dict:
    fed = generate(size, nodes=default_node_count(size))
    shutil.rmtree(workdir, ignore_errors=True)
    out: dict = {"size": size, "rounds": []}

    class Opts:  # what federation_process reads
        federation_socket = None

    with federation_process(fed, Opts, workdir / "nodes") as served:
        out["published"] = served["published"]
        harvest(sides[0], served["nodes"], workdir / "warm-up")  # the nodes' caches, off the clock
        shutil.rmtree(workdir / "warm-up", ignore_errors=True)
        for r in range(rounds):
            order = sides if r % 2 == 0 else sides[::-1]
            for side in order:
                data_dir = workdir / f"registry-{r}-{side['label'].replace(':', '-').replace('@', '-')}"
                load = os.getloadavg()
                result = harvest(side, served["nodes"], data_dir)
                first = result["first"]
                out["rounds"].append(
                    {
                        "round": r,
                        "side": side["label"],
                        "load_at_start": [round(x, 2) for x in load],
                        "seconds": round(first["seconds"], 2),
                        "accepted": first["accepted"],
                        "cases_per_s": round(first["accepted"] / first["seconds"], 1),
                        "cpu_s": round(first.get("cpu", 0.0), 2),
                        "cpu_ms_per_case": round(1000 * first.get("cpu", 0.0) / max(first["accepted"], 1), 2),
                        "page_workers_cpu_s": round(first.get("page_workers_cpu", 0.0), 2),
                        "worker_cpu_s": round(result["worker_cpu"], 2),  # whole process, both harvests
                        "again_s": round(result["again"]["seconds"], 2),
                        "disk_bytes_per_case": round(result["disk"] / max(first["accepted"], 1)),
                        "errors": first["errors"],
                    }
                )
                print(orjson.dumps(out["rounds"][-1]).decode(), file=sys.stderr, flush=True)
                shutil.rmtree(data_dir, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1k")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--side", action="append", default=[], help="name[:store_write][@workers][=tree]")
    args = parser.parse_args(argv)
    sides = [parse_side(s) for s in args.side or ["new"]]
    size = parse_size(args.size)
    result = run(size, args.rounds, sides, RESULTS / f"harvest-compare-{size}")
    sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
