"""The registry's own feed, state and reports, read over HTTP from a served registry."""

import httpx
import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc, served_registry

from stafett.harvester import terms as t
from stafett.harvester.fetch import Fetched
from stafett.harvester.parse import PageParser
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.ldes import LDES_IMMUTABLE, TREE_MEMBER, TREE_VIEW
from stafett.vocabulary.terms import DCT_SOURCE

REPORTS_QUERY = """PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?run ?accepted ?quarantined ?reason WHERE { GRAPH ?g {
  ?run a stf:HarvestRun ; stf:accepted ?accepted ; stf:quarantined ?quarantined .
  OPTIONAL { ?run stf:quarantinedMember ?m . ?m stf:reason ?reason } } }"""


@pytest.fixture
def served(tmp_path):
    node = FeedServer(page_size=2)
    for i in range(5):
        node.publish("Create", case_doc(node.base, f"c{i}", title=f"Fall {i}"))
    bad = case_doc(node.base, "bad")
    del bad["title"]
    node.publish("Create", bad)
    registry, server = served_registry(
        tmp_path, "reg", [Source("n", node.base, (node.base,))], feed_page_size=2
    )
    registry.harvest()
    yield node, registry, httpx.Client(base_url=registry.settings.base_url, timeout=10)
    server.stop()
    node.stop()
    registry.close()


def quads_of(response):
    fmt = ox.RdfFormat.from_media_type(response.headers["content-type"].split(";")[0])
    return list(ox.parse(response.content, fmt))


def test_registry_feed_follows_the_profile_and_keeps_payloads(served):
    node, _registry, http = served
    root = http.get("feed")
    assert root.status_code == 200 and "immutable" not in root.headers["cache-control"]
    assert http.get("feed", headers={"If-None-Match": root.headers["etag"]}).status_code == 304
    page0 = http.get("feed/page/0", headers={"Accept": "application/n-quads"})
    assert "immutable" in page0.headers["cache-control"]
    quads = quads_of(page0)
    assert any(q.predicate == LDES_IMMUTABLE for q in quads)
    members = [q.object for q in quads if q.predicate == TREE_MEMBER]
    assert len(members) == 2
    first = members[0]
    derived = [q.object.value for q in quads if q.subject == first and q.predicate == t.PROV_DERIVED]
    assert derived == [node.events[0]["activity"]]
    assert [q.object.value for q in quads if q.subject == first and q.predicate == DCT_SOURCE] == [
        node.stream
    ]
    payload = ox.Dataset([ox.Quad(q.subject, q.predicate, q.object) for q in quads if q.graph_name == first])
    origin = ox.Dataset([ox.Quad(tr.subject, tr.predicate, tr.object) for tr in node.events[0]["triples"]])
    assert payload == origin
    stamps = []
    parser = PageParser(RegistrySettings(data_dir="unused"))
    for k in range(3):
        response = http.get(f"feed/page/{k}", headers={"Accept": "application/ld+json"})
        page = parser.page(Fetched(str(response.url), 200, response.headers, response.content), "self")
        assert page.members  # the harvester's own limits accept the registry's JSON-LD
        stamps += [m.published for m in page.members]
    assert len(stamps) == 5 and stamps == sorted(stamps) and len(set(stamps)) == 5
    assert http.get("feed/page/9").status_code == 404


def test_state_and_reports_over_http_and_sparql(served):
    node, registry, http = served
    state = http.get("feed/state").json()
    assert sorted(c["id"] for c in state["cases"]) == sorted(e["case"] for e in node.events[:5])
    summary = http.get("reports").json()["sources"][0]
    assert summary["name"] == "n" and summary["cases"] == 5 and not summary["stale"]
    runs = http.get("reports/n").json()["runs"]
    assert runs[0]["accepted"] == 5 and runs[0]["quarantined"] == 1
    [problem] = runs[0]["problems"]
    assert problem["case"] == node.base + "case/bad" and problem["reasons"]
    assert http.get("reports/nope").status_code == 404
    rows = list(registry.store.query(REPORTS_QUERY))
    assert {(int(r["accepted"].value), int(r["quarantined"].value)) for r in rows} == {(5, 1)}
    assert any(r["reason"] is not None for r in rows)


def test_description_names_the_feed_so_another_registry_can_find_it(served):
    _node, registry, http = served
    quads = quads_of(http.get("", headers={"Accept": "application/trig"}))
    views = [q.object.value for q in quads if q.predicate == TREE_VIEW]
    assert views == [registry.settings.base_url + "feed"]
    browser = http.get("", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["location"] == registry.settings.base_url + "search"
