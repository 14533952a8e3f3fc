"""The same harvest on the embedded store and on external SPARQL 1.1 stores: real `oxigraph serve`
and Virtuoso.

Also: a store whose default graph is not the union of the named graphs, or that cannot be reached,
refuses the registry's start; Virtuoso refuses writes without credentials and takes them with.
"""

import json
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc

from bench.external_stores import ExternalServer, external_server, free_port, oxigraph_server, virtuoso_server
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.problems import Problem

GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
TITLES = """PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?t WHERE { GRAPH ?g { ?c a stf:Case ; <http://purl.org/dc/terms/title> ?t } }"""
STALE = """PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?stale WHERE { GRAPH ?g { ?source a stf:HarvestSource ; stf:stale ?stale } }"""
BOOLEAN = {"true": True, "1": True, "false": False, "0": False}


def select(server: ExternalServer, query: str) -> list[dict]:
    response = httpx.post(
        server.query_url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    response.raise_for_status()
    return response.json()["results"]["bindings"]


def graphs(server: ExternalServer) -> set[str]:
    return {row["g"]["value"] for row in select(server, GRAPHS)}


@pytest.fixture
def node():
    node = FeedServer()
    yield node
    node.stop()


class Embedded:
    """The embedded store answering the same queries as the servers' query endpoints."""

    def __init__(self, root: Path) -> None:
        self.root, self.registry = root, None

    def settings(self, data_dir: Path):
        return RegistrySettings(data_dir=data_dir, base_url="http://registry.test/", allow_loopback=True)

    def bindings(self, query: str) -> list[dict]:
        answer = self.registry.store.query(query)
        return json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]


@contextmanager
def any_store(kind: str, root: Path):
    if kind == "embedded":
        yield Embedded(root)
    else:
        with external_server(kind, root) as server:
            yield server


def rows(store, query: str) -> list[dict]:
    return store.bindings(query) if isinstance(store, Embedded) else select(store, query)


@pytest.mark.parametrize("kind", ["embedded", "oxigraph", "virtuoso"])
def test_harvest_into_each_kind_of_store(tmp_path, node, kind):
    docs = [case_doc(node.base, f"c{i}", title=f"Fall {i}") for i in range(3)]
    for doc in docs:
        node.publish("Create", doc)
    with any_store(kind, tmp_path / kind) as store:
        registry = Registry(store.settings(tmp_path / "registry"), [Source("n", node.base, (node.base,))])
        store.registry = registry
        try:
            assert (registry.store is None) is (kind != "embedded")
            [report] = registry.harvest()
            assert report["accepted"] == 3
            found = {row["g"]["value"] for row in rows(store, GRAPHS)}
            assert {d["id"] for d in docs} | {registry.prov_graph, registry.reports_graph} <= found
            assert registry.settings.base_url + "graph/store-check" not in found  # the start probe's
            node.publish("Delete", docs[0]["id"])
            node.publish("Update", case_doc(node.base, "c1", title="Nytt", version=2))
            registry.harvest()
            assert docs[0]["id"] not in {row["g"]["value"] for row in rows(store, GRAPHS)}
            titles = {row["t"]["value"] for row in rows(store, TITLES)}
            assert titles == {"Nytt", "Fall 2"}
            # Virtuoso stores xsd:boolean as an integer and answers "0" (docs/scale-out.md, caveats)
            assert [BOOLEAN[row["stale"]["value"]] for row in rows(store, STALE)] == [False]
        finally:
            registry.close()


def test_an_oxigraph_without_union_default_graph_is_refused_at_start(tmp_path):
    with oxigraph_server(tmp_path, union_default_graph=False) as server:
        with pytest.raises(Problem) as refused:
            Registry(server.settings(tmp_path / "registry"), [])
        assert refused.value.status == 409 and refused.value.slug == "store-default-graph-not-union"
        assert "--union-default-graph" in refused.value.detail
        assert graphs(server) == set()  # the probe cleaned up after itself
    with oxigraph_server(tmp_path, union_default_graph=True) as server:  # same data, with the flag
        Registry(server.settings(tmp_path / "registry"), []).close()


def test_virtuoso_refuses_writes_without_credentials_and_takes_them_with(tmp_path, node):
    node.publish("Create", case_doc(node.base, "c0"))
    with virtuoso_server(tmp_path / "virtuoso") as server:
        anonymous = ExternalServer(
            server.kind, server.query_url, server.query_url, server.gsp_url.removesuffix("-auth")
        )
        for nobody in (anonymous, ExternalServer(**{**vars(server), "user": "", "password": ""})):
            with pytest.raises(Problem) as refused:
                Registry(nobody.settings(tmp_path / "registry"), [])
            assert refused.value.slug == "store-failed" and "external_user" in refused.value.detail
        environment = {
            "STAFETT_REGISTRY_STORE": "external",
            "STAFETT_REGISTRY_ALLOW_LOOPBACK": "1",
            "STAFETT_REGISTRY_DATA_DIR": str(tmp_path / "registry"),
            "STAFETT_REGISTRY_EXTERNAL_QUERY_URL": server.query_url,
            "STAFETT_REGISTRY_EXTERNAL_UPDATE_URL": server.update_url,
            "STAFETT_REGISTRY_EXTERNAL_GSP_URL": server.gsp_url,
            "STAFETT_REGISTRY_EXTERNAL_USER": server.user,
        }
        secret = "not-the-password"
        wrong_settings = RegistrySettings.from_env(
            {**environment, "STAFETT_REGISTRY_EXTERNAL_PASSWORD": secret}
        )
        assert secret not in repr(wrong_settings)
        with pytest.raises(Problem) as wrong:
            Registry(wrong_settings, [])
        assert "HTTP 401" in wrong.value.detail and secret not in str(wrong.value.as_dict())
        password_file = tmp_path / "password"
        password_file.write_text(server.password + "\n", "utf-8")
        settings = RegistrySettings.from_env(
            {
                **environment,
                "STAFETT_REGISTRY_EXTERNAL_PASSWORD": secret,  # the file wins
                "STAFETT_REGISTRY_EXTERNAL_PASSWORD_FILE": str(password_file),
            }
        )
        registry = Registry(settings, [Source("n", node.base, (node.base,))])
        try:
            [report] = registry.harvest()
            assert report["accepted"] == 1 and node.base + "case/c0" in graphs(server)
        finally:
            registry.close()


def test_an_unreachable_external_store_refuses_the_start(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    server = ExternalServer("none", dead + "/query", dead + "/update", dead + "/store")
    with pytest.raises(Problem) as refused:
        Registry(server.settings(tmp_path / "registry"), [])
    assert refused.value.slug == "store-failed" and "ConnectError" in refused.value.detail


def test_a_store_lost_after_start_fails_the_run_and_loses_nothing(tmp_path, node):
    node.publish("Create", case_doc(node.base, "c0"))
    with oxigraph_server(tmp_path) as server:
        registry = Registry(server.settings(tmp_path / "registry"), [Source("n", node.base, (node.base,))])
    try:  # the server is stopped now
        [report] = registry.harvest()
        assert report["status"] == "failed" and "ConnectError" in report["error"] and report["stale"]
        assert registry.db.one("SELECT COUNT(*) FROM processed")[0] == 0  # retried on the next run
    finally:
        registry.close()
