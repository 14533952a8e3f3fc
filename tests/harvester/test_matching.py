"""Matchmaking (issue 15) end to end: real loopback nodes publish planned needs and open offers of
different organisations, a real registry harvests them, and its `/matches` answers (JSON, Atom,
pages) and its SPARQL matches graph are checked. Expected words come from
stafett/interface/matching.json and the vocabulary's SKOS files, not from the matching code."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from harvest_support import served_registry

from stafett import texts, vocabulary
from stafett.harvester.app import create_app
from stafett.harvester.matching import graph
from stafett.harvester.matching.engine import Matcher
from stafett.harvester.sources import Source
from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, serve_in_thread, url_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
ATOM = "{http://www.w3.org/2005/Atom}"
BROWSER = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
TODAY = datetime.now(UTC).date()
MATCHES_OF = """
PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?seeker ?candidate ?score WHERE {
  GRAPH ?g { ?m a stf:Match ; stf:matchFor ?seeker ; stf:matchedCase ?candidate ; stf:matchScore ?score }
}
"""


def skos_label(iri: str, lang: str) -> str:
    found = {
        q.object.language: q.object.value
        for q in (*vocabulary.concept_quads(), *vocabulary.reference_quads())
        if q.subject.value == iri and q.predicate == PREF_LABEL
    }
    return found.get(lang) or found["en"]


def example(name: str, **changes) -> dict:
    doc = json.loads((EXAMPLES / f"{name}.jsonld").read_text("utf-8"))
    doc.pop("id")
    for key in ("relatedCase", "scaledUpFrom", "adoptedFrom", "adoptedBy"):
        doc.pop(key, None)
    return {**doc, **changes}


def start_node(folder: Path, name: str, country: str):
    sock = bind()
    settings, store, token = node_bootstrap.init_node(
        folder, url_of(sock), {"en": name}, None, country, ("en",)
    )
    server = node_bootstrap.start_node(settings, store, sock)
    http = httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    return server, http


def publish(http: httpx.Client, doc: dict) -> str:
    response = http.post(
        "cases", content=json.dumps(doc).encode(), headers={"Content-Type": "application/ld+json"}
    )
    assert response.status_code == 201, response.text
    return f"{http.base_url}case/{response.headers['Location'].rsplit('/', 1)[1]}"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Three organisations on three nodes, a registry harvesting them, served on loopback."""
    tmp = tmp_path_factory.mktemp("matching")
    nodes = {
        code: start_node(tmp / code, name, country)
        for code, name, country in (
            ("se", "Växjö kommun", "SWE"),
            ("no", "Vestlia kommune", "NOR"),
            ("dk", "Nørreby Kommune", "DNK"),
        )
    }
    sources = [Source(code, str(http.base_url), (str(http.base_url),)) for code, (_, http) in nodes.items()]
    registry, feed_server = served_registry(tmp, "registry", sources)
    feed_server.stop()
    sock = bind()
    server = serve_in_thread(create_app(registry=registry), sock)
    client = httpx.Client(base_url=url_of(sock), timeout=30)
    cases = {
        "vaxjo": publish(nodes["se"][1], example("vaxjo-planned-medicine-dispensers")),
        "vestlia": publish(nodes["no"][1], example("vestlia-planlagt-medisindispenser")),
    }
    assert all(run["status"] == "ok" for run in registry.harvest())
    yield {"registry": registry, "client": client, "nodes": nodes, "cases": cases}
    client.close()
    server.stop()
    registry.close()
    for node_server, http in nodes.values():
        http.close()
        node_server.stop()


def matches(client: httpx.Client, iri: str, lang: str = "en") -> list[dict]:
    response = client.get("/matches", params={"for": iri, "format": "json", "lang": lang})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()["matches"]


