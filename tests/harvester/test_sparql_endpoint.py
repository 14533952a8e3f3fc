"""The endpoint's own promises: read-only gate, deadline that really stops a query, row cap with a
signal, size limits, queue limit, formats, CORS, service description, union default graph."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import threading
import time

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from test_sparql_support import (  # noqa: F401 - endpoint is a fixture
    MAX_ROWS,
    SYNTHETIC,
    SYNTHETIC_COUNT,
    TIMEOUT,
    endpoint,
    example_cases,
)

from stafett.harvester.sparql.results import TRUNCATION_HEADER, TRUNCATION_LINK

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT_THINGS = f"SELECT (COUNT(?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{SYNTHETIC}thing/')) }}"


def get(endpoint, query, accept="application/sparql-results+json", **params):  # noqa: F811
    return httpx.get(endpoint.url, params={"query": query, **params}, headers={"Accept": accept}, timeout=30)


def assert_problem(response, status, slug):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/" + slug), body
    assert body["status"] == status and body["detail"]
    assert response.headers["access-control-allow-origin"] == "*"
    return body


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "service-refused"),
        ("SELECT * { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "service-refused"),
        (
            "SELECT * { FILTER NOT EXISTS { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } }",
            "service-refused",
        ),
        ("LOAD <http://127.0.0.1:9/data.ttl>", "update-refused"),
        ("INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }", "update-refused"),
        ("\\u0049NSERT DATA { <http://e/s> <http://e/p> <http://e/o> }", "update-refused"),
        ("DROP ALL", "update-refused"),
        ("SELECT ?x WHERE { ?x undeclared:p ?y }", "query-syntax"),
        ("SELECT * {", "query-syntax"),
    ],
)
def test_gate_refuses_after_parsing(endpoint, query, slug):  # noqa: F811
    body = assert_problem(get(endpoint, query), 400, slug)
    assert body["findings"][0]["rule"] == "sparql-gate"


def test_long_ordinary_query_passes_and_hostile_nesting_is_refused(endpoint):  # noqa: F811
    patterns = " . ".join(f"?s{i} <http://e/p> ?o{i}" for i in range(150))
    assert get(endpoint, f"ASK {{ {patterns} }}").json()["boolean"] is False
    assert_problem(get(endpoint, "ASK " + "{" * 2000 + "}" * 2000), 400, "query-too-complex")


def test_a_worker_that_died_is_replaced(endpoint):  # noqa: F811
    victim = endpoint.service.pool.pids[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.2)
    for i in range(endpoint.service.pool.size):  # distinct texts: each one must really run
        assert get(endpoint, f"ASK {{ ?s ?p ?o }} # run {i}").json()["boolean"] is True
    assert victim not in endpoint.service.pool.pids


def test_update_via_form_and_direct_post_is_refused(endpoint):  # noqa: F811
    form = httpx.post(endpoint.url, data={"update": "DROP ALL"})
    assert_problem(form, 400, "update-refused")
    direct = httpx.post(
        endpoint.url, content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert_problem(direct, 400, "update-refused")
    assert get(endpoint, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_runaway_query_is_killed_and_the_endpoint_keeps_answering(endpoint):  # noqa: F811
    pids_before = set(endpoint.service.pool.pids)
    started = time.monotonic()
    response = get(endpoint, RUNAWAY)
    elapsed = time.monotonic() - started
    body = assert_problem(response, 503, "query-timeout")
    assert f"{TIMEOUT:g} seconds" in body["detail"]
    assert elapsed < TIMEOUT + 3
    killed = pids_before - set(endpoint.service.pool.pids)
    assert len(killed) == 1  # that worker was replaced by a fresh one
    for pid in killed:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert get(endpoint, COUNT_THINGS).json()["results"]["bindings"][0]["n"]["value"] == str(SYNTHETIC_COUNT)


def test_row_cap_is_signalled_in_header_and_head_link(endpoint):  # noqa: F811
    query = f"SELECT ?s {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{SYNTHETIC}thing/')) }}"
    response = get(endpoint, query)
    assert response.headers[TRUNCATION_HEADER] == "true"
    assert TRUNCATION_HEADER in response.headers["access-control-expose-headers"]
    body = response.json()
    assert len(body["results"]["bindings"]) == MAX_ROWS
    assert body["head"]["link"] == [TRUNCATION_LINK]
    xml = get(endpoint, query, accept="application/sparql-results+xml")
    assert xml.headers[TRUNCATION_HEADER] == "true" and TRUNCATION_LINK in xml.text
    rdflib_results = rdflib.query.Result.parse(io.BytesIO(xml.content), format="xml")
    assert len(list(rdflib_results)) == MAX_ROWS
    small = get(endpoint, query + " LIMIT 3")
    assert TRUNCATION_HEADER not in small.headers and "link" not in small.json()["head"]
    graph = get(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert graph.headers[TRUNCATION_HEADER] == "true"
    assert len(graph.text.strip().splitlines()) == MAX_ROWS


def test_size_limits(endpoint):  # noqa: F811
    long_query = "ASK {} #" + "x" * 6000
    assert_problem(get(endpoint, long_query), 413, "query-too-long")
    big = httpx.post(
        endpoint.url, content=b"ASK {} #" + b"x" * 9000, headers={"Content-Type": "application/sparql-query"}
    )
    assert_problem(big, 413, "request-too-large")


def get_from(address, endpoint, query):  # noqa: F811
    """A query sent from another loopback address (Linux routes all of 127.0.0.0/8 to lo)."""
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30) as client:
        return client.get(
            endpoint.url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )


def flood(endpoint, address, count, results):  # noqa: F811
    threads = [
        threading.Thread(target=lambda: results.append(get_from(address, endpoint, RUNAWAY)))
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    return threads


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_queue_is_bounded_with_429_and_retry_after(endpoint):  # noqa: F811
    admission = endpoint.service.admission
    capacity = admission.running + admission.waiting
    share = admission.per_client
    assert share < capacity  # one client alone can never fill the endpoint
    results: list[httpx.Response] = []
    threads = flood(endpoint, "127.0.0.1", share, results)
    threads += flood(endpoint, "127.0.0.2", capacity - share, results)
    wait_until(lambda: admission.active >= capacity)
    refused = get_from("127.0.0.3", endpoint, "ASK {}")
    for thread in threads:
        thread.join()
    body = assert_problem(refused, 429, "too-many-queries")
    assert int(refused.headers["retry-after"]) >= 1 and "waiting" in body["detail"]
    assert {r.status_code for r in results} == {503}
    assert get(endpoint, "ASK {}").status_code == 200


def test_one_client_flooding_gets_429_while_another_is_served_at_once(endpoint):  # noqa: F811
    admission, turns = endpoint.service.admission, endpoint.service.turns
    flooded: list[httpx.Response] = []
    threads = flood(endpoint, "127.0.0.1", admission.per_client + 3, flooded)
    wait_until(
        lambda: (
            admission.by_client["127.0.0.1"] >= admission.per_client
            and turns.running["127.0.0.1"] >= turns.per_client
        )
    )
    started = time.monotonic()
    other = get_from("127.0.0.2", endpoint, COUNT_THINGS + " LIMIT 7")  # text no earlier test kept
    waited = time.monotonic() - started
    for thread in threads:
        thread.join()
    assert other.status_code == 200, other.text
    assert other.headers["stafett-answer-cache"] == "miss"  # it really ran on a worker
    assert other.json()["results"]["bindings"][0]["n"]["value"] == str(SYNTHETIC_COUNT)
    assert waited < TIMEOUT / 2, f"the other client waited {waited:.2f} s"  # was most of the limit
    statuses = sorted(r.status_code for r in flooded)
    assert statuses.count(429) == 3  # only the flooding client is over its share
    for response in flooded:
        if response.status_code == 429:
            assert_problem(response, 429, "client-over-share")
            assert int(response.headers["retry-after"]) >= 1
    assert set(statuses) <= {429, 503}  # its admitted runaways hit the time limit as before


def test_result_formats(endpoint):  # noqa: F811
    query = "SELECT ?s ?label { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s LIMIT 4"
    as_json = get(endpoint, query).json()
    labels = [b["label"] for b in as_json["results"]["bindings"]]
    assert all(label["xml:lang"] == "sv" for label in labels)
    as_csv = get(endpoint, query, accept="text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == ["s", "label"] and [r[1] for r in rows[1:]] == [label["value"] for label in labels]
    as_tsv = get(endpoint, query, accept="text/tab-separated-values")
    assert as_tsv.text.splitlines()[0] == "?s\t?label" and '"@sv' in as_tsv.text
    by_param = get(endpoint, query, accept="text/html", format="csv")
    assert by_param.headers["content-type"].startswith("text/csv")
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{SYNTHETIC}graph/1> {{ ?s ?p ?o }} }}"
    for accept, fmt in [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ]:
        response = get(endpoint, construct, accept=accept)
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        graph = rdflib.Graph().parse(data=response.content, format=fmt)
        assert len(graph) == SYNTHETIC_COUNT // 4
    assert_problem(get(endpoint, "ASK {}", accept="text/csv"), 406, "not-acceptable")


def test_default_graph_is_the_union_and_graphs_are_named(endpoint):  # noqa: F811
    cases = example_cases()
    assert cases, "examples/cases holds no case"
    query = "SELECT (COUNT(DISTINCT ?case) AS ?n) { ?case a <https://w3id.org/stafett/ns#Case> }"
    union = int(get(endpoint, query).json()["results"]["bindings"][0]["n"]["value"])
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?case a <https://w3id.org/stafett/ns#Case> } }"
    named = int(get(endpoint, graphs).json()["results"]["bindings"][0]["n"]["value"])
    case_type = ox.NamedNode("https://w3id.org/stafett/ns#Case")
    typed = {iri for iri, quads in cases.items() if any(q.object == case_type for q in quads)}
    assert union == named == len(typed)


def test_cors_preflight_and_simple_requests(endpoint):  # noqa: F811
    preflight = httpx.options(
        endpoint.url,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    simple = get(endpoint, "ASK {}")
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in simple.headers


def test_service_description_parses(endpoint):  # noqa: F811
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]:
        response = httpx.get(endpoint.url, headers={"Accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
        graph = rdflib.Graph().parse(data=response.content, format=fmt)
        service = rdflib.URIRef(endpoint.url)
        assert (service, rdflib.RDF.type, sd.Service) in graph
        assert (service, sd.endpoint, service) in graph
        assert (service, sd.feature, sd.UnionDefaultGraph) in graph
        assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph


def test_sparqlwrapper_select_and_construct(endpoint):  # noqa: F811
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint.url)
    client.setQuery(COUNT_THINGS)
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert answer["results"]["bindings"][0]["n"]["value"] == str(SYNTHETIC_COUNT)
    client.setMethod(POST)
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{SYNTHETIC}graph/2> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == SYNTHETIC_COUNT // 4


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl(endpoint):  # noqa: F811
    out = subprocess.run(
        [
            "curl",
            "-sS",
            "--fail",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            f"query={COUNT_THINGS}",
            endpoint.url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["n", str(SYNTHETIC_COUNT)]


def test_new_snapshot_after_commit(endpoint):  # noqa: F811
    """Data committed to the live store is visible after `after_commit`, and not before."""
    fresh = ox.NamedNode(f"{SYNTHETIC}after-commit")
    endpoint.store.add(ox.Quad(fresh, fresh, fresh, fresh))
    ask = f"ASK {{ <{fresh.value}> ?p ?o }}"
    assert get(endpoint, ask).json()["boolean"] is False
    endpoint.service.after_commit()
    assert get(endpoint, ask).json()["boolean"] is True
    snapshots = list(endpoint.service.snapshots._root.glob("snapshot-*"))
    assert len(snapshots) <= endpoint.service.pool.size + 1  # old ones are collected


def test_queries_during_snapshot_swaps_never_fail(endpoint):  # noqa: F811
    """Commits (new snapshots, old ones collected) while queries run: every query is answered."""
    stop = threading.Event()

    def commits():
        while not stop.is_set():
            endpoint.service.after_commit()

    swapper = threading.Thread(target=commits)
    swapper.start()
    try:
        statuses = [get(endpoint, COUNT_THINGS).status_code for _ in range(25)]
    finally:
        stop.set()
        swapper.join()
    assert statuses == [200] * 25
    assert len(list(endpoint.service.snapshots._root.glob("snapshot-*"))) <= endpoint.service.pool.size + 1


def test_distinct_queries_parsed_at_once_do_not_fail_each_other():
    from stafett.harvester.sparql.gate import gate_on_large_stack

    texts = [f"SELECT ?s WHERE {{ ?s ?p 'parallel {i}' }} LIMIT {i + 1}" for i in range(16)]
    outcomes: list = []

    def check(text):
        try:
            outcomes.append(gate_on_large_stack(text, max_chars=5000).form)
        except Exception as err:  # a Problem here is the bug: each text is valid
            outcomes.append(err)

    threads = [threading.Thread(target=check, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["select"] * len(texts)
