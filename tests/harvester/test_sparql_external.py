"""Forwarding to an external store (a real Oxigraph server on loopback) keeps the gate, the deadline
and the row cap: refused queries never reach the store, a runaway query is answered 504 at our
deadline, and long results are cut with the same signal."""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter

import httpx
import pyoxigraph as ox
import pytest
from expected_rows import json_term_text
from matches_support import example_match_quads
from starlette.applications import Starlette
from suggested_topics import suggested_topic_quads
from test_sparql_support import REPO, SYNTHETIC, SYNTHETIC_COUNT, example_cases, fill, vocabulary_quads

from bench.external_stores import OXIGRAPH, external_server
from stafett.harvester.quadstore import ExternalStore
from stafett.harvester.sparql.endpoint import routes
from stafett.harvester.sparql.results import TRUNCATION_HEADER
from stafett.harvester.sparql.service import SparqlService
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.serving import bind, serve_in_thread, url_of

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
EXAMPLE_QUERIES = sorted((REPO / "examples" / "queries").glob("*.rq"))
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def _free_port() -> int:
    sock = bind()
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture(scope="module")
def external(tmp_path_factory):
    root = tmp_path_factory.mktemp("external")
    seed = ox.Store()
    fill(seed)
    (root / "data.nq").write_bytes(seed.dump(format=ox.RdfFormat.N_QUADS))
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(root / "db"), "--file", str(root / "data.nq")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = _free_port()
    store = subprocess.Popen(
        [
            OXIGRAPH,
            "serve-read-only",
            "--location",
            str(root / "db"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store_url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if httpx.get(store_url, params={"query": "ASK {}"}).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    settings = SparqlSettings(external_endpoint=store_url, timeout_seconds=1.5, max_rows=25)
    service = SparqlService(settings)
    server = serve_in_thread(Starlette(routes=routes(service)), bind())
    yield server.base_url + "sparql"
    server.stop()
    store.kill()  # the Oxigraph server this fixture started, by its handle (PID)
    store.wait(5)


def test_select_count_and_row_cap(external):
    count = f"SELECT (COUNT(?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{SYNTHETIC}thing/')) }}"
    answer = httpx.get(external, params={"query": count}).json()
    assert answer["results"]["bindings"][0]["n"]["value"] == str(SYNTHETIC_COUNT)
    everything = httpx.get(external, params={"query": "SELECT * { ?s ?p ?o }"})
    assert everything.headers[TRUNCATION_HEADER] == "true"
    assert len(everything.json()["results"]["bindings"]) == 25
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{SYNTHETIC}graph/0> {{ ?s ?p ?o }} }}"
    turtle = httpx.get(external, params={"query": construct}, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))) == SYNTHETIC_COUNT // 4


def test_gate_applies_before_forwarding(external):
    bypass = "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    refused = httpx.get(external, params={"query": bypass})
    assert refused.status_code == 400 and refused.json()["type"].endswith("/service-refused")


def test_deadline_applies_to_the_store(external):
    started = time.monotonic()
    response = httpx.get(external, params={"query": RUNAWAY}, timeout=30)
    assert response.status_code == 504 and response.json()["type"].endswith("/query-timeout")
    assert time.monotonic() - started < 4
    assert httpx.get(external, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def example_quads() -> list[ox.Quad]:
    """Every example case in its own named graph plus the vocabulary graph, as the registry holds them."""
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri))
        for iri, triples in example_cases().items()
        for q in triples
    ]
    suggestions = suggested_topic_quads(example_cases())
    return quads + suggestions + example_match_quads(example_cases(), suggestions) + vocabulary_quads()


def relative_marker(base: str) -> ox.Quad:
    """A triple about `<case/relative>` as seen from the endpoint `{base}sparql`."""
    return ox.Quad(
        ox.NamedNode(base + "case/relative"),
        ox.NamedNode("http://purl.org/dc/terms/title"),
        ox.Literal("relativ", language="sv"),
        ox.NamedNode(base + "graph/relative"),
    )


def load(store: ExternalStore, quads: list[ox.Quad]) -> None:
    """Through the registry's own writer: one Graph Store PUT per graph."""
    graphs: dict[str, list[ox.Triple]] = {}
    for q in quads:
        graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    for graph, triples in graphs.items():
        store.put_graph(graph, triples)


