"""The same harvester writes to an external SPARQL 1.1 store: a real `oxigraph serve` process."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from harvest_support import FeedServer, case_doc
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source

OXIGRAPH = shutil.which("oxigraph") or str(Path(__import__("sys").executable).parent / "oxigraph")
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
TITLES = "SELECT ?t WHERE { GRAPH ?g { ?c <http://purl.org/dc/terms/title> ?t } }"
STALE = """PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?stale WHERE { GRAPH ?g { ?source a stf:HarvestSource ; stf:stale ?stale } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server binary is not installed")
    port = free_port()
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path / "ox"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.TransportError:
            assert process.poll() is None and time.monotonic() < deadline, "oxigraph serve did not start"
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


def select(base: str, query: str) -> list[dict]:
    response = httpx.post(
        base + "/query", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    response.raise_for_status()
    return response.json()["results"]["bindings"]


def test_harvest_into_an_external_sparql_store(tmp_path, oxigraph_server):
    node = FeedServer()
    try:
        docs = [case_doc(node.base, f"c{i}", title=f"Fall {i}") for i in range(3)]
        for doc in docs:
            node.publish("Create", doc)
        settings = RegistrySettings(
            data_dir=tmp_path / "registry",
            base_url="http://registry.test/",
            allow_loopback=True,
            store="external",
            external_query_url=oxigraph_server + "/query",
            external_update_url=oxigraph_server + "/update",
            external_gsp_url=oxigraph_server + "/store",
        )
        registry = Registry(settings, [Source("n", node.base, (node.base,))])
        assert registry.store is None
        [report] = registry.harvest()
        assert report["accepted"] == 3
        graphs = {row["g"]["value"] for row in select(oxigraph_server, GRAPHS)}
        assert {d["id"] for d in docs} | {registry.prov_graph, registry.reports_graph} <= graphs
        node.publish("Delete", docs[0]["id"])
        node.publish("Update", case_doc(node.base, "c1", title="Nytt", version=2))
        registry.harvest()
        graphs = {row["g"]["value"] for row in select(oxigraph_server, GRAPHS)}
        assert docs[0]["id"] not in graphs
        titles = {row["t"]["value"] for row in select(oxigraph_server, TITLES)}
        assert "Nytt" in titles and "Fall 1" not in titles and "Fall 0" not in titles
        assert [row["stale"]["value"] for row in select(oxigraph_server, STALE)] == ["false"]
        registry.close()
    finally:
        node.stop()


def test_an_unreachable_external_store_fails_the_run_and_loses_nothing(tmp_path):
    node = FeedServer()
    try:
        node.publish("Create", case_doc(node.base, "c0"))
        dead = f"http://127.0.0.1:{free_port()}"
        settings = RegistrySettings(
            data_dir=tmp_path / "registry",
            base_url="http://registry.test/",
            allow_loopback=True,
            store="external",
            external_query_url=dead + "/query",
            external_update_url=dead + "/update",
            external_gsp_url=dead + "/store",
        )
        registry = Registry(settings, [Source("n", node.base, (node.base,))])
        [report] = registry.harvest()
        assert report["status"] == "failed" and "ConnectError" in report["error"] and report["stale"]
        assert registry.db.one("SELECT COUNT(*) FROM processed")[0] == 0  # retried on the next run
        registry.close()
    finally:
        node.stop()