def test_two_planned_needs_across_borders_match_both_ways_with_reasons_in_words(world):
    client, cases = world["client"], world["cases"]
    mine = matches(client, cases["vaxjo"])
    assert [m["id"] for m in mine] == [cases["vestlia"]], (cases, mine)
    match = mine[0]
    assert 0.8 < match["score"] <= 1.0
    group = texts.word("matching", "reason-cpv-group", "en").format(
        code="3319", label=skos_label("http://data.europa.eu/cpv/cpv/33190000", "en")
    )
    assert group in match["reasons"]
    assert (
        texts.word("matching", "reason-time", "en").format(months=2) in match["reasons"]
    )  # 2027-09 / 2027-11
    assert {"kind": "cpv-group", "values": ["3319"]} in match["codes"]
    swedish = matches(client, cases["vaxjo"], "sv")[0]["reasons"]
    assert (
        texts.word("matching", "reason-cpv-group", "sv").format(
            code="3319", label=skos_label("http://data.europa.eu/cpv/cpv/33190000", "sv")
        )
        in swedish
    )
    topic = skos_label(vocabulary.concept_iri("topic", "medication-management"), "sv")
    assert any(topic in reason for reason in swedish), swedish
    # the other side sees the same match (its alert)
    assert cases["vaxjo"] in [m["id"] for m in matches(client, cases["vestlia"])]


def test_a_new_need_is_matched_incrementally_and_appears_in_both_feeds(world):
    registry, client, cases, nodes = world["registry"], world["client"], world["cases"], world["nodes"]
    feed_before = ET.fromstring(
        client.get("/matches", params={"for": cases["vaxjo"], "format": "atom"}).content
    )
    first = {
        e.find(f"{ATOM}id").text: e.find(f"{ATOM}updated").text for e in feed_before.iter(f"{ATOM}entry")
    }
    assert len(first) == 1
    profiles_before = dict(registry.matcher.profiles)
    cases["norreby"] = publish(nodes["dk"][1], example("norreby-planlagt-medicindispensere-plejecentre"))
    assert all(run["status"] == "ok" for run in registry.harvest())
    # only the new case was read back: every other profile is the very object it was
    assert all(registry.matcher.profiles[c] is p for c, p in profiles_before.items())
    assert {m["id"] for m in matches(client, cases["vaxjo"])} == {cases["vestlia"], cases["norreby"]}
    assert {m["id"] for m in matches(client, cases["norreby"])} == {cases["vaxjo"], cases["vestlia"]}
    feed = ET.fromstring(client.get("/matches", params={"for": cases["vaxjo"], "format": "atom"}).content)
    entries = {e.find(f"{ATOM}id").text: e.find(f"{ATOM}updated").text for e in feed.iter(f"{ATOM}entry")}
    assert len(entries) == 2 and {k: entries[k] for k in first} == first  # the old entry is unchanged
    # the same matches as a SPARQL graph, each a resource with its score
    rows = registry.store.query(
        MATCHES_OF, substitutions={ox.Variable("seeker"): ox.NamedNode(cases["vaxjo"])}
    )
    assert {row["candidate"].value for row in rows} == {cases["vestlia"], cases["norreby"]}


