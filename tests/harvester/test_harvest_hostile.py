"""Hostile sources are each contained and reported while a good source harvests normally."""

import gzip
import json
import time

import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc, case_graph, dripping
from starlette.responses import Response

from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source

TITLE = "http://purl.org/dc/terms/title"
BUYER = "https://w3id.org/stafett/ns#buyer"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"


def titles(store, case):
    return {q.object.value for q in case_graph(store, case) if q.predicate.value == TITLE}


def remote_context(evil_url):
    body = json.dumps({"@context": evil_url, "@graph": [{"@id": "x", "title": "y"}]}).encode()
    return lambda request: Response(body, media_type="application/ld+json")


def huge(request):
    return Response(b"#" * 2_000_000, media_type="application/trig")


def gzip_bomb(request):
    bomb = gzip.compress(b" " * 60_000_000, 9)
    return Response(bomb, media_type="application/trig", headers={"Content-Encoding": "gzip"})


def deep_nesting(request):
    return Response(b'{"@graph":' * 5000 + b"1" + b"}" * 5000, media_type="application/ld+json")


def garbage(request):
    return Response(b"<html>this is not RDF {{{ </html>", media_type="application/trig")


@pytest.fixture
def servers():
    started = []

    def make(**kw):
        server = FeedServer(**kw)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


def test_each_hostile_source_is_contained_and_reported(tmp_path, servers):
    good = servers()
    for i in range(3):
        good.publish("Create", case_doc(good.base, f"g{i}", title=f"God {i}"))
    hostile = {name: servers() for name in ("context", "huge", "bomb", "deep", "garbage", "drip", "hijack")}
    hostile["context"].override["/feed"] = remote_context(hostile["context"].base + "evil-context")
    hostile["huge"].override["/feed"] = huge
    hostile["bomb"].override["/feed"] = gzip_bomb
    hostile["deep"].override["/feed"] = deep_nesting
    hostile["garbage"].override["/feed"] = garbage
    hostile["drip"].override["/feed"] = dripping(20)
    # Publishes a case in the good node's namespace, and a case of its own that rewrites the good one.
    hijack = hostile["hijack"]
    hijack.publish("Create", case_doc(good.base, "g0", title="Kapad"))
    doc = case_doc(hijack.base, "h1")
    doc["relatedCase"] = [{"id": good.base + "case/g1", "title": {"sv": "Kapad"}}]
    hijack.publish("Create", doc)

    sources = [Source("good", good.base, (good.base,))]
    sources += [Source(name, s.base, (s.base,)) for name, s in hostile.items()]
    settings = RegistrySettings(
        data_dir=tmp_path,
        base_url="http://registry.test/",
        allow_loopback=True,
        request_deadline=3,
        max_raw_bytes=500_000,
        max_decoded_bytes=1_000_000,
    )
    registry = Registry(settings, sources)
    reports = {r["source"]: r for r in registry.harvest()}

    assert reports["good"]["status"] == "ok" and reports["good"]["accepted"] == 3
    assert "unknown JSON-LD context" in reports["context"]["error"]
    assert hostile["context"].hits["/evil-context"] == 0  # never fetched
    assert "over 500,000 bytes" in reports["huge"]["error"]
    assert "inflates to more than 1,000,000 bytes" in reports["bomb"]["error"]
    assert "nested deeper" in reports["deep"]["error"]
    assert "not valid application/trig" in reports["garbage"]["error"]
    assert "within 3 s" in reports["drip"]["error"]
    verdicts = {p["case"]: p["verdict"] for p in reports["hijack"]["problems"]}
    assert verdicts == {good.base + "case/g0": "refuse", hijack.base + "case/h1": "refuse"}
    assert reports["hijack"]["accepted"] == 0
    for name in ("context", "huge", "bomb", "deep", "garbage", "drip"):
        assert reports[name]["stale"], name
    assert titles(registry.store, good.base + "case/g0") == {"God 0"}
    assert titles(registry.store, good.base + "case/g1") == {"God 1"}
    registry.close()


def test_endless_paging_stops_at_the_cap_and_page_loops_end(tmp_path, servers):
    endless, looping = servers(), servers()
    endless.publish("Create", case_doc(endless.base, "e0"))
    looping.publish("Create", case_doc(looping.base, "l0"))

    def endless_page(request):
        k = int(request.url.path.rsplit("/", 1)[1])
        body = (
            f"<{endless.base}feed/page/{k}> <https://w3id.org/tree#relation> _:r .\n"
            f"_:r <https://w3id.org/tree#node> <{endless.base}feed/page/{k + 1}> .\n"
        )
        return Response(body.encode(), media_type="application/n-quads")

    for k in range(1, 40):
        endless.override[f"/feed/page/{k}"] = endless_page

    def loop_page(request):  # page 0 links back to the root: a loop
        body = (
            f"<{looping.base}feed/page/0> <https://w3id.org/tree#relation> _:r .\n"
            f"_:r <https://w3id.org/tree#node> <{looping.base}feed> .\n"
        )
        quads, _ = looping.page_quads(0)
        import pyoxigraph as ox

        return Response(
            body.encode() + ox.serialize(quads, format=ox.RdfFormat.N_QUADS), media_type="application/n-quads"
        )

    looping.override["/feed/page/0"] = loop_page
    # the fixture's page 0 is its last page, so link it onwards to make endless paging reach page 1
    endless.override["/feed/page/0"] = endless_page

    registry = Registry(
        RegistrySettings(
            data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True, max_pages=15
        ),
        [Source("endless", endless.base, (endless.base,)), Source("loop", looping.base, (looping.base,))],
    )
    reports = {r["source"]: r for r in registry.harvest()}
    assert "more than 15 pages" in reports["endless"]["error"]
    assert reports["endless"]["pages"] <= 16
    assert reports["loop"]["status"] == "ok" and reports["loop"]["accepted"] == 1
    assert looping.hits["/feed"] == 1 and looping.hits["/feed/page/0"] == 1
    registry.close()


