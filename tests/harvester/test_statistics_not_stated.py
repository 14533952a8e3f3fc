"""The statistics page never drops a case that leaves a fact out: a real node publishes two example
cases, one without sector, innovation approach, status or dates (the shapes accept that, with
warnings), a real registry harvests them, and /statistics counts the bare one as "not stated" in
every figure it would otherwise be missing from, as /sparql answers the same saved queries."""

from __future__ import annotations

import json
from pathlib import Path

import html5lib
import httpx
import pytest

from stafett import texts
from stafett.harvester.app import create_app
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, serve_in_thread, url_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
LEFT_OUT = ("sector", "innovationApproach", "status", "milestone", "startDate", "endDate")


@pytest.fixture(scope="module")
def registry_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("statistics")
    node_sock = bind()
    settings, store, token = node_bootstrap.init_node(
        tmp / "node", url_of(node_sock), {"sv": "Växjö kommun"}, None, "SWE", ("sv", "en")
    )
    node = node_bootstrap.start_node(settings, store, node_sock)
    with httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}) as http:
        for name, bare in (
            ("vaxjo-school-meal-food-waste", False),
            ("vaxjo-digital-night-supervision-pilot", True),
        ):
            doc = json.loads((EXAMPLES / f"{name}.jsonld").read_text("utf-8"))
            for key in (
                "id",
                "relatedCase",
                "scaledUpFrom",
                "adoptedFrom",
                "adoptedBy",
                *(LEFT_OUT if bare else ()),
            ):
                doc.pop(key, None)
            response = http.post(
                "cases", content=json.dumps(doc), headers={"Content-Type": "application/ld+json"}
            )
            assert response.status_code == 201, response.text
    sock = bind()
    registry = Registry(
        RegistrySettings(data_dir=tmp / "registry", base_url=url_of(sock), allow_loopback=True),
        [Source("se", settings.base_url, (settings.base_url,))],
    )
    reports = registry.harvest()
    assert all(run["status"] == "ok" for run in reports), reports
    server = serve_in_thread(create_app(registry=registry), sock)
    yield registry.settings.base_url
    server.stop()
    registry.close()
    node.stop()
    store.close()


def test_a_case_without_sector_approach_or_dates_is_counted_as_not_stated(registry_url):
    with httpx.Client(base_url=registry_url, timeout=60) as client:
        response = client.get("/statistics", params={"lang": "nb"}, headers={"Accept": "text/html"})
        assert response.status_code == 200
        tree = html5lib.parse(response.text, namespaceHTMLElements=False)
        not_stated = texts.word("statistics", "not_stated", "nb")
        sections = {s.get("id"): s for s in tree.iter("section")}
        for key in ("sector", "approach", "year"):
            rows = [
                ["".join(c.itertext()).strip() for c in tr] for tr in sections[f"figure-{key}"].iter("tr")
            ]
            assert [not_stated, "1"] in rows, (key, rows)
        country_rows = [
            ["".join(c.itertext()).strip() for c in tr] for tr in sections["figure-country"].iter("tr")
        ]
        assert ["Sverige", "2"] in country_rows  # both cases, one country
        query = (Path(__file__).resolve().parents[2] / "examples/queries/24-cases-per-sector.rq").read_text(
            "utf-8"
        )
        answer = client.post(
            "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        unbound = [row for row in answer.json()["results"]["bindings"] if "sector" not in row]
        assert [row["cases"]["value"] for row in unbound] == ["1"]  # the same row, from /sparql
