"""The stock SPARQL clients, with every return format they offer, against a real endpoint on loopback.

SPARQLWrapper sends `format=`, `output=` and `results=` beside its Accept header (and for some
formats a second value listing media types); rdflib's SPARQLStore sends only an Accept header made
from its result parsers. Each answer is parsed by the client itself and compared with what the
store holds, read directly; a form that a format cannot express gets a 406 problem.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import warnings

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from test_sparql_support import SYNTHETIC, endpoint  # noqa: F401 - endpoint is a fixture

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
GRAPH = f"{SYNTHETIC}graph/1"
SELECT = f"SELECT ?s ?label WHERE {{ GRAPH <{GRAPH}> {{ ?s <{LABEL}> ?label }} }} ORDER BY ?s"
ASK_TRUE = f"ASK {{ GRAPH <{GRAPH}> {{ ?s <{LABEL}> ?label }} }}"
ASK_FALSE = f'ASK {{ GRAPH <{GRAPH}> {{ ?s <{LABEL}> "no such label" }} }}'
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
THING = f"{SYNTHETIC}thing/5"
DESCRIBE = f"DESCRIBE <{THING}>"
GRAPH_QUERIES = [(CONSTRUCT, None), (DESCRIBE, THING)]
MISMATCH = "has been returned by the endpoint"  # SPARQLWrapper's warning for a wrong answer type


def expected_rows(store: ox.Store) -> list[tuple[str, str]]:
    """(subject IRI, label text) straight from the store, in subject order."""
    rows = [
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(LABEL), None, ox.NamedNode(GRAPH))
    ]
    return sorted(rows)


def expected_graph(store: ox.Store, subject: str | None = None) -> rdflib.Graph:
    """The triples of GRAPH (or every triple about `subject`), parsed by rdflib from the store's N-Triples."""
    pattern = (
        (ox.NamedNode(subject), None, None, None) if subject else (None, None, None, ox.NamedNode(GRAPH))
    )
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(*pattern)]
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def ask(endpoint, query: str, return_format: str, method: str):  # noqa: F811
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = client.query()
        converted = result.convert()
    assert not [w for w in seen if MISMATCH in str(w.message)], [str(w.message) for w in seen]
    return result, converted


def rows_of(return_format: str, converted) -> list[tuple[str, str]]:
    if return_format == JSON:
        return [(b["s"]["value"], b["label"]["value"]) for b in converted["results"]["bindings"]]
    if return_format == XML:
        rows = []
        for result in converted.getElementsByTagName("result"):
            values = {
                b.getAttribute("name"): b.firstChild.firstChild.data
                for b in result.getElementsByTagName("binding")
            }
            rows.append((values["s"], values["label"]))
        return rows
    text = converted.decode() if isinstance(converted, bytes) else converted
    if return_format == CSV:
        return [(r[0], r[1]) for r in list(csv.reader(io.StringIO(text)))[1:]]
    lines = [line.split("\t") for line in text.splitlines()[1:]]  # TSV: <iri>, "text"@sv
    return [(s.strip("<>"), label.rsplit("@", 1)[0].strip('"')) for s, label in lines]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_results_format(endpoint, return_format, method):  # noqa: F811
    _, converted = ask(endpoint, SELECT, return_format, method)
    rows = rows_of(return_format, converted)
    assert rows == expected_rows(endpoint.store) and len(rows) == 15


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_ask_in_every_results_format(endpoint, return_format, method):  # noqa: F811
    for query, truth in [(ASK_TRUE, True), (ASK_FALSE, False)]:
        _, converted = ask(endpoint, query, return_format, method)
        if return_format == JSON:
            assert converted["boolean"] is truth
        else:
            assert converted.getElementsByTagName("boolean")[0].firstChild.data == str(truth).lower()


GRAPH_FORMATS = {
    TURTLE: "text/turtle",
    N3: "text/turtle",
    XML: "application/rdf+xml",
    RDFXML: "application/rdf+xml",
    RDF: "application/rdf+xml",
    JSONLD: "application/ld+json",
    JSON: "application/ld+json",
}


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("query, subject", GRAPH_QUERIES, ids=["construct", "describe"])
@pytest.mark.parametrize("return_format", list(GRAPH_FORMATS))
def test_sparqlwrapper_graph_queries_in_every_rdf_format(
    endpoint,  # noqa: F811 - the fixture, imported from test_sparql_support
    return_format,
    query,
    subject,
    method,
):
    result, converted = ask(endpoint, query, return_format, method)
    assert result.info()["content-type"].startswith(GRAPH_FORMATS[return_format])
    if isinstance(converted, bytes):  # SPARQLWrapper hands Turtle back as text
        converted = rdflib.Graph().parse(data=converted, format="turtle")
    assert set(converted) == set(expected_graph(endpoint.store, subject))
    assert len(converted) == (1 if subject else 15)


