"""The registry web app (`harvester/app.py`): endpoint + query page + the harvester's routes, over a
real `Registry`, served on loopback. Also runs every example query through the endpoint."""

from __future__ import annotations

import json
import re
from collections import Counter

import httpx
import pyoxigraph as ox
import pytest
from expected_rows import json_rows
from test_sparql_support import REPO, example_cases, fill

from stafett import texts
from stafett.harvester.app import create_app
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.harvester.web.query_page import EXAMPLES_DIR, load_examples
from stafett.languages import SUPPORTED
from stafett.serving import bind, serve_in_thread

EXAMPLE_QUERIES = REPO / "examples" / "queries"


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("registry")
    sock = bind()
    host, port = sock.getsockname()[:2]
    registry = Registry(RegistrySettings(data_dir=data, base_url=f"http://{host}:{port}/"), sources=[])
    fill(registry.store, with_vocabulary=True)
    app = create_app(SparqlSettings(timeout_seconds=5, snapshot_dir=data / "snapshots"), registry)
    server = serve_in_thread(app, sock)
    yield server, registry
    server.stop()
    app.state.sparql.close()
    registry.close()


def test_commit_listener_makes_new_data_visible(app_server):
    server, registry = app_server
    ask = "ASK { GRAPH ?g { ?s a <https://w3id.org/stafett/ns#Case> } }"
    case = ox.NamedNode("https://late.stafett.example/case/x")
    late = f"ASK {{ <{case.value}> ?p ?o }}"
    assert httpx.get(server.base_url + "sparql", params={"query": late}).json()["boolean"] is False
    registry.store.add(ox.Quad(case, case, case, case))
    registry.notify()  # what a committed harvest run does
    assert httpx.get(server.base_url + "sparql", params={"query": late}).json()["boolean"] is True
    any_case = httpx.get(server.base_url + "sparql", params={"query": ask}).json()["boolean"]
    assert any_case is bool(example_cases())


@pytest.mark.parametrize("lang", SUPPORTED)
def test_query_page_in_every_language(app_server, lang):
    server, _ = app_server
    response = httpx.get(server.base_url + "query", params={"lang": lang})
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    words = texts.words("registry", lang)
    assert words["query_title"] in response.text and words["query_run"] in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for example in load_examples():
        assert f"example={example.name}" in response.text


def test_query_page_language_from_header_and_hostile_input(app_server):
    server, _ = app_server
    finnish = httpx.get(server.base_url + "query", headers={"Accept-Language": "fi-FI, en;q=0.5"})
    assert finnish.headers["content-language"] == "fi"
    hostile = httpx.get(
        server.base_url + "query",
        params={"lang": "<script>alert(1)</script>", "example": '"><script>x</script>'},
    )
    assert hostile.status_code == 200
    assert "<script>alert" not in hostile.text and "<script>x" not in hostile.text
    examples = load_examples()
    if examples:
        chosen = httpx.get(server.base_url + "query", params={"example": examples[-1].name})
        textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", chosen.text, re.S).group(1)
        assert (
            textarea.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#34;", '"')
            .replace("&#39;", "'")
            .replace("&amp;", "&")
            == examples[-1].text
        )
    script = httpx.get(server.base_url + "query.js")
    assert script.headers["content-type"].startswith("text/javascript") and "textContent" in script.text
    assert "innerHTML" not in script.text


def test_a_browser_without_a_query_gets_the_query_page(app_server):
    server, _ = app_server
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = httpx.get(server.base_url + "sparql", headers={"Accept": browser})
    assert response.status_code == 303 and response.headers["location"] == "/query"
    machine = httpx.get(server.base_url + "sparql", headers={"Accept": "text/turtle"})
    assert machine.status_code == 200 and "sd:Service" in machine.text


def test_harvester_routes_are_mounted(app_server):
    server, _ = app_server
    root = httpx.get(server.base_url, headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert root.status_code in (200, 303)
    assert httpx.get(server.base_url + "sparql", params={"query": "ASK {}"}).status_code == 200


def test_shipped_example_queries_equal_the_repository_ones():
    repo = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLE_QUERIES.glob("*.rq")}
    shipped = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES_DIR.glob("*.rq")}
    assert shipped == repo, "copy examples/queries/*.rq to harvester/sparql/examples/"


@pytest.mark.parametrize("path", sorted(EXAMPLE_QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_example_query_runs(app_server, path):
    server, _ = app_server
    response = httpx.post(
        server.base_url + "sparql",
        data={"query": path.read_text(encoding="utf-8")},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    expected_path = path.with_suffix(".expected.json")
    if not expected_path.exists() or not example_cases():
        return
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    answer = response.json()
    assert answer["head"]["vars"] == expected["variables"]
    rows = json_rows(answer["results"]["bindings"])
    if expected["ordered"]:
        assert rows == expected["rows"]
    else:
        canonical = lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False)  # noqa: E731
        assert Counter(map(canonical, rows)) == Counter(map(canonical, expected["rows"]))


def test_app_without_a_registry_serves_an_in_memory_store(tmp_path):
    """An in-memory store cannot be backed up; it is copied into a snapshot instead."""
    import pyoxigraph as ox

    from stafett.harvester.sparql.service import SparqlService

    store = ox.Store()
    fill(store)
    settings = SparqlSettings(workers=1, snapshot_dir=tmp_path)
    service = SparqlService(settings, store)
    server = serve_in_thread(create_app(settings, service=service), bind())
    try:
        query = "ASK { GRAPH <https://synthetic.stafett.example/graph/0> { ?s ?p ?o } }"
        answer = httpx.get(server.base_url + "sparql", params={"query": query})
        assert answer.json()["boolean"] is True
    finally:
        server.stop()
        service.close()
