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


def test_an_older_version_never_overwrites_a_newer_one(tmp_path):
    node = FeedServer(page_size=1)
    try:
        from harvest_support import START

        newer = node.publish(
            "Update", case_doc(node.base, "c0", title="Ny", version=2), at=START.replace(hour=10)
        )
        node.publish("Create", case_doc(node.base, "c0", title="Gammal", version=1), at=START.replace(hour=9))
        registry = make_registry(tmp_path, Source("n1", node.base, (node.base,)))
        [report] = registry.harvest()  # page 0 (10:00) is read before page 1 (09:00)
        assert report["accepted"] == 1 and report["skipped"] == 1
        titles = {
            q.object.value
            for q in case_graph(registry.store, node.base + "case/c0")
            if q.predicate == ox.NamedNode("http://purl.org/dc/terms/title")
        }
        assert titles == {"Ny"}
        assert registry.db.one("SELECT origin_activity FROM cases")[0] == newer
        registry.close()
    finally:
        node.stop()


def test_page_links_leaving_the_feed_site_are_not_followed(tmp_path, node):
    other = FeedServer()
    try:
        node.publish("Create", case_doc(node.base, "c0"))
        original = node.page_quads

        def with_offsite_link(k):
            quads, closed = original(k)
            page = ox.NamedNode(node.page_url(k))
            rel = ox.BlankNode("offsite")
            return [
                *quads,
                ox.Quad(page, ox.NamedNode("https://w3id.org/tree#relation"), rel),
                ox.Quad(rel, ox.NamedNode("https://w3id.org/tree#node"), ox.NamedNode(other.base + "feed")),
            ], closed

        node.page_quads = with_offsite_link
        registry = make_registry(tmp_path, Source("n1", node.base, (node.base,)))
        [report] = registry.harvest()
        assert report["accepted"] == 1
        assert sum(other.hits.values()) == 0
        assert any("leaves" in p["reasons"][0]["message"] for p in report["problems"])
        assert report["status"] == "ok" and not report["stale"]
        registry.close()
    finally:
        other.stop()


def test_full_resync_reports_drift_against_feed_state_and_never_deletes(tmp_path, node):
    from starlette.responses import JSONResponse

    for i in range(3):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    registry = make_registry(tmp_path, Source("n1", node.base, (node.base,)))
    registry.harvest()
    held = registry.db.rows("SELECT case_iri, snapshot_sha FROM routes")
    sha = {r["case_iri"]: r["snapshot_sha"] for r in held}
    ghost, c0, c1 = node.base + "case/ghost", node.base + "case/c0", node.base + "case/c1"
    node.override["/feed/state"] = lambda r: JSONResponse(
        {
            "cases": [
                {"id": c0, "sha256": sha[c0]},
                {"id": c1, "sha256": "0" * 64},
                {"id": ghost, "sha256": "1" * 64},
            ]
        }
    )
    [full] = registry.harvest(full=True)
    assert full["drift"] == {
        "missing_here": [ghost],
        "not_at_source": [node.base + "case/c2"],
        "hash_differs": [c1],
    }
    assert full["accepted"] == 3 and not full["stale"]  # everything re-applied, nothing deleted
    assert registry.db.one("SELECT COUNT(*) FROM feed")[0] == 3  # unchanged content: nothing new downstream
    node.override["/feed/state"] = lambda r: JSONResponse({"cases": []})
    [empty] = registry.harvest(full=True)
    assert empty["stale"] and empty["deleted"] == 0
    assert len([g for g in registry.store.named_graphs() if g.value.startswith(node.base)]) == 3
    registry.close()


def test_a_failing_after_commit_listener_does_not_break_the_harvest(tmp_path, node):
    node.publish("Create", case_doc(node.base, "c0"))
    registry = make_registry(tmp_path, Source("n1", node.base, (node.base,)))
    calls = []

    def broken():
        raise RuntimeError("snapshot failed")

    registry.after_commit += [broken, lambda: calls.append("after")]
    [report] = registry.harvest()
    assert report["accepted"] == 1 and calls == ["after"]
    registry.close()


def test_graphs_that_belong_to_no_member_are_ignored_and_reported(tmp_path, node):
    node.publish("Create", case_doc(node.base, "c0"))
    original = node.page_quads
    victim = ox.NamedNode("https://victim.example/case/1")

    def with_stray_graph(k):
        quads, closed = original(k)
        stray = ox.NamedNode(node.base + "not-a-member")
        return [
            *quads,
            ox.Quad(victim, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("x"), stray),
        ], closed

    node.page_quads = with_stray_graph
    registry = make_registry(tmp_path, Source("n1", node.base, (node.base,)))
    [report] = registry.harvest()
    assert report["accepted"] == 1 and report["status"] == "ok"
    assert any("belongs to no tree:member" in p["reasons"][0]["message"] for p in report["problems"])
    assert not list(registry.store.quads_for_pattern(victim, None, None))
    registry.close()


def test_the_store_write_buffers_are_flushed_every_store_flush_quads(tmp_path, node):
    for i in range(6):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    small = make_registry(tmp_path / "small", Source("n1", node.base, (node.base,)), store_flush_quads=50)
    never = make_registry(tmp_path / "never", Source("n1", node.base, (node.base,)), store_flush_quads=0)
    try:
        assert [r["accepted"] for r in small.harvest()] == [6] == [r["accepted"] for r in never.harvest()]
        assert small.backend.flushes >= 3  # 3 pages of 2 cases, each page over 50 quads
        assert never.backend.flushes == 0 and never.backend.unflushed >= 150
        assert {q.graph_name for q in small.store} == {q.graph_name for q in never.store}
    finally:
        small.close()
        never.close()