@pytest.mark.parametrize(
    "query, return_format",
    [
        (ASK_TRUE, CSV),
        (ASK_TRUE, TSV),
        (SELECT, TURTLE),
        (SELECT, JSONLD),
        (CONSTRUCT, CSV),
        (CONSTRUCT, TSV),
    ],
)
def test_a_format_the_query_form_cannot_have_is_a_clear_406(endpoint, query, return_format):  # noqa: F811
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    with warnings.catch_warnings(), pytest.raises(urllib.error.HTTPError) as refused:
        warnings.simplefilter("ignore")  # SPARQLWrapper itself warns that the pair is unusual
        client.query()
    assert refused.value.code == 406
    assert refused.value.headers["content-type"].startswith("application/problem+json")
    problem = json.loads(refused.value.read())
    assert problem["status"] == 406 and "Ask for one of" in problem["detail"]


@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore_select(endpoint, return_format):  # noqa: F811
    graph = rdflib.Graph(SPARQLStore(endpoint.url, returnFormat=return_format))
    rows = [(str(row.s), str(row.label)) for row in graph.query(SELECT)]
    assert rows == expected_rows(endpoint.store) and len(rows) == 15


@pytest.mark.parametrize("return_format", ["xml", "json", "turtle", "json-ld", "nt", "application/rdf+xml"])
@pytest.mark.parametrize("query, subject", GRAPH_QUERIES, ids=["construct", "describe"])
def test_rdflib_sparqlstore_graph_queries(endpoint, return_format, query, subject):  # noqa: F811
    graph = rdflib.Graph(SPARQLStore(endpoint.url, returnFormat=return_format))
    answer = graph.query(query).graph
    assert set(answer) == set(expected_graph(endpoint.store, subject))
    assert len(answer) == (1 if subject else 15)


def test_rdflib_sparqlstore_ask(endpoint):  # noqa: F811
    for return_format in ("xml", "json"):
        graph = rdflib.Graph(SPARQLStore(endpoint.url, returnFormat=return_format))
        assert graph.query(ASK_TRUE).askAnswer is True
        assert graph.query(ASK_FALSE).askAnswer is False


@pytest.mark.parametrize(
    "form, hints, accept, expected",
    [
        ("select", ["csv"], "text/html", "csv"),  # a pasted ?format= link from a browser
        ("graph", ["csv"], "text/turtle", "turtle"),  # a hint the form cannot have gives way to Accept
        ("graph", ["json-ld", "application/ld+json,application/x-json+ld"], "application/ld+json", "jsonld"),
        ("graph", [], "application/sparql-results+json, text/turtle;q=0.9", "turtle"),  # a graph type named
        ("graph", [], "application/sparql-results+json", "jsonld"),  # only the results habit named
        ("graph", [], "application/ld+json;q=0, */*", "turtle"),
        ("graph", [], "text/turtle;q=0, */*", "ntriples"),
        ("select", [], "application/sparql-results+json;q=0, */*", "xml"),
        ("select", [], "text/html,application/xhtml+xml,*/*;q=0.8", "json"),
        ("ask", [], None, "json"),
    ],
)
def test_choose_reads_hints_then_accept(form, hints, accept, expected):
    from stafett.harvester.sparql.negotiate import choose

    assert choose(form, hints, accept) == expected


@pytest.mark.parametrize(
    "form, hints, accept",
    [
        ("graph", ["csv"], "*/*"),
        ("ask", [], "text/csv"),
        ("select", [], "application/sparql-results+json;q=0"),
    ],
)
def test_choose_refuses_with_a_problem(form, hints, accept):
    from stafett.harvester.sparql.negotiate import choose
    from stafett.problems import Problem

    with pytest.raises(Problem) as refused:
        choose(form, hints, accept)
    assert refused.value.status == 406
