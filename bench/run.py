"""Run the benchmarks and print one table: machine, versions, then every stage, ours vs naive.

    python -m bench.run --size 1k         # or: bash bench/run --size 1k
    python -m bench.run --smoke           # 20 cases, short durations (what CI runs)

Each stage plugs in when its code exists (node app, harvester pipeline, registry SPARQL); a stage
whose code is missing prints why instead of a number. Results also go to bench/results/.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import traceback
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench import components, generate, ingest, naive, queries_bench
from bench.measure import Row, machine_info
from stafett.serving import bind, url_of

RESULTS = Path(__file__).parent / "results"
STAGES = ("components", "ingest", "node", "harvest", "sparql")  # sparql needs ingest (the naive store)
SMOKE_SIZE = 20  # pySHACL validates ~12 cases/s here, and the smoke run validates each case 5 times


@dataclass
class Options:
    size: int
    seed: int = 7
    seconds: float = 5.0  # duration of each HTTP load phase
    connections: int = 4  # concurrent connections of the load generator
    component_sample: int = 200  # documents used for the component rows
    repeats: int = 9  # runs per SPARQL query
    pipeline_sample: int = 10_000  # cases run through the per-document pipelines (parse, validate)
    profile: bool = False
    only: tuple[str, ...] = ()  # stage names to run (default: all)
    nodes: int | None = None  # publisher count (default: size/100, 10..1000)
    workdir: Path = RESULTS
    federation_socket: socket.socket | None = None  # where bench.federation serves the nodes


def fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value >= 0.01 else f"{value:.2g}"


def table(rows: list[Row]) -> str:
    lines = ["| section | measure | ours | naive | ours vs naive | note |", "|---|---|---:|---:|---:|---|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio else "–"
        lines.append(
            f"| {r.section} | {r.name} ({r.unit}) | {fmt(r.ours)} | {fmt(r.naive)} | {ratio} | {r.note} |"
        )
    return "\n".join(lines)


def machine_table(info: dict[str, str]) -> str:
    return "\n".join(["| machine | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in info.items()])


def stages(opts: Options, fed: generate.Federation):
    """Yield (name, callable returning rows); the callables share state through `shared`."""
    shared: dict = {}
    rng = random.Random(opts.seed)
    sample = rng.sample(fed.cases, min(opts.component_sample, len(fed.cases)))

    def run_ingest():
        rows, shared["naive"] = ingest.measure(fed.cases, opts.workdir, opts.pipeline_sample)
        return rows

    def run_queries():
        if "naive" not in shared:
            return [Row("sparql", "not measured", "", note="needs the ingest stage (the naive store)")]
        return queries_bench.measure(
            lambda q: naive.query(shared["naive"].store, q), opts.repeats, shared.get("registry_queries")
        )

    yield "components", lambda: components.measure([c.to_bytes() for c in sample])
    yield "ingest", run_ingest
    from bench import harvest, node_bench  # imported late: they probe for code that may not exist yet

    yield "node", lambda: node_bench.measure(fed, opts)
    yield "harvest", lambda: harvest.measure(fed, opts, shared)
    yield "sparql", run_queries


def run(opts: Options, out=print) -> tuple[dict, list[Row]]:
    opts.workdir.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    # Case IRIs are minted under the addresses the nodes will be served at, so cross-links
    # between cases (adoptedFrom, relatedCase, ...) resolve in the harvested registry too.
    opts.federation_socket = bind()
    fed = generate.generate(
        opts.size, seed=opts.seed, nodes=opts.nodes, base_url=url_of(opts.federation_socket) + "n{index}"
    )
    info["federation"] = f"{len(fed.cases):,} cases on {len(fed.nodes):,} nodes (seed {opts.seed})"
    out(machine_table(info))
    rows: list[Row] = []
    for name, stage in stages(opts, fed):
        if opts.only and name not in opts.only:
            continue
        try:
            got = stage()
        except Exception as err:  # one broken stage must not hide the others' figures
            traceback.print_exc()
            got = [Row(name, "stage failed", "", note=f"{type(err).__name__}: {str(err)[:160]}")]
        rows.extend(got)
        out(f"\n[{name}] done")
    out("\n" + table(rows))
    save(opts, info, rows)
    return info, rows


def save(opts: Options, info: dict, rows: list[Row]) -> None:
    nodes = f"-{opts.nodes}nodes" if opts.nodes else ""
    stem = opts.workdir / f"run-{opts.size}{nodes}{'-' + '-'.join(opts.only) if opts.only else ''}"
    stem.with_suffix(".json").write_bytes(
        orjson.dumps({"machine": info, "rows": [r.as_dict() for r in rows]}, option=orjson.OPT_INDENT_2)
    )
    stem.with_suffix(".md").write_text(machine_table(info) + "\n\n" + table(rows) + "\n", "utf-8")


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description="Stafett benchmarks (see docs/benchmarks.md)")
    parser.add_argument("--size", default="1k", help="cases: 200, 1k, 10k, 100k")
    parser.add_argument("--smoke", action="store_true", help="20 cases, 1 s load phases (CI smoke check)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each HTTP load phase")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--profile", action="store_true", help="cProfile the end-to-end harvest")
    parser.add_argument("--workdir", type=Path, default=RESULTS)
    parser.add_argument("--nodes", type=int, default=None, help="publishers (default: size/100, 10..1000)")
    parser.add_argument("--only", default="", help="comma-separated stages: " + ", ".join(STAGES))
    parser.add_argument("--repeats", type=int, default=9, help="runs per SPARQL query and side")
    parser.add_argument(
        "--pipeline-sample",
        type=int,
        default=10_000,
        help="cases parsed and validated one by one in the ingest stage (naive and ours); "
        "every case is still loaded into the naive store",
    )
    args = parser.parse_args(argv)
    only = tuple(s for s in args.only.split(",") if s)
    if args.smoke:
        return Options(
            size=SMOKE_SIZE,
            seed=args.seed,
            seconds=1.0,
            connections=2,
            component_sample=10,
            repeats=3,
            workdir=args.workdir,
        )
    return Options(
        size=generate.parse_size(args.size),
        seed=args.seed,
        seconds=args.seconds,
        connections=args.connections,
        profile=args.profile,
        workdir=args.workdir,
        only=only,
        nodes=args.nodes,
        repeats=args.repeats,
        pipeline_sample=args.pipeline_sample,
    )


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    run(opts)
    shutil.rmtree(opts.workdir / ingest.naive_store_name(), ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
