"""Answers kept per store version (harvester/sparql/answers.py), through the real endpoint on loopback:
a repeated query is answered from the kept answer, a harvest commit makes it stale, HTTP validators
follow the store version, and queries whose answer changes per evaluation are never kept."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from stafett.harvester.app import create_app
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sparql.answers import AnswerCache, AnswerKey
from stafett.harvester.sparql.gate import gate
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.serving import bind, serve_in_thread

CASE = ox.NamedNode("https://w3id.org/stafett/ns#Case")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a <https://w3id.org/stafett/ns#Case> } }"


def add_cases(registry: Registry, first: int, count: int) -> None:
    for i in range(first, first + count):
        case = ox.NamedNode(f"https://kommun.example/case/{i}")
        registry.store.add(ox.Quad(case, RDF_TYPE, CASE, case))
    registry.notify()  # what a committed harvest run does


def serve(tmp_path, **sparql):
    sock = bind()
    host, port = sock.getsockname()[:2]
    registry = Registry(RegistrySettings(data_dir=tmp_path, base_url=f"http://{host}:{port}/"), sources=[])
    app = create_app(
        SparqlSettings(timeout_seconds=5, snapshot_dir=tmp_path / "snapshots", **sparql), registry
    )
    return serve_in_thread(app, sock), registry, app


@pytest.fixture
def endpoint(tmp_path):
    server, registry, app = serve(tmp_path)
    add_cases(registry, 0, 3)
    yield server.base_url + "sparql", registry
    server.stop()
    app.state.sparql.close()
    registry.close()


def ask(url: str, query: str, **headers) -> httpx.Response:
    return httpx.get(
        url, params={"query": query}, headers={"Accept": "application/sparql-results+json", **headers}
    )


def count_of(response: httpx.Response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_repeated_query_is_answered_from_the_kept_answer_until_a_commit(endpoint):
    url, registry = endpoint
    first, second = ask(url, COUNT), ask(url, COUNT)
    assert first.headers["stafett-answer-cache"] == "miss" and second.headers["stafett-answer-cache"] == "hit"
    assert first.content == second.content and count_of(second) == 3
    assert first.headers["etag"] == second.headers["etag"].strip() and first.headers["etag"].startswith('W/"')
    assert second.headers["cache-control"] == "no-cache"
    add_cases(registry, 3, 2)
    after = ask(url, COUNT)
    assert after.headers["stafett-answer-cache"] == "miss" and count_of(after) == 5
    assert after.headers["etag"] != first.headers["etag"]


def test_if_none_match_gets_304_while_the_store_is_unchanged_and_200_after_a_commit(endpoint):
    url, registry = endpoint
    etag = ask(url, COUNT).headers["etag"]
    unchanged = ask(url, COUNT, **{"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
    assert ask(url, COUNT, **{"If-None-Match": etag.removeprefix("W/")}).status_code == 304  # weak match
    add_cases(registry, 3, 1)
    changed = ask(url, COUNT, **{"If-None-Match": etag})
    assert changed.status_code == 200 and count_of(changed) == 4


def test_formats_and_datasets_are_kept_apart(endpoint):
    url, _ = endpoint
    as_json = ask(url, COUNT)
    as_csv = httpx.get(url, params={"query": COUNT}, headers={"Accept": "text/csv"})
    assert as_csv.headers["stafett-answer-cache"] == "miss" and as_csv.text.splitlines() == ["n", "3"]
    one_graph = httpx.get(
        url,
        params={"query": COUNT, "named-graph-uri": "https://kommun.example/case/1"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert one_graph.headers["stafett-answer-cache"] == "miss" and count_of(one_graph) == 1
    assert len({as_json.headers["etag"], as_csv.headers["etag"], one_graph.headers["etag"]}) == 3


@pytest.mark.parametrize("call", ["NOW()", "RAND()", "UUID()", "STRUUID()", "BNODE()"])
def test_answers_that_change_per_evaluation_are_never_kept(endpoint, call):
    url, _ = endpoint
    query = f"SELECT ?x WHERE {{ BIND({call} AS ?x) }}"
    responses = [ask(url, query) for _ in range(2)]
    assert [r.headers["stafett-answer-cache"] for r in responses] == ["miss", "miss"]
    assert all(r.headers["cache-control"] == "no-store" and "etag" not in r.headers for r in responses)


def test_the_gate_sees_changing_functions_behind_escapes():
    # pyoxigraph itself refuses escaped keywords, but the gate must not be fooled if an engine accepts them
    assert not gate("SELECT ?x WHERE { BIND(\\u004EOW() AS ?x) }", max_chars=1000).repeatable
    assert gate("SELECT ?x WHERE { ?x ?p 'NOW()' }", max_chars=1000).repeatable


def test_cache_bytes_zero_keeps_nothing(tmp_path):
    server, registry, app = serve(tmp_path, cache_bytes=0)
    try:
        add_cases(registry, 0, 2)
        url = server.base_url + "sparql"
        assert [ask(url, COUNT).headers["stafett-answer-cache"] for _ in range(2)] == ["miss", "miss"]
    finally:
        server.stop()
        app.state.sparql.close()
        registry.close()


def test_the_cache_stays_within_its_byte_budget_dropping_the_least_recently_used():
    cache = AnswerCache(max_bytes=800)
    keys = [AnswerKey("v1", f"q{i}", "json", (), (), None) for i in range(5)]
    for key in keys[:4]:
        cache.put(key, b"x" * 100, False)  # 100 bytes each: an eighth of the budget is the largest kept
    cache.get(keys[0])  # q0 is now the most recently used
    cache.put(keys[4], b"y" * 100, False)
    cache.put(AnswerKey("v1", "big", "json", (), (), None), b"z" * 101, False)  # over an eighth: not kept
    assert cache.size_bytes <= 800 and cache.get(keys[0]) == (b"x" * 100, False)
    for i in range(5, 12):
        cache.put(AnswerKey("v1", f"q{i}", "json", (), (), None), b"w" * 100, False)
    assert cache.size_bytes == 800 and cache.get(keys[1]) is None
    cache.put(AnswerKey("v2", "q0", "json", (), (), None), b"new", False)  # a new snapshot version
    assert cache.size_bytes == 3 and cache.get(keys[0]) is None