def test_empty_or_broken_feed_never_deletes_and_marks_stale(tmp_path, servers):
    node = servers()
    for i in range(3):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    registry = Registry(
        RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True),
        [Source("n", node.base, (node.base,))],
    )
    [first] = registry.harvest()
    assert first["accepted"] == 3 and not first["stale"]
    events, node.events = node.events, []  # the feed suddenly lists nothing
    [empty] = registry.harvest()
    assert empty["stale"] and empty["deleted"] == 0
    summary = registry.source_summary(registry.source("n"))
    assert summary["stale"] and "lists no members" in summary["stale_reason"]
    assert (
        summary["last_good_harvest"] == first["finished"] or summary["last_good_harvest"] <= empty["started"]
    )
    node.override["/feed"] = garbage
    [broken] = registry.harvest()
    assert broken["stale"] and broken["status"] == "failed"
    for i in range(3):
        assert titles(registry.store, f"{node.base}case/c{i}"), "data must stay"
    node.events = events
    del node.override["/feed"]
    [healed] = registry.harvest()
    assert not healed["stale"] and not registry.source_summary(registry.source("n"))["stale"]
    registry.close()


def relabel_blank_nodes(triples):
    """The same labels (`_:b0`, `_:b1`...) in every member, as a publisher numbering per member would."""
    labels: dict = {}

    def term(node):
        if isinstance(node, ox.BlankNode):
            return labels.setdefault(node, ox.BlankNode(f"b{len(labels)}"))
        return node

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def buyer_names(store, case):
    graph = case_graph(store, case)
    buyers = {q.object for q in graph if q.predicate.value == BUYER}
    return {
        b: {q.object.value for q in graph if q.subject == b and q.predicate.value == FOAF_NAME}
        for b in buyers
    }


def test_members_of_one_page_reusing_a_blank_node_label_are_each_stored(tmp_path, servers):
    feed = servers(page_size=10)
    for slug, buyer in (("b0", "Växjö kommun"), ("b1", "Lunds kommun")):
        doc = case_doc(
            feed.base,
            slug,
            buyer=[{"name": {"sv": buyer}, "orgNumber": "212000-0688", "country": "SWE", "legalType": "la"}],
        )
        feed.publish("Create", doc)
        feed.events[-1]["triples"] = relabel_blank_nodes(feed.events[-1]["triples"])
    page, _ = feed.page_quads(0)
    assert "_:b0 " in ox.serialize(page, format=ox.RdfFormat.TRIG).decode()  # shared in the page text

    settings = RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True)
    registry = Registry(settings, [Source("feed", feed.base, (feed.base,))])
    (report,) = registry.harvest()
    assert report["status"] == "ok" and report["accepted"] == 2, report
    first = buyer_names(registry.store, feed.base + "case/b0")
    second = buyer_names(registry.store, feed.base + "case/b1")
    assert list(first.values()) == [{"Växjö kommun"}] and list(second.values()) == [{"Lunds kommun"}]
    assert set(first).isdisjoint(second)  # two buyers, not one merged across the cases
    registry.close()


def test_members_with_19000_keywords_are_quarantined_quickly_and_neighbours_kept(tmp_path, servers):
    feed = servers(page_size=2)
    for i in range(3):
        heavy = case_doc(feed.base, f"heavy{i}", keyword={"sv": [f"ord {k}" for k in range(19_000)]})
        feed.publish("Create", heavy)
        feed.publish("Create", case_doc(feed.base, f"good{i}", title=f"God {i}"))
    settings = RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True)
    registry = Registry(settings, [Source("feed", feed.base, (feed.base,))])
    started = time.monotonic()
    (report,) = registry.harvest()
    elapsed = time.monotonic() - started
    assert report["status"] == "ok" and report["accepted"] == 3 and report["quarantined"] == 3, report
    for problem in report["problems"]:
        assert problem["case"].startswith(feed.base + "case/heavy")
        (reason,) = [r for r in problem["reasons"] if r["rule"].endswith("Document-value-count")]
        assert reason["field"] == "keyword" and reason["value"] == "19000"
    assert titles(registry.store, feed.base + "case/good2") == {"God 2"}
    assert elapsed < 30, f"{elapsed:.1f} s"  # three such members cost 19-37 s of validation alone
    registry.close()
