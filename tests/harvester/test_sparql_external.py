"""Forwarding to an external store (a real Oxigraph server on loopback) keeps the gate, the deadline
and the row cap: refused queries never reach the store, a runaway query is answered 504 at our
deadline, and long results are cut with the same signal."""

from __future__ import annotations

import shutil
import subprocess
import time

import httpx
import pyoxigraph as ox
import pytest
from stafett.harvester.sparql.endpoint import routes
from stafett.harvester.sparql.results import TRUNCATION_HEADER
from stafett.harvester.sparql.service import SparqlService
from stafett.harvester.sparql.settings import SparqlSettings
from starlette.applications import Starlette
from test_sparql_support import SYNTHETIC, SYNTHETIC_COUNT, fill

from stafett.serving import bind, serve_in_thread

OXIGRAPH = shutil.which("oxigraph") or (shutil.which("oxigraph", path="/work/venv/bin"))
pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server (pip oxigraph) is absent")
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
    subprocess.run([OXIGRAPH, "load", "--location", str(root / "db"), "--file", str(root / "data.nq")],
                   check=True, capture_output=True, timeout=60)
    port = _free_port()
    store = subprocess.Popen([OXIGRAPH, "serve-read-only", "--location", str(root / "db"), "--bind",
                              f"127.0.0.1:{port}", "--union-default-graph"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
