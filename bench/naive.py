"""The naive stack the goals are measured against, run on the same documents.

What a careful newcomer would write with the usual libraries: pyld turns each document into RDF
(with a frozen loader for the context, so nothing is fetched), pySHACL validates each document
on its own against shapes/case-shapes.ttl, and each case goes into an embedded on-disk pyoxigraph
store in its own transaction, one named graph per case. Queries run straight on that store.
No HTTP is involved, which flatters the naive side in end-to-end comparisons.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import orjson
import pyoxigraph as ox
import rdflib
from pyld import jsonld
from pyshacl import validate as pyshacl_validate

from bench.measure import Stopwatch, dir_bytes, rss_bytes
from stafett.vocabulary.jsonld import frozen_document_loader, json_ld_to_quads, load_json

ALLOW = {"allow_warnings": True, "allow_infos": True}
PYLD_OPTIONS = {"format": "application/n-quads", "documentLoader": frozen_document_loader}


@cache
def shapes_graph() -> rdflib.Graph:
    """The project's SHACL shapes as an rdflib graph, parsed once (pySHACL flips globals on load)."""
    text = resources.files("stafett.shapes").joinpath("case-shapes.ttl").read_text("utf-8")
    return rdflib.Graph().parse(data=text, format="turtle")


def pyld_to_nquads(doc: dict) -> str:
    return jsonld.to_rdf(doc, PYLD_OPTIONS)


def pyshacl_conforms(nquads: str) -> bool:
    data = rdflib.Graph().parse(data=nquads, format="nt")
    # Warnings and infos do not reject a case (the project's rule), so allow them here too.
    conforms, _, _ = pyshacl_validate(data, shacl_graph=shapes_graph(), **ALLOW)
    return bool(conforms)


def to_case_graph(nquads: str, case_iri: str) -> list[ox.Quad]:
    graph = ox.NamedNode(case_iri)
    # Fresh blank-node labels, or _:b0 of every document would become one node in the store.
    return [
        ox.Quad(q.subject, q.predicate, q.object, graph)
        for q in ox.parse(nquads, ox.RdfFormat.N_QUADS, rename_blank_nodes=True)
    ]


@dataclass
class NaiveRun:
    store: ox.Store
    path: Path
    cases: int
    accepted: int
    wall: float
    stages: dict[str, float] = field(default_factory=dict)
    rss_delta: int = 0
    disk: int = 0
    stored: int = 0  # cases in the store (all of them, also when `cases` is a sample)


def ingest(raw_documents: list[tuple[str, bytes]], store_path: Path, sample: int | None = None) -> NaiveRun:
    """Parse, validate and store each (case IRI, JSON-LD bytes) one at a time; time each stage.

    With `sample`, only the first `sample` documents go through pyld and pySHACL (at ~22 cases/s
    the naive pipeline would take 75 minutes at 100k, and its per-document cost does not depend on
    the store's size); the rest are converted by pyoxigraph's JSON-LD parser (same graph, checked
    by tests/test_vocabulary_jsonld.py) and still loaded one transaction per case, so the naive
    store is complete. `cases`, `accepted` and `wall` then describe the sample; `stages["load"]`
    is the average over every case.
    """
    shapes_graph()  # loaded before the clock starts: a long-running harvester would do the same
    store_path.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(store_path))
    watch = Stopwatch()
    rss_before = rss_bytes()
    sample = len(raw_documents) if sample is None else min(sample, len(raw_documents))
    accepted = 0
    for case_iri, raw in raw_documents[:sample]:
        t0 = time.perf_counter()
        nquads = pyld_to_nquads(orjson.loads(raw))
        t1 = time.perf_counter()
        ok = pyshacl_conforms(nquads)
        t2 = time.perf_counter()
        if ok:
            store.extend(to_case_graph(nquads, case_iri))  # one transaction per document
            accepted += 1
        t3 = time.perf_counter()
        watch.add("parse", t1 - t0)
        watch.add("validate", t2 - t1)
        watch.add("load", t3 - t2)
    wall = sum(watch.spent.values())
    load_sample = watch.spent.get("load", 0.0)
    rest = raw_documents[sample:]
    start = time.perf_counter()
    for case_iri, raw in rest:  # complete the store: the same graphs, one transaction per case
        graph = ox.NamedNode(case_iri)
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object, graph) for q in json_ld_to_quads(load_json(raw))
        )
    if rest:  # the load rate over every case, as the store grew
        watch.spent["load"] = (load_sample + time.perf_counter() - start) * sample / len(raw_documents)
    store.flush()
    return NaiveRun(
        store,
        store_path,
        sample,
        accepted,
        wall,
        watch.spent,
        rss_bytes() - rss_before,
        dir_bytes(store_path),
        len(raw_documents),
    )


def query(store: ox.Store, sparql: str) -> int:
    """Run one query straight on the store (all graphs as the default graph); return the row count."""
    result = store.query(sparql, use_default_graph_as_union=True)
    if isinstance(result, bool):
        return 1
    return sum(1 for _ in result)
