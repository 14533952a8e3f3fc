"""Search speed: /search over HTTP beside the closest SPARQL, index build rate and size, harvest cost.

    python -m bench.search_bench --cases 1000        # small: the machine is shared
    python -m bench.search_bench --cases 100000      # the issue's scale (not run on the test machine)

One run, one synthetic federation (bench.generate), served by real nodes on loopback:
1. harvest it twice into fresh registries through the real harvester (bench.harvest_worker, its
   own process), once with the search index and once without: the index's share of harvest time;
2. open the indexed registry, serve it on loopback and ask `GET /search?format=json` for a fixed
   set of 22 queries (free text in six languages, 0-3 facets; every answer has the counts of all
   facets and the first page with snippets), `--repeats` times each after a warm-up: p50 and p95
   over all requests;
3. on the same store in the same process, the closest SPARQL (bench/search/search-page.rq and
   search-facets.rq: CONTAINS on title, summary and need, the same facets bound by substitution,
   the first 20 and the counts of three facets), run in process (no HTTP: in SPARQL's favour);
   the SPARQL page's count beside /search's total shows what CONTAINS misses (`--hits`);
4. the index rebuilt from the store (`stafett registry reindex`'s work) in cases/s, and split
   into its two halves: reading the cases back from the store (in batches, as the rebuild does),
   and tantivy's own indexing;
5. the index folder's size per case.

At 100k the harvests are most of the run (each ~15-25 min on two cores): `--indexed-only` makes
one indexed harvest (step 1 then reports only the index updates' share of it), `--sparql-repeats`
times SPARQL fewer times than /search (it takes seconds a query there), `--keep DIR` keeps the
indexed registry's data folder, and `--reuse DIR` measures steps 2-5 on such a folder without
harvesting again (e.g. after a change to the index, on the same store).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pyoxigraph as ox

from bench import generate
from bench.harvest import federation_process, run_worker
from bench.measure import dir_bytes, median_p95
from stafett import vocabulary
from stafett.harvester.search.documents import batches, live_cases, read_cases
from stafett.harvester.search.index import REBUILD_HEAP

QUERIES_DIR = Path(__file__).with_name("search")
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
# (q, reader's language, facets): free text in six languages with 0 to 3 facets, and one empty q
SEARCHES: list[tuple[str, str, dict[str, str]]] = [
    ("elbuss", "sv", {}),
    ("skolmåltider", "sv", {"country": "SWE"}),
    ("läcksökning vattennätet", "sv", {"country": "SWE", "status": "pilot"}),
    ("trygghetslarm", "sv", {"country": "SWE", "sector": "health-social-care", "status": "implemented"}),
    ("busser", "nb", {}),
    ("byggeplasser", "nb", {"country": "NOR"}),
    ("medisinroboter", "nb", {"country": "NOR", "sector": "health-social-care"}),
    ("avfallsinnsamling", "nb", {"country": "NOR", "sector": "water-waste", "status": "implemented"}),
    ("elbusser", "da", {}),
    ("skolemåltider", "da", {"country": "DNK"}),
    ("droner", "da", {"country": "DNK", "sector": "public-safety"}),
    ("postkasse", "da", {"country": "DNK", "sector": "public-administration", "status": "pilot"}),
    ("sähköbussit", "fi", {}),
    ("kouluateriat", "fi", {"country": "FIN"}),
    ("etäseuranta", "fi", {"country": "FIN", "sector": "health-social-care"}),
    ("tekoäly", "fi", {"country": "FIN", "sector": "it-digitalisation", "status": "development"}),
    ("rafmagnsstrætisvagnar", "is", {}),
    ("sólarsellur", "is", {"country": "ISL"}),
    ("electric buses", "en", {}),
    ("school meals", "en", {"sector": "food-meals"}),
    ("air quality sensors", "en", {"country": "SWE", "sector": "environment-climate", "status": "pilot"}),
    ("", "en", {}),
]


def facet_term(facet: str, code: str) -> ox.NamedNode:
    return ox.NamedNode(COUNTRY + code if facet == "country" else vocabulary.concept_iri(facet, code))


def sparql_bindings(q: str, facets: dict[str, str]) -> dict:
    """The search's words and facets as bound terms of the named queries (never text)."""
    bound: dict = {ox.Variable("word"): ox.Literal(q.lower())}
    for facet in ("country", "sector", "status"):
        code = facets.get(facet)
        bound[ox.Variable("f" + facet)] = facet_term(facet, code) if code else ox.Literal("*")
    return bound