def test_an_organisation_has_a_page_and_a_feed_of_its_matches(world):
    client, cases = world["client"], world["cases"]
    publisher_iri = registry_publisher(world, cases["vestlia"])
    answer = matches(client, publisher_iri)
    assert {m["with"] for m in answer} == {cases["vestlia"]}
    assert {m["id"] for m in answer} >= {cases["vaxjo"]}
    page = client.get("/matches", params={"for": publisher_iri, "lang": "nn"}, headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert texts.word("matching", "page-intro-organisation", "nn") in page.text
    assert "Vestlia kommune" in page.text
    feed = client.get("/matches", params={"for": publisher_iri, "format": "atom"})
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert len(list(ET.fromstring(feed.content).iter(f"{ATOM}entry"))) == len(answer)


def registry_publisher(world, case: str) -> str:
    rows = world["registry"].store.query(
        "SELECT ?c ?p WHERE { GRAPH ?c { ?c <http://purl.org/dc/terms/publisher> ?p } }",
        substitutions={ox.Variable("c"): ox.NamedNode(case)},
    )
    return next(iter(rows))["p"].value


def test_the_case_page_says_who_else_needs_this(world):
    client, cases = world["client"], world["cases"]
    for lang in ("sv", "fi", "is"):
        page = client.get("/cases", params={"id": cases["vaxjo"], "lang": lang}, headers={"Accept": BROWSER})
        assert page.status_code == 200
        assert texts.word("matching", "panel-title", lang) in page.text
        assert (
            texts.word("matching", "estimated-value", lang) in page.text
            and "4\u00a0000\u00a0000" in page.text
        )
        assert "2027-09" in page.text  # the expected tender date
        panel = page.text[page.text.index('id="s-matches"') :].split("</section>")[0]
        assert f"/cases?id={quote(cases['vestlia'], safe='')}" in panel  # a link to the other need's page
        assert texts.word("matching", "reason-cpv-group", lang).split("{code}")[0] in panel, panel[:3000]


def test_an_offer_that_expired_yesterday_is_no_open_offer(world):
    registry, client, cases, nodes = world["registry"], world["client"], world["cases"], world["nodes"]
    yesterday, tomorrow = (TODAY - timedelta(days=1)).isoformat(), (TODAY + timedelta(days=1)).isoformat()
    base = example("norreby-digital-medicindispenser", openForAdoption=True)
    expired = publish(nodes["dk"][1], {**base, "openForAdoptionUntil": yesterday})
    live = publish(nodes["dk"][1], {**base, "openForAdoptionUntil": tomorrow})
    assert all(run["status"] == "ok" for run in registry.harvest())
    found = {m["id"]: m for m in matches(client, cases["vaxjo"])}
    offered = texts.word("matching", "reason-offer-adoption-until", "en").format(date=tomorrow)
    assert found[live]["kind"] == "offer" and offered in found[live]["reasons"]
    assert expired not in found or found[expired]["kind"] == "past"  # a past case to learn from, no offer
    assert not any("adoption" in " ".join(m["reasons"]) for m in [found.get(expired, {"reasons": []})])
    # the search's facet counts the live offer and not the expired one
    answer = client.get("/search", params={"format": "json", "openForAdoption": "true"}).json()
    ids = {hit["id"] for hit in answer["results"]}
    assert live in ids and expired not in ids
    counts = {b["value"]: b["count"] for b in answer["facets"]["openForAdoption"]}
    assert counts.get("true") == len(ids)
    # the case pages: the live offer says until when, the ended one is no longer open
    until = texts.word("matching", "until-date", "en")
    live_page = client.get("/cases", params={"id": live, "lang": "en"}, headers={"Accept": BROWSER}).text
    ended_page = client.get("/cases", params={"id": expired, "lang": "en"}, headers={"Accept": BROWSER}).text
    assert until.format(date=tomorrow) in live_page
    assert until.format(date=yesterday) not in ended_page
    # the search's "as SPARQL" says the same
    from stafett.harvester.api.search_sparql import equivalent_sparql
    from stafett.harvester.search.query import Request as SearchRequest

    sparql = equivalent_sparql(SearchRequest(filters={"openForAdoption": ("true",)}))
    rows = registry.store.query(sparql)
    assert {row["case"].value for row in rows} == ids


def test_a_stored_match_on_an_offer_disappears_the_day_after_its_end(world, tmp_path):
    """Expiry is read at read time: the same stored graph, read a day later, no longer shows it."""
    registry, cases = world["registry"], world["cases"]
    day = TODAY
    store = ox.Store()
    store.extend(registry.store.quads_for_pattern(None, None, None))
    matcher = Matcher(store, registry.prov_graph, registry.settings.base_url, today=lambda: day)
    matcher.load()
    where = graph.matches_graph(registry.settings.base_url)
    live = {m.candidate for m in graph.matches_of(store, where, cases["vaxjo"], day)}
    offers = {m.candidate for m in graph.matches_of(store, where, cases["vaxjo"], day) if m.kind == "offer"}
    assert offers, "an offer with an end after the day should be listed"
    later = {m.candidate for m in graph.matches_of(store, where, cases["vaxjo"], day + timedelta(days=2))}
    assert later == live - offers


def test_a_deleted_need_leaves_the_matches(world):
    registry, client, cases, nodes = world["registry"], world["client"], world["cases"], world["nodes"]
    slug = cases["norreby"].rsplit("/", 1)[1]
    assert nodes["dk"][1].delete(f"cases/{slug}").status_code == 204
    assert all(run["status"] == "ok" for run in registry.harvest())
    assert cases["norreby"] not in {m["id"] for m in matches(client, cases["vaxjo"])}
    assert client.get("/matches", params={"for": cases["norreby"], "format": "json"}).status_code == 404


def test_bad_and_unknown_subjects_are_refused_with_a_problem(world):
    client = world["client"]
    for params, status in (
        ({"format": "json"}, 400),
        ({"for": "not an iri", "format": "json"}, 400),
        ({"for": "https://example.org/nothing", "format": "json"}, 404),
    ):
        response = client.get("/matches", params=params)
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")
