"""Shared set-up for the SPARQL endpoint tests: a real store, real workers, a real server on loopback.

The store holds the W3C protocol-test graphs (named by their `rdfs:label` IRIs, as the manifest
says), every example case in its own named graph, and a block of synthetic quads big enough for a
runaway cross join and for the row cap.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from matches_support import example_match_quads
from starlette.applications import Starlette
from suggested_topics import suggested_topic_quads

from stafett.harvester.sparql.endpoint import routes
from stafett.harvester.sparql.service import SparqlService
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.serving import bind, serve_in_thread
from stafett.vocabulary.jsonld import parse_document

REPO = Path(__file__).resolve().parents[2]
PROTOCOL_TESTS = REPO / "tests" / "reference" / "w3c-tests" / "sparql11-protocol"
EXAMPLE_CASES = REPO / "examples" / "cases"
SYNTHETIC = "https://synthetic.stafett.example/"
SYNTHETIC_COUNT = 60
MAX_ROWS = 25
TIMEOUT = 2.0


def protocol_graphs() -> dict[str, Path]:
    """Graph IRI -> data file, from the manifest's `ut:graphData` (label = graph name)."""
    return {
        f"http://kasei.us/2009/09/sparql/data/{name}.rdf": PROTOCOL_TESTS / f"{name}.nt"
        for name in ("data1", "data2", "data3")
    }


def example_cases() -> dict[str, list[ox.Quad]]:
    """Case IRI -> its quads, with blank nodes made unique per document (they are store-scoped)."""
    cases = {}
    for path in sorted(EXAMPLE_CASES.glob("*.jsonld")):
        iri = json.loads(path.read_bytes())["id"]
        fresh: dict[str, ox.BlankNode] = {}

        def renamed(term, fresh=fresh):
            return fresh.setdefault(term.value, ox.BlankNode()) if isinstance(term, ox.BlankNode) else term

        quads = parse_document(path.read_bytes(), "application/ld+json", source=path.name)
        cases[iri] = [ox.Quad(renamed(q.subject), q.predicate, renamed(q.object)) for q in quads]
    return cases


def vocabulary_quads() -> list[ox.Quad]:
    """The vocabulary and reference tables (CPV hierarchy etc.) some example queries rely on."""
    try:
        from stafett.vocabulary import all_vocabulary_quads
    except ImportError:
        return []
    graph = ox.NamedNode("https://w3id.org/stafett/graph/vocabulary")
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in all_vocabulary_quads()]


def fill(store: ox.Store, *, with_vocabulary: bool = False) -> None:
    for graph, path in protocol_graphs().items():
        for quad in ox.parse(path.read_bytes(), ox.RdfFormat.N_TRIPLES):
            store.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(graph)))
    for iri, quads in example_cases().items():
        store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri)) for q in quads)
    suggestions = suggested_topic_quads(example_cases())
    store.extend(suggestions)  # the registry's provenance graph (query 21)
    store.extend(example_match_quads(example_cases(), suggestions))  # its matches graph (queries 18-20)
    if with_vocabulary:
        store.bulk_extend(vocabulary_quads())
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for i in range(SYNTHETIC_COUNT):
        thing, graph = ox.NamedNode(f"{SYNTHETIC}thing/{i}"), ox.NamedNode(f"{SYNTHETIC}graph/{i % 4}")
        store.add(ox.Quad(thing, label, ox.Literal(f"ting {i}", language="sv"), graph))


class Endpoint:
    def __init__(self, service: SparqlService, server, store: ox.Store) -> None:
        self.service, self.server, self.store = service, server, store
        self.url = server.base_url + "sparql"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("sparql")
    store = ox.Store(str(root / "store"))
    fill(store)
    settings = SparqlSettings(
        timeout_seconds=TIMEOUT,
        max_rows=MAX_ROWS,
        workers=2,
        queue_size=2,
        snapshot_dir=root / "snapshots",
        max_query_chars=5000,
        max_body_bytes=8000,
    )
    service = SparqlService(settings, store)
    server = serve_in_thread(Starlette(routes=routes(service)), bind())
    yield Endpoint(service, server, store)
    server.stop()
    service.close()