def timed(fn, repeats: int, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds of each run after a warm-up; the process's CPU seconds of each into `cpu`."""
    fn()  # warm-up
    samples = []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return samples


def search_latencies(registry, settings, repeats: int, sparql_repeats: int) -> dict:
    from stafett.harvester.app import create_app
    from stafett.serving import bind, serve_in_thread

    server = serve_in_thread(create_app(settings, registry), bind())
    search_s, sparql_s, hits = [], [], []
    search_cpu: list[float] = []  # server and client share this process: CPU of both, per request
    page_query = (QUERIES_DIR / "search-page.rq").read_text("utf-8")
    facet_query = (QUERIES_DIR / "search-facets.rq").read_text("utf-8")
    try:
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            for q, lang, facets in SEARCHES:
                params = {"q": q, "lang": lang, "format": "json", **facets}

                def ask(params=params):
                    resp = client.get("search", params=params)
                    resp.raise_for_status()
                    return resp.json()

                search_s += timed(ask, repeats, search_cpu)
                answer = ask()
                bound = sparql_bindings(q, facets)

                def sparql(bound=bound):
                    page = list(registry.store.query(page_query, substitutions=bound))
                    counts = list(registry.store.query(facet_query, substitutions=bound))
                    return len(page), len(counts)

                if sparql_repeats:  # 0: no SPARQL (a store without the cases, --from-documents)
                    sparql_s += timed(sparql, sparql_repeats)
                hits.append((q, lang, len(facets), answer["total"], sparql()[0] if sparql_repeats else None))
    finally:
        server.stop()
    p50, p95 = median_p95(search_s)
    sparql_p = median_p95(sparql_s) if sparql_s else None
    cpu = median_p95(search_cpu)
    progress(f"/search p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (CPU {cpu}); SPARQL {sparql_p}")
    return {"search": (p50, p95), "cpu": cpu, "sparql": sparql_p, "requests": len(search_s), "hits": hits}


def progress(line: str) -> None:
    """A figure as soon as it is measured (stderr), so a long run's first figures survive its end."""
    print(time.strftime("%H:%M:%S"), line, file=sys.stderr, flush=True)


def build_rates(registry) -> dict:
    """The rebuild as a whole, then its halves (store read-back; tantivy indexing) separately."""
    index = registry.search
    start, start_cpu = time.perf_counter(), time.process_time()
    count = index.rebuild()
    rebuild_s, rebuild_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    start = time.perf_counter()
    documents = [
        document
        for batch in batches(live_cases(index.store))  # as the rebuild reads them
        for document in read_cases(index.store, batch, index.prov_graph, index.base_url).values()
    ]
    read_s = time.perf_counter() - start
    scratch = Path(tempfile.mkdtemp(prefix="stafett-index-"))
    try:
        fresh, writer = index.open(scratch, REBUILD_HEAP)
        start = time.perf_counter()
        for document in documents:
            if document is not None:
                writer.add_document(index.to_tantivy(document))
        writer.commit()
        writer.wait_merging_threads()
        tantivy_s = time.perf_counter() - start
        del writer, fresh
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rates = {
        "cases": count,
        "rebuild": count / rebuild_s,
        "rebuild_cpu": count / rebuild_cpu,
        "read": count / read_s,
    }
    rates["tantivy"] = count / tantivy_s
    progress(f"build rates {rates}")
    return rates


def documents_index(cases: int, data_dir: Path) -> dict:
    """--from-documents: the index built straight from generated documents, no nodes, no harvest.

    Each batch of READ_BATCH generated cases is parsed (the registry's JSON-LD parser), put into a
    scratch in-memory store as the harvester stores a case (one named graph per case; no
    provenance: no source, signature or suggested-topic facets) and read back with the index's own
    named query (documents.read_cases), then analysed and added as a rebuild does, into the
    registry folder's index, which an empty store then serves. Times the whole build and tantivy's
    part (analysis, parts, infix, add, commit and merges) on its own."""
    from stafett.harvester.search.index import SearchIndex
    from stafett.harvester.settings import RegistrySettings
    from stafett.vocabulary.jsonld import json_ld_to_quads, load_json

    fed = generate.generate(cases)
    settings = RegistrySettings(data_dir=data_dir, base_url="http://127.0.0.1:9/", allow_loopback=True)
    index, writer = SearchIndex.open(settings.search_path, REBUILD_HEAP)
    prov_graph, indexed, tantivy_s = settings.base_url + "graph/provenance", 0, 0.0
    started, started_cpu = time.perf_counter(), time.process_time()
    for batch in batches(fed.cases):
        scratch = ox.Store()
        for case in batch:
            graph = ox.NamedNode(case.id)
            quads = json_ld_to_quads(load_json(case.to_bytes()))
            scratch.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        documents = read_cases(scratch, [case.id for case in batch], prov_graph, settings.base_url)
        mark = time.perf_counter()
        for document in documents.values():
            if document is not None:
                writer.add_document(SearchIndex.to_tantivy(document))
                indexed += 1
        tantivy_s += time.perf_counter() - mark
    mark = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    tantivy_s += time.perf_counter() - mark
    total_s, total_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    del writer, index
    (settings.search_path / "marker.json").write_text('{"marker": null}', "utf-8")  # the empty store's
    rates = {"cases": indexed, "documents": indexed / total_s, "documents_cpu": indexed / total_cpu}
    rates["tantivy"] = indexed / tantivy_s
    progress(f"built from documents {rates}")
    return rates


def harvests(fed, workdir: Path, runs: int, indexed_only: bool = False) -> dict:
    """First harvests with and without the index, alternating, `runs` each; the median seconds.
    `indexed_only`: only the indexed harvests (no figure without the index)."""
    seconds: dict[bool, list[float]] = {True: [], False: []}
    updates: list[float] = []  # seconds inside the index's page updates, per indexed harvest
    accepted = 0
    modes = (True,) if indexed_only else (True, False)
    with federation_process(fed, SimpleNamespace(federation_socket=None), workdir / "nodes") as served:
        for n in range(runs):
            for indexed in modes:
                data_dir = workdir / f"registry-{'index' if indexed else 'plain'}-{n}"
                result = run_worker({"sources": served["nodes"], "data_dir": str(data_dir), "index": indexed})
                seconds[indexed].append(result["first"]["seconds"])
                if indexed:
                    updates.append(result["index_seconds"] / result["first"]["seconds"])
                accepted = result["first"]["accepted"]
    sources = served["nodes"]
    with_s, without_s = (sorted(s)[len(s) // 2] if s else None for s in (seconds[True], seconds[False]))
    share = sorted(updates)[len(updates) // 2]
    return {
        "with": with_s,
        "without": without_s,
        "share": share,
        "accepted": accepted,
        "sources": sources,
        "runs": runs,
    }


def run(opts, workdir: Path) -> dict:
    harvest = None
    if opts.from_documents:
        data_dir = workdir / "registry-documents"
        built = documents_index(opts.cases, data_dir)
        result = measure_registry(data_dir, opts.repeats, 0, rebuild=False)
        return {"cases": opts.cases, "harvest": None, "documents": built, **result}
    if opts.reuse:
        data_dir = Path(opts.reuse)
    else:
        harvest = harvests(generate.generate(opts.cases), workdir, opts.harvest_runs, opts.indexed_only)
        data_dir = workdir / "registry-index-0"
    result = measure_registry(data_dir, opts.repeats, opts.sparql_repeats, rebuild=not opts.no_rebuild)
    if opts.keep and not opts.reuse:
        shutil.move(data_dir, opts.keep)
    return {"cases": opts.cases if harvest else result["build"]["cases"], "harvest": harvest, **result}


def measure_registry(data_dir: Path, repeats: int, sparql_repeats: int, rebuild: bool = True) -> dict:
    """Steps 2-5 on a harvested registry's data folder: latencies, rebuild rates, index size."""
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings

    settings = RegistrySettings(data_dir=data_dir, base_url="http://127.0.0.1:9/", allow_loopback=True)
    registry = Registry(settings, [])  # no sources: nothing is harvested, only served and rebuilt
    try:
        size = dir_bytes(settings.search_path)
        latencies = search_latencies(registry, settings, repeats, sparql_repeats)
        rates = build_rates(registry) if rebuild else None
    finally:
        registry.close()
    return {"latency": latencies, "build": rates, "index_bytes": size}


def harvest_rows(harvest: dict | None) -> list[str]:
    if harvest is None:
        return ["| first harvest with the index / without | not made (--reuse, --from-documents) | ≤ +15 % |"]
    share = harvest["share"]
    share_row = f"| … time inside the index's page updates, of the indexed harvest | {share:.0%} | – |"
    if harvest["without"] is None:
        return [
            f"| first harvest with the index (median of {harvest['runs']}; --indexed-only) "
            f"| {harvest['with']:.2f} s, {harvest['accepted']:,} cases | ≤ +15 % |",
            share_row,
        ]
    added = (harvest["with"] - harvest["without"]) / harvest["without"]
    return [
        f"| first harvest with the index / without (median of {harvest['runs']}) "
        f"| {harvest['with']:.2f} s / {harvest['without']:.2f} s ({added:+.0%}) | ≤ +15 % |",
        share_row,
    ]


def build_rows(build: dict | None, documents: dict | None) -> list[str]:
    if documents is not None:
        return [
            f"| index built from generated documents (parse, read back, index; --from-documents) "
            f"| {documents['documents']:,.0f} cases/s ({documents['documents_cpu']:,.0f} per CPU second) "
            "| ≥ 5,000 cases/s |",
            f"| … tantivy indexing (analysis, parts, infix, commit) "
            f"| {documents['tantivy']:,.0f} cases/s | – |",
        ]
    if build is None:
        return ["| index rebuild from the store | not made (--no-rebuild) | ≥ 5,000 cases/s |"]
    return [
        f"| index rebuild from the store | {build['rebuild']:,.0f} cases/s "
        f"({build['rebuild_cpu']:,.0f} per CPU second) | ≥ 5,000 cases/s |",
        f"| … reading cases back from the store | {build['read']:,.0f} cases/s | – |",
        f"| … tantivy indexing (analysis, parts, infix, commit) | {build['tantivy']:,.0f} cases/s | – |",
    ]


def report(result: dict) -> str:
    latency, build, documents = result["latency"], result["build"], result.get("documents")
    ms = lambda pair: f"{pair[0] * 1000:.1f} ms / {pair[1] * 1000:.1f} ms" if pair else "not measured"  # noqa: E731
    indexed = (documents or build or {}).get("cases")
    lines = [
        f"| measure ({result['cases']} synthetic cases, {indexed} indexed) | figure | goal at 100k |",
        "|---|---|---|",
        f"| /search JSON over HTTP, p50 / p95 ({latency['requests']} requests, {len(SEARCHES)} queries) "
        f"| {ms(latency['search'])} | ≤ 25 ms / ≤ 75 ms |",
        f"| … CPU of one request (server and client, one process), p50 / p95 | {ms(latency['cpu'])} | – |",
        f"| closest SPARQL (page + 3 facet counts), in process, p50 / p95 | {ms(latency['sparql'])} | – |",
        *build_rows(build, documents),
        f"| index size per case | {result['index_bytes'] / max(indexed or 1, 1):,.0f} bytes | – |",
        *harvest_rows(result["harvest"]),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="synthetic cases (default 1000)")
    parser.add_argument("--repeats", type=int, default=10, help="timed requests per query (default 10)")
    parser.add_argument("--harvest-runs", type=int, default=1, help="harvests with and without the index")
    parser.add_argument("--hits", action="store_true", help="also print each query's totals")
    parser.add_argument("--sparql-repeats", type=int, help="timed SPARQL runs per query (default: --repeats)")
    parser.add_argument("--indexed-only", action="store_true", help="no harvest without the index")
    parser.add_argument("--keep", help="copy the indexed registry's data folder here")
    parser.add_argument("--reuse", help="measure this registry data folder (from --keep), no harvest")
    parser.add_argument("--no-rebuild", action="store_true", help="no rebuild rates (steps 2, 3, 5 only)")
    parser.add_argument(
        "--from-documents", action="store_true", help="index generated documents, no nodes, harvest or SPARQL"
    )
    opts = parser.parse_args(argv)
    opts.sparql_repeats = opts.repeats if opts.sparql_repeats is None else opts.sparql_repeats
    workdir = Path(tempfile.mkdtemp(prefix="stafett-search-bench-"))
    try:
        result = run(opts, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(report(result))
    if opts.hits:
        for q, lang, facets, total, sparql_page in result["latency"]["hits"]:
            print(f"{lang} {q!r} facets={facets}: /search total {total}, SPARQL page rows {sparql_page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
