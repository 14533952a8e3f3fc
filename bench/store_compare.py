"""The bench and example queries on the embedded store and on Debian's Virtuoso, same quads (issue 17).

    python -m bench.store_compare --cases 100000 --repeats 3 [--work DIR]

A registry's embedded store is filled with generated cases as a harvest writes them (one named
graph per case, provenance beside: bench/store_write.py's pages, the registry's own vocabulary
graphs), then compacted as the registry compacts it after a large harvest. The engine side opens
a backup of it read-only with the union default graph, as the endpoint's workers do. The same
quads, dumped as N-Quads, are bulk-loaded (`ld_dir` + `rdf_loader_run`) into a Virtuoso started
from Debian's package on loopback, whose default graph is the union of its graphs as well.

Per query: one warm-up on each side, then `--repeats` runs back to back, alternating which side
goes first; the engine iterates every solution, Virtuoso answers over its own HTTP /sparql in
SPARQL JSON (which it has to serialise and the bench has to read: that is counted against it).
Rows are compared, so a faster answer that is a different answer shows. Prints JSON: fill, dump
and load seconds, disk of both, per query both medians, their ratio and both row counts.

`--work DIR` keeps the filled store, the dump and Virtuoso's database there, and reuses each on
the next run with the same --cases (the fill of 100k takes minutes); without it all is temporary.
`--prepare-only` stops before the queries: fill and load beside other work, query on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx
import orjson
import pyoxigraph as ox

from bench.endpoint_compare import engine_ms, fill
from bench.external_stores import ExternalServer, isql, virtuoso_server
from bench.queries_bench import named_queries
from bench.store_write import BASE

# Virtuoso's documented setting for a machine that gives it 4 GB (virtuoso.ini, "Performance
# Tuning"): 340,000 buffers of 8 KB. This machine has 24 GB; the embedded store gets what RocksDB
# and the page cache take.
VIRTUOSO_BUFFERS = 340_000
DEFAULT_GRAPH = "urn:stafett:bench:default-graph"  # where ld_dir puts quads without a graph
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def disk_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def filled_engine(work: Path, cases: int, out: dict) -> ox.Store:
    """The engine's store of `cases` generated cases, compacted; filled once per --work folder."""
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings

    engine_dir, marker = work / "engine", work / f"filled-{cases}.json"
    if not marker.exists():
        for stale in ("registry", "engine", "virtuoso"):  # a dump and a load of other cases, too
            shutil.rmtree(work / stale, ignore_errors=True)
        settings = RegistrySettings(data_dir=work / "registry", base_url=BASE, allow_loopback=True)
        registry = Registry(settings, sources=[])
        try:
            filled = {"fill_s": round(fill(registry, cases), 1)}
            start = time.perf_counter()
            registry.store.optimize()  # as the registry does after a large harvest (optimize_after_cases)
            filled["optimize_s"] = round(time.perf_counter() - start, 1)
            registry.store.backup(str(engine_dir))
        finally:
            registry.close()
        shutil.rmtree(work / "registry", ignore_errors=True)
        marker.write_bytes(orjson.dumps(filled))
    out.update(orjson.loads(marker.read_bytes()))
    out["engine_disk_mb"] = disk_mb(engine_dir)
    return ox.Store.read_only(str(engine_dir))


def dumped(engine: ox.Store, virtuoso_dir: Path, out: dict) -> Path:
    """The engine's quads as one N-Quads file in Virtuoso's folder, where ld_dir may read."""
    path = virtuoso_dir / "load" / "all.nq"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        engine.dump(str(path) + ".part", ox.RdfFormat.N_QUADS)
        os.replace(str(path) + ".part", path)
        out["dump_s"] = round(time.perf_counter() - start, 1)
    out["dump_mb"] = round(path.stat().st_size / 2**20, 1)
    return path


def virtuoso_query(server: ExternalServer) -> Callable[[str], tuple[float, int]]:
    client = httpx.Client(timeout=900)

    def run(text: str) -> tuple[float, int]:
        start = time.perf_counter()
        resp = client.post(
            server.query_url, data={"query": text}, headers={"Accept": "application/sparql-results+json"}
        )
        resp.read()
        seconds = time.perf_counter() - start
        # Virtuoso answers a query that ran out of MaxQueryExecutionTime with a partial result.
        if resp.status_code != 200 or resp.headers.get("x-sql-state"):
            raise RuntimeError(
                f"HTTP {resp.status_code} {resp.headers.get('x-sql-state')}: {resp.text[:300]}"
            )
        answer = resp.json()
        rows = (
            len(answer["results"]["bindings"]) if "results" in answer else int(answer.get("boolean", False))
        )
        return 1000 * seconds, rows

    return run


