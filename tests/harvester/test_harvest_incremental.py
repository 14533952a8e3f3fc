"""Incremental harvest from a loopback LDES feed: cases land one graph each, re-runs are cheap."""

import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc, case_graph
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source


@pytest.fixture
def node():
    server = FeedServer(page_size=2)
    yield server
    server.stop()


def make_registry(tmp_path, *sources, **settings):
    return Registry(
        RegistrySettings(
            data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True, **settings
        ),
        sources=list(sources),
    )


def test_first_harvest_loads_each_case_into_its_own_graph(tmp_path, node):
    docs = [case_doc(node.base, f"c{i}", title=f"Fall {i}") for i in range(5)]
    for doc in docs:
        node.publish("Create", doc)
    registry = make_registry(tmp_path, Source("n1", node.base, (node.base,)))
    [report] = registry.harvest()
    assert report["status"] == "ok", report
    assert report["accepted"] == 5
    for doc in docs:
        titles = [
            q.object.value
            for q in case_graph(registry.store, doc["id"])
            if q.predicate.value == "http://purl.org/dc/terms/title"
        ]
        assert doc["title"]["sv"] in titles
    registry.close()


def test_second_harvest_fetches_only_new_pages_and_counts_304s(tmp_path, node):
    for i in range(4):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    registry = make_registry(tmp_path, Source("n1", node.base, (node.base,)))
    registry.harvest()
    closed_page_hits = node.hits["/feed/page/0"]
    node.publish("Update", case_doc(node.base, "c1", title="Nytt namn", version=2))
    [report] = registry.harvest()
    assert report["accepted"] == 1 and report["fetched"] == 1
    assert node.hits["/feed/page/0"] == closed_page_hits  # immutable page skipped, no request
    [again] = registry.harvest()
    assert again["fetched"] == 0 and again["not_modified"] >= 1
    assert sum(node.not_modified.values()) >= 1
    titles = {
        q.object.value
        for q in case_graph(registry.store, node.base + "case/c1")
        if q.predicate == ox.NamedNode("http://purl.org/dc/terms/title")
    }
    assert titles == {"Nytt namn"}
    registry.close()