@pytest.fixture(scope="module", params=["embedded", "oxigraph", "virtuoso"])
def endpoint(request, tmp_path_factory):
    """The registry's `/sparql` over the example data, on each kind of store."""
    sock = bind()
    base = url_of(sock)
    quads = [*example_quads(), relative_marker(base)]
    if request.param == "embedded":
        store = ox.Store()
        store.extend(quads)
        settings = SparqlSettings(workers=1, snapshot_dir=tmp_path_factory.mktemp("snapshots"))
        service = SparqlService(settings, store)
        server = serve_in_thread(Starlette(routes=routes(service)), sock)
        yield "embedded", server.base_url + "sparql"
        server.stop()
        service.close()
        return
    with external_server(request.param, tmp_path_factory.mktemp(request.param)) as store_server:
        credentials = (store_server.user, store_server.password) if store_server.user else None
        writer = ExternalStore(
            store_server.query_url, store_server.update_url, store_server.gsp_url, credentials=credentials
        )
        load(writer, quads)
        writer.close()
        service = SparqlService(SparqlSettings(external_endpoint=store_server.query_url, timeout_seconds=30))
        server = serve_in_thread(Starlette(routes=routes(service)), sock)
        yield request.param, server.base_url + "sparql"
        server.stop()


def text_of(term: dict, virtuoso_boolean: bool = False) -> str:
    """The examples' expected-file convention (see tests/examples/test_example_queries.py).

    Virtuoso keeps no boolean type: stored xsd:boolean values come back as 1/0 typed xsd:boolean,
    and a computed boolean (`BIND(NOT EXISTS ...)`) as an xsd:integer 1/0 (docs/scale-out.md).
    """
    if virtuoso_boolean and term.get("datatype") in (XSD_BOOLEAN, XSD_INTEGER):
        return {"1": "true", "0": "false"}[term["value"]]
    return json_term_text(term)


def boolean_columns(rows: list[dict]) -> set[str]:
    """Variables whose expected values are all booleans (Virtuoso answers them as 1/0)."""
    names = {name for row in rows for name in row}
    return {name for name in names if all(row[name] in ("true", "false") for row in rows if name in row)}


@pytest.mark.parametrize("path", EXAMPLE_QUERIES, ids=lambda p: p.stem)
def test_example_queries_answer_the_same_on_every_store(endpoint, path):
    kind, endpoint = endpoint
    response = httpx.post(
        endpoint,
        data={"query": path.read_text("utf-8")},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    answer = response.json()
    assert answer["head"]["vars"] == expected["variables"]
    booleans = set() if kind != "virtuoso" else boolean_columns(expected["rows"])
    rows = [
        {name: text_of(term, name in booleans) for name, term in row.items()}
        for row in answer["results"]["bindings"]
    ]
    if expected["ordered"]:
        assert rows == expected["rows"]
    else:
        canonical = lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False)  # noqa: E731
        assert Counter(map(canonical, rows)) == Counter(map(canonical, expected["rows"]))


def rows_of(endpoint: str, query: str) -> list[dict]:
    accept = {"Accept": "application/sparql-results+json"}
    response = httpx.post(endpoint, data={"query": query}, headers=accept)
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def test_relative_iris_resolve_against_the_endpoint_on_every_store(endpoint):
    """`<case/relative>` means `{base}case/relative` whichever store answers (BASE is forwarded),
    and a query's own BASE still wins."""
    _, endpoint = endpoint
    base = endpoint.removesuffix("sparql")
    query = "SELECT ?iri ?title { BIND(<case/relative> AS ?iri) OPTIONAL { <case/relative> ?p ?title } }"
    assert rows_of(endpoint, query) == [{"iri": base + "case/relative", "title": "relativ"}]
    own_base = (
        "# its own base (Virtuoso wants it before any PREFIX)\nbase <http://elsewhere.example/>\n"
        "PREFIX e: <http://e.example/> SELECT ?iri WHERE { BIND(<x> AS ?iri) }"
    )
    assert rows_of(endpoint, own_base) == [{"iri": "http://elsewhere.example/x"}]
    word = 'SELECT ?iri ?w WHERE { BIND("BASE <http://no.example/>" AS ?w) BIND(<x> AS ?iri) }'
    assert rows_of(endpoint, word) == [{"iri": base + "x", "w": "BASE <http://no.example/>"}]
    assert httpx.get(endpoint, params={"query": "ASK { <case/relative> ?p ?o }"}).json()["boolean"] is True
    assert httpx.get(endpoint, params={"query": "ASK { <case/missing> ?p ?o }"}).json()["boolean"] is False
