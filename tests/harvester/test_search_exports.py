"""A search's machine formats: Atom (read by feedparser, shaped as RFC 4287 asks), CSV, JSON-LD and
the equivalent SPARQL, over HTTP from a real registry that harvested two real loopback nodes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import feedparser
import pyoxigraph as ox
from test_search import example, found, ids, publish
from test_search import federation as federation
from test_search import registry as registry

from stafett.harvester.api.search_exports import COLUMNS, EXPORT_LIMIT, FEED_ENTRIES
from stafett.harvester.links import case_page_url

A = "{http://www.w3.org/2005/Atom}"


def every_id(client, **params) -> list[str]:
    """All matching case IRIs, page by page, through the JSON."""
    out, page = [], 1
    while True:
        answer = found(client, page=page, **params)
        out += [hit["id"] for hit in answer["results"]]
        if len(out) >= answer["total"]:
            return out
        page += 1


def atom(client, **params):
    response = client.get("/search", params={**params, "format": "atom"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert response.headers["Result-Limit"] == str(FEED_ENTRIES)
    return response


def check_rfc4287_shape(root: ET.Element) -> None:
    """The elements RFC 4287 requires of a feed and of each entry (§4.1.1, §4.1.2)."""
    assert root.tag == A + "feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(A + name)) == 1, name
    assert root.findall(A + "author") and root.find(A + "author").find(A + "name").text
    assert {link.get("rel") for link in root.findall(A + "link")} >= {"self", "alternate"}
    for entry in root.findall(A + "entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(A + name)) == 1, name
        alternates = [link for link in entry.findall(A + "link") if link.get("rel") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href")


def test_the_atom_feed_of_a_search_is_read_by_a_feed_reader_and_follows_the_next_harvest(
    federation,
    registry,
):
    reg, client = registry
    response = atom(client, sector="health-social-care", lang="sv")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    check_rfc4287_shape(ET.fromstring(response.content))
    expected = set(every_id(client, sector="health-social-care"))
    assert {entry.id for entry in feed.entries} == expected and expected
    assert int(response.headers["Result-Total"]) == len(expected)
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    vaxjo = federation["cases"]["vaxjo-digital-night-supervision-pilot"][2]
    [entry] = [entry for entry in feed.entries if entry.id == vaxjo]
    assert entry.title == "Pilot med digital nattillsyn i hemtjänsten"
    assert entry.link == case_page_url(vaxjo, reg.settings.base_url)
    assert "Växjö kommun" in [author.name for author in entry.authors]
    assert "Hälsa" in feed.feed.title or "vård" in feed.feed.title.lower(), feed.feed.title  # the label
    # A case published now is in the feed after the next harvest, as its newest entry.
    http = federation["cases"]["vaxjo-digital-night-supervision-pilot"][0]
    doc = {**example("vaxjo-digital-night-supervision-pilot"), "title": {"sv": "Nattillsyn, andra omgången"}}
    slug = publish(http, doc)
    try:
        new_iri = f"{http.base_url}case/{slug}"
        assert new_iri not in {
            entry.id for entry in feedparser.parse(atom(client, sector="health-social-care").content).entries
        }
        reg.harvest()
        after = feedparser.parse(atom(client, sector="health-social-care", lang="sv").content)
        assert after.entries[0].id == new_iri
        assert after.entries[0].title == "Nattillsyn, andra omgången"
    finally:
        assert http.delete(f"cases/{slug}").status_code == 204
        reg.harvest()


def test_csv_has_a_bom_documented_columns_codes_and_labels(federation, registry):
    reg, client = registry
    response = client.get("/search", params={"format": "csv", "lang": "fi", "country": ["SWE", "FIN"]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv; charset=utf-8")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["Result-Limit"] == str(EXPORT_LIMIT)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [row["id"] for row in rows] == every_id(client, country=["SWE", "FIN"])
    assert int(response.headers["Result-Total"]) == len(rows)
    by_id = {row["id"]: row for row in rows}
    vaxjo = by_id[federation["cases"]["vaxjo-digital-night-supervision-pilot"][2]]
    assert (vaxjo["country"], vaxjo["countryLabel"]) == ("SWE", "Ruotsi")  # code and Finnish label
    assert vaxjo["sector"] == "health-social-care" and vaxjo["sectorLabel"]
    assert vaxjo["sectorLabel"] != vaxjo["sector"]
    assert vaxjo["status"] == "scaled-up" and vaxjo["statusLabel"] not in ("", "scaled-up")
    assert vaxjo["title"] == "Pilot med digital nattillsyn i hemtjänsten" and vaxjo["titleLanguage"] == "sv"
    assert vaxjo["startYear"] == "2019" and vaxjo["buyers"] == "Växjö kommun"
    assert vaxjo["page"] == case_page_url(vaxjo["id"], reg.settings.base_url)
    assert vaxjo["modified"] and vaxjo["source"] == "se"
    # Accept chooses the format when `format` is absent.
    negotiated = client.get("/search", params={"country": "SWE"}, headers={"Accept": "text/csv"})
    assert negotiated.headers["content-type"].startswith("text/csv")


def test_jsonld_is_the_stored_graphs_under_the_inline_context(federation, registry):
    reg, client = registry
    response = client.get("/search", params={"format": "jsonld", "country": "NOR"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    assert isinstance(document["@context"], dict)  # inlined: nothing for a client to fetch
    assert '"@context": "' not in json.dumps(document)  # no context anywhere names a URL to fetch
    first = document["@graph"][0]
    assert set(first) == {"id", "@graph"} and first["@graph"][0]["id"] == first["id"]  # graph = case
    assert first["@graph"][0]["type"] == "Case" and isinstance(first["@graph"][0]["title"], dict)
    assert "country" in first["@graph"][0] and first["@graph"][0]["country"] == "NOR"  # codes, as written
    parsed = set(ox.parse(response.content, format=ox.RdfFormat.JSON_LD))
    cases = every_id(client, country="NOR")
    stored = {q for case in cases for q in reg.store.quads_for_pattern(None, None, None, ox.NamedNode(case))}
    assert parsed == stored and stored
    assert int(response.headers["Result-Total"]) == len(cases)


SPARQL_SEARCHES = [
    {"country": "SWE"},
    {"country": ["NOR", "DNK"], "sector": "transport"},
    {"sector": "health-social-care", "openForAdoption": "true"},
    {"startYear": ["2021", "2022"]},
    {"source": "se", "innovationApproach": "pcp"},
    {"language": "FIN"},
    {"jointProcurement": "false", "country": "NOR"},
    {"country": "SWE", "publisher": "not an IRI"},
    # the facets issue 13 added later: topics (the publisher's and suggested), procedure, programme
    {"hasLessons": "true", "country": "NOR"},
    {"hasLessons": "false", "country": "SWE"},
    {"procedureType": ["comp-dial", "innovation"]},
    {"fundingProgramme": "HORIZONEU"},
    {"topic": ["home-care", "welfare-technology"]},
    {"signature": "unsigned", "country": "SWE"},
    {"signature": ["verified", "invalid"], "country": "NOR"},
]


def test_the_equivalent_sparql_finds_the_same_cases_on_the_registrys_endpoint(federation, registry):
    _, client = registry
    for params in SPARQL_SEARCHES:
        answer = found(client, **params)
        assert answer["total"] <= 20, params  # one page: the same set, whatever the order
        rows = client.get(
            "/sparql",
            params={"query": answer["sparql"]},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert rows.status_code == 200, (params, rows.text, answer["sparql"])
        in_sparql = {b["case"]["value"] for b in rows.json()["results"]["bindings"]}
        assert in_sparql == ids(answer), (params, answer["sparql"])
    assert found(client, country="SWE")["total"] > 0
    # Words become CONTAINS filters: what they find the index finds too (it also stems and folds).
    answer = found(client, q="hemtjänst", lang="sv")
    assert "VALUES ?word_1" in answer["sparql"] and '"hemtj\\u00e4nst"' not in answer["sparql"]
    rows = client.get(
        "/sparql", params={"query": answer["sparql"]}, headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    assert rows and {b["case"]["value"] for b in rows} <= ids(answer)


def test_a_format_it_cannot_make_is_refused_by_name(registry):
    _, client = registry
    response = client.get("/search", params={"format": "xml", "lang": "sv"})
    assert response.status_code == 400
    [finding] = response.json()["findings"]
    assert finding["field"] == "format" and "atom" in finding["message"] and "csv" in finding["message"]