def loaded(server: ExternalServer, nquads: Path, out: dict) -> None:
    """Bulk-load the dump unless this database holds it already; count the quads it now holds."""
    marker = nquads.parent / "loaded.json"
    if not marker.exists():
        before = _count_quads(server)  # a new database holds Virtuoso's own graphs
        start = time.perf_counter()
        isql(server.sql_port, f"ld_dir('{nquads.parent}', '{nquads.name}', '{DEFAULT_GRAPH}');", timeout=60)
        isql(server.sql_port, "rdf_loader_run();", timeout=7200)
        isql(server.sql_port, "checkpoint;", timeout=1800)
        load_s = round(time.perf_counter() - start, 1)
        errors = isql(server.sql_port, "SELECT ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        marker.write_bytes(
            orjson.dumps({"virtuoso_load_s": load_s, "system_quads": before, "errors": errors})
        )
    done = orjson.loads(marker.read_bytes())
    out["virtuoso_load_s"] = done["virtuoso_load_s"]
    out["virtuoso_quads"] = _count_quads(server) - done["system_quads"]
    if "0 Rows" not in done["errors"]:
        out["virtuoso_load_errors"] = done["errors"][-2000:]


def _count_quads(server: ExternalServer) -> int:
    return int(_bindings(server, COUNT_QUADS)[0]["n"]["value"])


def _bindings(server: ExternalServer, text: str) -> list[dict]:
    resp = httpx.post(
        server.query_url,
        data={"query": text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=900,
    )
    resp.raise_for_status()
    return resp.json()["results"]["bindings"]


def side_by_side(engine: Callable, virtuoso: Callable, queries: dict[str, str], repeats: int) -> dict:
    out = {}
    for name, text in queries.items():
        row: dict = {}
        sides = {"engine": engine, "virtuoso": virtuoso}
        samples: dict[str, list[float]] = {"engine": [], "virtuoso": []}
        for side, run in sides.items():
            try:
                row[f"{side}_rows"] = run(text)[1]  # warm-up
            except Exception as error:  # a query one engine cannot answer is a finding, not a crash
                row[f"{side}_error"] = str(error)[:300]
        for i in range(repeats):
            for side in ("engine", "virtuoso") if i % 2 == 0 else ("virtuoso", "engine"):
                if f"{side}_error" not in row:
                    samples[side].append(sides[side](text)[0])
        for side, got in samples.items():
            if got:
                row[f"{side}_ms"] = round(statistics.median(got), 1)
        if "engine_ms" in row and "virtuoso_ms" in row:
            row["engine_over_virtuoso"] = round(row["engine_ms"] / max(row["virtuoso_ms"], 0.1), 2)
        row["same_rows"] = row.get("engine_rows") == row.get("virtuoso_rows")
        out[name] = row
        print(name, row, file=sys.stderr, flush=True)
    return out


def run(cases: int, repeats: int, work: Path, buffers: int, prepare_only: bool = False) -> dict:
    out: dict = {"cases": cases, "repeats": repeats, "virtuoso_buffers": buffers}
    engine = filled_engine(work, cases, out)
    out["engine_quads"] = len(engine)
    nquads = dumped(engine, work / "virtuoso", out)
    with virtuoso_server(work / "virtuoso", buffers=buffers, max_rows=10_000_000, max_seconds=900) as server:
        loaded(server, nquads, out)
        out["virtuoso_disk_mb"] = disk_mb(work / "virtuoso") - out["dump_mb"]
        if prepare_only:
            return out
        out["load"] = [round(x, 2) for x in os.getloadavg()]
        out["queries"] = side_by_side(
            lambda text: engine_ms(engine, text), virtuoso_query(server), named_queries(), repeats
        )
        out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep and reuse the stores here (default: a temp folder)")
    parser.add_argument(
        "--prepare-only", action="store_true", help="fill, dump and load into --work, query nothing"
    )
    parser.add_argument("--virtuoso-buffers", type=int, default=VIRTUOSO_BUFFERS, help="8 KB pages of cache")
    args = parser.parse_args(argv)
    with ExitStack() as cleanup:
        work = args.work
        if work is None:
            work = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="stafett-store-compare-")))
        work.mkdir(parents=True, exist_ok=True)
        result = run(args.cases, args.repeats, work.resolve(), args.virtuoso_buffers, args.prepare_only)
    sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
