"""Vocabulary 1.1 (compatibility): a registry harvests 1.0 and 1.1 cases from one real node alike."""

import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from harvest_support import case_graph, served_registry

from stafett.harvester.sources import Source
from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, url_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
XSD = "http://www.w3.org/2001/XMLSchema#"
START = ox.NamedNode("http://www.w3.org/ns/dcat#startDate")
STAGE = ox.NamedNode("http://www.w3.org/ns/adms#status")
LANGUAGE = ox.NamedNode("http://purl.org/dc/terms/language")
CASE_1_0 = "vaxjo-digital-night-supervision-pilot.jsonld"  # written for 1.0: status, language, full dates
CASE_1_1 = "region-vastmark-bridge-monitoring-pcp.jsonld"  # 1.1: milestones, partial dates, no language


@pytest.fixture
def node(tmp_path):
    sock = bind()
    settings, store, token = node_bootstrap.init_node(
        tmp_path / "node", url_of(sock), {"sv": "Region Västmark"}, None, "SWE", ("sv", "en")
    )
    server = node_bootstrap.start_node(settings, store, sock)
    http = httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    yield settings.base_url, http
    http.close()
    server.stop()


def publish(http, name: str) -> str:
    doc = json.loads((EXAMPLES / name).read_text("utf-8"))
    doc.pop("id")
    for key in ("relatedCase", "scaledUpFrom", "adoptedFrom", "adoptedBy"):
        doc.pop(key, None)  # links to cases this node does not hold
    response = http.post(
        "cases", content=json.dumps(doc).encode(), headers={"Content-Type": "application/ld+json"}
    )
    assert response.status_code == 201, response.text
    return base_of(http) + "case/" + response.headers["Location"].rsplit("/", 1)[1]  # the case IRI


def base_of(http) -> str:
    return str(http.base_url)


def test_a_registry_accepts_1_0_and_1_1_cases_alike(tmp_path, node):
    base, http = node
    old, new = publish(http, CASE_1_0), publish(http, CASE_1_1)
    registry, server = served_registry(tmp_path, "se", [Source("node", base, (base,))])
    try:
        [run] = registry.harvest()
        assert run["status"] == "ok" and run["accepted"] == 2, run
        old_graph, new_graph = case_graph(registry.store, old), case_graph(registry.store, new)
        [old_start] = [q.object for q in old_graph if q.predicate == START]
        [new_start] = [q.object for q in new_graph if q.predicate == START]
        assert (old_start.value, old_start.datatype.value) == ("2019-09-01", XSD + "date")
        assert (new_start.value, new_start.datatype.value) == ("2022", XSD + "gYear")
        milestones = {
            q.object.value.rsplit("/", 1)[1]
            for q in new_graph
            if q.predicate == STAGE and q.subject.value != new
        }
        assert milestones == {"market-dialogue", "tendering", "contract-awarded", "development", "pilot"}
        derived = {q.object.value.rsplit("/", 1)[1] for q in new_graph if q.predicate == LANGUAGE}
        assert derived == {"SWE", "ENG"}  # the node derived it from the texts' tags
    finally:
        server.stop()
        registry.close()
