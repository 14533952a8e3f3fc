"""The W3C SPARQL 1.1 Protocol test suite, driven from its manifest against a live endpoint.

Positive query tests must answer 2xx (with the expected boolean or result kind); every `bad_*` test
must answer 4xx; the update tests must be refused with 4xx because the endpoint is read-only.
"""

from __future__ import annotations

import httpx
import pytest
import rdflib
from rdflib import RDF, Namespace
from test_sparql_support import PROTOCOL_TESTS, endpoint  # noqa: F401 - fixture

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


def manifest_tests() -> list[tuple[str, list[dict]]]:
    graph = rdflib.Graph().parse(
        PROTOCOL_TESTS / "manifest.ttl",
        format="turtle",
        publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest",
    )
    entries = next(graph.objects(None, MF.entries))
    tests = []
    for test in rdflib.collection.Collection(graph, entries):
        assert (test, RDF.type, MF.ProtocolTest) in graph
        action = graph.value(test, MF.action)
        requests = [
            _request(graph, node)
            for node in rdflib.collection.Collection(graph, graph.value(action, HT.requests))
        ]
        tests.append((str(test).rsplit("#", 1)[1], requests))
    return tests


def _request(graph, node) -> dict:
    body_node = graph.value(node, HT.body)
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in rdflib.collection.Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower().replace("utf-16", "utf-16"))
    response = graph.value(node, HT.resp)
    statuses = {str(s).rsplit("#", 1)[1] for s in graph.objects(response, MF.expectedStatus)}
    boolean = graph.value(response, MF.expectedBoolean)
    return {
        "method": str(graph.value(node, HT.methodName)),
        "path": str(graph.value(node, HT.absolutePath)),
        "headers": headers,
        "body": body,
        "statuses": statuses,
        "boolean": None if boolean is None else boolean.toPython(),
        "format": str(graph.value(response, MF.expectedFormat) or ""),
    }


TESTS = manifest_tests()


def test_manifest_has_the_documented_entries():
    names = [name for name, _ in TESTS]
    assert len(names) == 34
    assert sum(name.startswith("bad_") for name in names) == 14


def _send(base: str, request: dict) -> httpx.Response:
    url = base.rsplit("/sparql", 1)[0] + request["path"]  # the manifest says: swap the /sparql/ prefix
    headers = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    headers.update(request["headers"])
    if request["body"] is not None and "content-type" not in {k.lower() for k in headers}:
        headers["Content-Type"] = ""  # the manifest omits it on purpose; httpx must not add one
    return httpx.request(request["method"], url, content=request["body"], headers=headers, timeout=10)


def _expected_class(request: dict) -> set[int]:
    return {int(code[len("StatusCode") :][0]) for code in request["statuses"]}


@pytest.mark.parametrize(("name", "requests"), TESTS, ids=[name for name, _ in TESTS])
def test_protocol(endpoint, name, requests):  # noqa: F811 - fixture
    first = requests[0]
    response = _send(endpoint.url, first)
    is_update = name.startswith("update_") or (
        first["headers"].get("content-type", "").startswith("application/sparql-update")
    )
    if is_update or name.startswith("bad_"):
        # read-only endpoint: updates are refused (4xx), never performed
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        return
    assert response.status_code // 100 in _expected_class(first), (name, response.status_code, response.text)
    if first["format"] == "boolean":
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        answer = response.json()["boolean"]
        assert answer is (first["boolean"] if first["boolean"] is not None else answer), name
        assert isinstance(answer, bool)
    elif first["format"] == "tabular":
        assert response.json()["head"]["vars"] == ["value"]
    elif first["format"] == "RDF":
        assert response.headers["content-type"].startswith("text/turtle")
        rdflib.Graph().parse(data=response.text, format="turtle")


def test_updates_left_the_data_alone(endpoint):  # noqa: F811 - fixture
    """After every update test was refused, the protocol graphs are still there."""
    for _, requests in TESTS:
        for request in requests:
            if request["headers"].get("content-type", "").startswith("application/sparql-update"):
                _send(endpoint.url, request)
    query = "ASK { GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { ?s ?p ?o } }"
    response = httpx.get(endpoint.url, params={"query": query})
    assert response.json()["boolean"] is True
