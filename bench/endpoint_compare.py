"""The registry's /sparql against the engine on the same store, interleaved (issue 17, items 5-6).

    python -m bench.endpoint_compare --cases 10000 --repeats 5

A registry's embedded store is filled with generated cases written as a harvest writes them (one
named graph per case, provenance beside; bench/store_write.py's pages), then the real endpoint
(harvester/app.py, its worker processes on the snapshot it takes) is served on loopback. The
engine side opens a backup of the same store taken at the same moment, read-only, with the union
default graph, as a worker does, and iterates every solution. Per query and repeat the two sides
run back to back, alternating which goes first; every endpoint request is a distinct text (a
trailing comment), so it is always evaluated. Then the store is compacted (`Store.optimize()`,
as the registry does after a large harvest), both sides take the compacted store, and everything
is measured again. Prints JSON: per query the medians (ms) and the ratio engine/endpoint, before
and after the compaction, and the load average.

    python -m bench.endpoint_compare --store-from DIR/engine --repeats 3

starts the registry on a copy of a store that bench/store_compare.py filled and compacted (100k
cases take 22 minutes to fill) and measures it once, as given. A query the endpoint refuses (a
worker's memory cap, say) is reported with its error instead of ending the run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx
import orjson
import pyoxigraph as ox

from bench.queries_bench import named_queries
from bench.store_write import BASE, iter_page_writes


def fill(registry, cases: int) -> float:
    start = time.perf_counter()
    for writes in iter_page_writes(cases, 50):
        batch = registry.backend.batch()
        for args in writes:
            batch.write_case(*args)
        batch.commit()
    registry.store.flush()
    return time.perf_counter() - start


def engine_of(registry, root: Path, name: str) -> ox.Store:
    target = root / name
    registry.store.backup(str(target))
    return ox.Store.read_only(str(target))


def engine_ms(store: ox.Store, text: str) -> tuple[float, int]:
    start = time.perf_counter()
    answer = store.query(text, use_default_graph_as_union=True)
    rows = sum(1 for _ in answer) if isinstance(answer, ox.QuerySolutions) else int(bool(answer))
    return 1000 * (time.perf_counter() - start), rows


def endpoint_ms(client: httpx.Client, text: str) -> tuple[float, int]:
    start = time.perf_counter()
    resp = client.post("sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
    resp.read()
    seconds = time.perf_counter() - start
    if resp.status_code != 200 or resp.headers.get("stafett-answer-cache") != "miss":
        raise RuntimeError(
            f"HTTP {resp.status_code} {resp.headers.get('stafett-answer-cache')}: {resp.text[:200]}"
        )
    return 1000 * seconds, len(resp.json().get("results", {}).get("bindings", []))


def compare(store: ox.Store, client: httpx.Client, queries: dict[str, str], repeats: int, tag: str) -> dict:
    out = {}
    for name, text in queries.items():
        engine_ms(store, text)  # warm both sides once (the first query opens a worker's snapshot)
        try:
            endpoint_ms(client, f"{text}\n# {tag} warm-up")
        except RuntimeError as error:  # refused by the endpoint: a finding, not the end of the run
            out[name] = {"error": str(error)[:300]}
            print(tag, name, out[name], file=sys.stderr, flush=True)
            continue
        engine, endpoint, rows = [], [], (0, 0)
        for i in range(repeats):
            if i % 2 == 0:
                got = (engine_ms(store, text), endpoint_ms(client, f"{text}\n# {tag} {i}"))
            else:
                endpoint_first = endpoint_ms(client, f"{text}\n# {tag} {i}")
                got = (engine_ms(store, text), endpoint_first)
            engine.append(got[0][0])
            endpoint.append(got[1][0])
            rows = (got[0][1], got[1][1])
        e, p = statistics.median(engine), statistics.median(endpoint)
        out[name] = {
            "engine_ms": round(e, 1),
            "endpoint_ms": round(p, 1),
            "ratio": round(e / p, 3),  # the goal: >= 0.9
            "rows": rows,
        }
        print(tag, name, out[name], file=sys.stderr, flush=True)
    return out


def run(cases: int, repeats: int, store_from: Path | None = None) -> dict:
    from stafett.harvester.app import create_app
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.sparql.service import settings_for
    from stafett.serving import bind, serve_in_thread

    root = Path(tempfile.mkdtemp(prefix="stafett-endpoint-"))
    settings = RegistrySettings(data_dir=root / "registry", base_url=BASE, allow_loopback=True)
    if store_from is not None:
        shutil.copytree(store_from, settings.store_path)
    registry = Registry(settings, sources=[])
    out: dict = {"repeats": repeats}
    if store_from is None:
        out.update(cases=cases, fill_s=round(fill(registry, cases), 1))
    else:
        out.update(store_from=str(store_from), quads=len(registry.store))
    phases = ("as-harvested", "optimized") if store_from is None else ("as-given",)
    queries = named_queries()
    sparql = replace(settings_for(registry), timeout_seconds=600, max_rows=10_000_000)
    sock = bind()
    server = serve_in_thread(create_app(sparql, registry), sock)
    try:
        with httpx.Client(base_url=server.base_url, timeout=900) as client:
            for phase in phases:
                if phase == "optimized":
                    start = time.perf_counter()
                    registry.store.optimize()
                    out["optimize_s"] = round(time.perf_counter() - start, 2)
                    registry.notify()  # the endpoint's snapshot of the compacted store
                store = engine_of(registry, root, phase)
                out[phase] = {"load": [round(x, 2) for x in os.getloadavg()]}
                out[phase]["queries"] = compare(store, client, queries, repeats, phase)
                del store
    finally:
        server.stop()
        registry.close()
        shutil.rmtree(root, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--store-from", type=Path, help="a store to copy instead of filling one")
    args = parser.parse_args(argv)
    result = run(args.cases, args.repeats, args.store_from)
    sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
