"""Three levels: node -> national registry -> Nordic registry, each registry a real server on loopback.

Deletes propagate, relayed payloads stay triple-identical, a case reached by two routes is
stored once and the publisher's own copy wins over a relayed one.
"""

import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc, case_graph, graph_names, served_registry

from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source

TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
PROV = "http://www.w3.org/ns/prov#"
ROUTES_OF_CASE = """PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?source ?case ?g WHERE { GRAPH ?g { ?r stf:routeOf ?case ; stf:harvestedFrom ?source } }"""


def canonical(triples):
    ds = ox.Dataset([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return ds


def stored_triples(store, case):
    return [ox.Triple(q.subject, q.predicate, q.object) for q in case_graph(store, case)]


@pytest.fixture
def chain(tmp_path):
    node = FeedServer(page_size=2)
    national, national_server = served_registry(tmp_path, "se", [Source("vaxjo", node.base, (node.base,))])
    nordic, nordic_server = served_registry(
        tmp_path, "nordic", [Source("se", national.settings.base_url, aggregator=True, relay=(node.base,))]
    )
    yield node, national, nordic
    for server in (nordic_server, national_server, node):
        server.stop()
    national.close()
    nordic.close()


def test_deletes_and_updates_propagate_through_three_levels(chain):
    node, national, nordic = chain
    docs = [case_doc(node.base, f"c{i}", title=f"Fall {i}") for i in range(3)]
    for doc in docs:
        node.publish("Create", doc)
    national.harvest()
    [report] = nordic.harvest()
    assert report["status"] == "ok" and report["accepted"] == 3
    case0, case1 = docs[0]["id"], docs[1]["id"]
    # The relayed payload is the origin's snapshot, triple for triple.
    assert canonical(stored_triples(nordic.store, case0)) == canonical(node.events[0]["triples"])

    node.publish("Delete", case0)
    node.publish("Update", case_doc(node.base, "c1", title="Bytt namn", version=2))
    national.harvest()
    [report] = nordic.harvest()
    assert report["deleted"] == 1 and report["accepted"] == 1
    assert case0 not in graph_names(nordic.store)
    assert {q.object.value for q in case_graph(nordic.store, case1) if q.predicate == TITLE} == {"Bytt namn"}
    # The tombstone is kept, pointing at the origin's Delete activity.
    tomb = list(
        nordic.store.quads_for_pattern(
            ox.NamedNode(case0),
            ox.NamedNode(PROV + "wasInvalidatedBy"),
            None,
            ox.NamedNode(nordic.prov_graph),
        )
    )
    assert [q.object.value for q in tomb] == [node.events[3]["activity"]]
    # Relayed members say where they came from.
    derived = list(
        nordic.store.quads_for_pattern(
            ox.NamedNode(case1), ox.NamedNode(PROV + "wasDerivedFrom"), None, ox.NamedNode(nordic.prov_graph)
        )
    )
    assert [q.object.value for q in derived] == [node.events[4]["activity"]]
    attributed = list(
        nordic.store.quads_for_pattern(
            ox.NamedNode(case1), ox.NamedNode(PROV + "wasAttributedTo"), None, ox.NamedNode(nordic.prov_graph)
        )
    )
    assert [q.object.value for q in attributed] == [node.base + "publisher"]


def test_same_case_by_two_routes_is_stored_once_and_the_publisher_wins(tmp_path):
    node, relay = FeedServer(), FeedServer()
    try:
        doc = case_doc(node.base, "c0", title="Original")
        node.publish("Create", doc)
        relay.publish("Create", case_doc(node.base, "c0", title="Relayed copy"))
        registry = Registry(
            RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True),
            [
                Source("relay", relay.base, aggregator=True, relay=(node.base,)),
                Source("vaxjo", node.base, (node.base,)),
            ],
        )
        registry.harvest("relay")
        assert {q.object.value for q in case_graph(registry.store, doc["id"]) if q.predicate == TITLE} == {
            "Relayed copy"
        }  # only route so far
        registry.harvest("vaxjo")
        registry.harvest("relay", full=True)  # the relay again, after the publisher: must not win
        assert {q.object.value for q in case_graph(registry.store, doc["id"]) if q.predicate == TITLE} == {
            "Original"
        }
        assert [g for g in graph_names(registry.store) if g == doc["id"]] == [doc["id"]]
        routes_seen = registry.store.query(
            ROUTES_OF_CASE,
            substitutions={
                ox.Variable("case"): ox.NamedNode(doc["id"]),
                ox.Variable("g"): ox.NamedNode(registry.prov_graph),
            },
        )
        assert sorted(row["source"].value.rsplit("/", 1)[1] for row in routes_seen) == ["relay", "vaxjo"]
        winner = registry.db.one("SELECT source FROM cases WHERE case_iri=?", (doc["id"],))[0]
        assert winner == "vaxjo"
        registry.close()
    finally:
        node.stop()
        relay.stop()
