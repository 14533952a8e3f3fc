"""Harvesting real Stafett nodes (node app + store on loopback), through two registry levels."""

import asyncio
import json

import httpx
import pyoxigraph as ox
import pytest
from harvest_support import case_graph, graph_names, served_registry

from stafett.harvester.fetch import Fetcher
from stafett.harvester.parse import PageParser
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, url_of

CASE = {
    "@context": "https://w3id.org/stafett/context/v1",
    "type": "Case",
    "title": {"sv": "Fossilfria transporter", "en": "Fossil-free transport"},
    "summary": {"sv": "Kommunen provade elbussar."},
    "need": {"sv": "Utsläppen var för höga."},
    "status": "pilot",
    "innovationApproach": ["pcp"],
    "sector": ["transport"],
    "country": "SWE",
    "language": ["SWE"],
    "cpv": ["34144900"],
    "buyer": [
        {"name": {"sv": "Växjö kommun"}, "orgNumber": "212000-0688", "country": "SWE", "legalType": "la"}
    ],
    "procedure": {"procedureType": "innovation", "jointProcurement": False},
    "startDate": "2021-03-01",
}
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")


@pytest.fixture
def node(tmp_path):
    sock = bind()
    settings, store, token = node_bootstrap.init_node(
        tmp_path / "node",
        url_of(sock),
        {"sv": "Växjö kommun"},
        "212000-0688",
        "SWE",
        ("sv", "en"),
        feed_page_size=2,
    )
    server = node_bootstrap.start_node(settings, store, sock)
    http = httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    yield settings.base_url, http
    http.close()
    server.stop()


def publish(http, title):
    body = json.dumps({**CASE, "title": {"sv": title}}).encode()
    response = http.post("cases", content=body, headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def test_real_node_through_national_and_nordic_registries(tmp_path, node):
    base, http = node
    slugs = [publish(http, f"Fall {i}") for i in range(3)]
    national, national_server = served_registry(tmp_path, "se", [Source("vaxjo", base, (base,))])
    nordic, nordic_server = served_registry(
        tmp_path, "nordic", [Source("se", national.settings.base_url, aggregator=True, relay=(base,))]
    )
    try:
        [first] = national.harvest()
        assert first["status"] == "ok" and first["accepted"] == 3, first
        [relayed] = nordic.harvest()
        assert relayed["accepted"] == 3, relayed
        case0 = f"{base}case/{slugs[0]}"
        assert case0 in graph_names(nordic.store)
        assert {q.object.value for q in case_graph(nordic.store, case0) if q.predicate == TITLE} == {"Fall 0"}
        # --full reconciles against the node's /feed/state: same cases, same hashes.
        [full] = national.harvest(full=True)
        assert full["drift"] == {"missing_here": [], "not_at_source": [], "hash_differs": []}, full["drift"]
        assert http.delete(f"cases/{slugs[0]}").status_code == 204
        national.harvest()
        [after] = nordic.harvest()
        assert after["deleted"] == 1
        assert case0 not in graph_names(nordic.store)
        assert f"{base}case/{slugs[1]}" in graph_names(nordic.store)
    finally:
        for server in (nordic_server, national_server):
            server.stop()
        national.close()
        nordic.close()


def test_node_feed_pages_parse_alike_in_every_format(node):
    base, http = node
    for i in range(3):
        publish(http, f"Fall {i}")
    settings = RegistrySettings(data_dir="unused", allow_loopback=True)
    parser = PageParser(settings)
    counts = {}

    async def read_all():
        async with Fetcher(settings) as fetcher:
            for media in ("application/trig", "application/n-quads", "application/ld+json"):
                fetched = await fetcher.get(base + "feed/0", source="vaxjo", accept=media)
                assert fetched.media_type == media
                page = parser.page(fetched, "vaxjo")
                counts[media] = sorted((m.case, len(m.payload)) for m in page.members)

    asyncio.run(read_all())
    assert len(counts["application/trig"]) == 2
    assert counts["application/trig"] == counts["application/n-quads"] == counts["application/ld+json"]
