"""Issue 17: the registry's feed keeps each member's snapshot byte for byte, compressed.

Every member of the registry's feed must carry exactly the triples it was made from (lexical
forms included: a signed relay verifies downstream), whatever came after it, while the stored
copy is several times smaller than the N-Triples text; rows written before still read.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc, snapshot

from stafett.harvester.feed import member_quads
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.ldes import AS_OBJECT


@pytest.fixture
def node():
    server = FeedServer(page_size=10)
    yield server
    server.stop()


def registry_for(tmp_path, node) -> Registry:
    settings = RegistrySettings(
        data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True, feed_page_size=3
    )
    return Registry(settings, sources=[Source("n1", node.base, (node.base,))])


def named(triples) -> set[str]:
    """The triples without blank nodes, as N-Triples lines: lexical forms must match exactly."""
    return {
        str(t)
        for t in triples
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


def members(registry: Registry) -> list[tuple[str, set[str], int]]:
    """(case, snapshot lines, blank-node triples) of every member, in order, from the feed pages."""
    out = []
    for k in range(registry.feed.pages()):
        quads, _ = registry.feed.page_quads(k)
        for act in [q.subject for q in quads if q.predicate == AS_OBJECT]:
            case = next(q.object.value for q in quads if q.subject == act and q.predicate == AS_OBJECT)
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == act]
            out.append((case, named(triples), len(triples)))
    return out


def test_every_member_keeps_its_own_version_compressed(tmp_path, node):
    v1 = [
        case_doc(node.base, f"c{i}", title=f"Fall {i}", modified="2026-01-01T00:00:00.100000Z")
        for i in range(3)
    ]
    for doc in v1:
        node.publish("Create", doc)
    registry = registry_for(tmp_path, node)
    registry.harvest()
    v2 = case_doc(node.base, "c1", title="Nytt namn", version=2)
    v3 = case_doc(node.base, "c1", title="Tredje namnet", version=3)
    node.publish("Update", v2)
    node.publish("Update", v3)
    registry.harvest()
    expected = [*v1, v2, v3]
    got = members(registry)
    assert [case for case, _, _ in got] == [doc["id"] for doc in expected]
    for (_, lines, count), doc in zip(got, expected, strict=True):
        assert lines == named(snapshot(doc)) and count == len(snapshot(doc))
    assert any('00:00:00.100000Z"' in line for line in got[0][1])  # the lexical form as published
    rows = registry.db.rows("SELECT payload FROM feed ORDER BY seq")
    for row, doc in zip(rows, expected, strict=True):
        text = ox.serialize(snapshot(doc), format=ox.RdfFormat.N_TRIPLES)
        assert isinstance(row["payload"], bytes) and len(row["payload"]) * 3 < len(text)
    registry.close()


def test_rows_written_before_as_text_still_read():
    doc = case_doc("https://a.example/", "c1")
    text = ox.serialize(snapshot(doc), format=ox.RdfFormat.N_TRIPLES).decode()
    row = {
        "kind": "Create",
        "case_iri": doc["id"],
        "published": "2026-01-01T00:00:00.000Z",
        "origin_activity": "https://a.example/feed/activity/1",
        "harvested_at": "2026-01-01T00:00:00.000Z",
        "origin_stream": None,
        "payload": text,
    }
    act = ox.NamedNode("https://registry.example/feed/activity/1")
    quads = member_quads("https://registry.example/feed#stream", act.value, row)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == act]
    assert named(triples) == named(snapshot(doc))
