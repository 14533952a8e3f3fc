"""Registry search: two real loopback nodes publish the example cases, a real registry harvests them
and answers `GET /search` over HTTP; the answers are checked against SPARQL on the same store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from harvest_support import served_registry

from stafett.harvester.app import create_app
from stafett.harvester.registry import Registry
from stafett.harvester.search.index import MARKER_FILE
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, serve_in_thread, url_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
# Which node publishes which example (by file-name prefix): two publishers, so `source` has two values.
NODES = {
    "se": ("vaxjo", "region-vastmark", "harjula"),
    "no": ("fjordvik", "vestlia", "norreby", "aastrup", "nordurvik"),
}
# A word in one language, in another form than the case writes it -> the example(s) it must find.
WORDS = {
    "sv": ("hemtjänst", {"vaxjo-digital-night-supervision-pilot"}),  # the case says "hemtjänsten"
    "nb": ("lekkasjene", {"fjordvik-lekkasjedeteksjon-vannledning"}),  # the case says "lekkasje(r)"
    "nn": ("byggjeplassen", {"vestlia-utsleppsfri-byggeplass"}),  # the case says "byggjeplass"
    "da": ("hjemmepleje", {"norreby-digital-medicindispenser"}),  # the case says "hjemmeplejen"
    "fi": ("aivoinfarktista", {"harjula-etakuntoutus-pcp"}),  # the case says "aivoinfarktin"
    "en": ("rehabilitate", {"harjula-etakuntoutus-pcp"}),  # the case says "rehabilitation"
    # (the Snowball stemmers do not join every form: "medisindispenseren" and "medisindispenser",
    # Finnish consonant gradation "ruokahävikki"/"ruokahävikin": the compound-part, lemma and
    # infix fields join them, see COMPOUND_WORDS below)
    "is": ("höfninni", {"nordurvik-hledslustodvar-hafnar", "nordurvik-landtenging-hafnar"}),
}
COUNTRY_COUNTS = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?country (COUNT(DISTINCT ?case) AS ?n)
WHERE { GRAPH ?case { ?case a stf:Case ; dct:spatial ?country } }
GROUP BY ?country
"""
TRANSPORT_IN_SWE_OR_NOR = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT (COUNT(DISTINCT ?case) AS ?n)
WHERE {
  GRAPH ?case { ?case a stf:Case ; dct:spatial ?country ; stf:sector ?sector }
  VALUES ?country { <http://publications.europa.eu/resource/authority/country/SWE>
                    <http://publications.europa.eu/resource/authority/country/NOR> }
  VALUES ?sector { <https://w3id.org/stafett/concept/sector/transport>
                   <https://w3id.org/stafett/concept/sector/health-social-care> }
}
"""


def start_node(folder: Path, name: str):
    sock = bind()
    settings, store, token = node_bootstrap.init_node(
        folder, url_of(sock), {"sv": name}, None, "SWE", ("sv", "en")
    )
    server = node_bootstrap.start_node(settings, store, sock)
    http = httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    return server, http


def example(name: str) -> dict:
    doc = json.loads((EXAMPLES / f"{name}.jsonld").read_text("utf-8"))
    doc.pop("id")
    for key in ("relatedCase", "scaledUpFrom", "adoptedFrom", "adoptedBy"):
        doc.pop(key, None)  # links to cases the node does not hold
    return doc


def publish(http: httpx.Client, doc: dict) -> str:
    response = http.post(
        "cases", content=json.dumps(doc).encode(), headers={"Content-Type": "application/ld+json"}
    )
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def replace(http: httpx.Client, slug: str, doc: dict) -> httpx.Response:
    etag = http.get(f"cases/{slug}", headers={"Accept": "application/ld+json"}).headers["ETag"]
    headers = {"Content-Type": "application/ld+json", "If-Match": etag}
    return http.put(f"cases/{slug}", content=json.dumps(doc).encode(), headers=headers)


@pytest.fixture(scope="module")
def federation(tmp_path_factory):
    """{"cases": {example name: (node http, slug, case IRI)}, "sources": [...], "tmp": folder}."""
    tmp = tmp_path_factory.mktemp("search")
    servers, cases, sources = [], {}, []
    for node, prefixes in NODES.items():
        server, http = start_node(tmp / node, node)
        servers.append((server, http))
        sources.append(Source(node, str(http.base_url), (str(http.base_url),)))
        for path in sorted(EXAMPLES.glob("*.jsonld")):
            if path.stem.startswith(prefixes):
                slug = publish(http, example(path.stem))
                cases[path.stem] = (http, slug, f"{http.base_url}case/{slug}")
    yield {"cases": cases, "sources": sources, "tmp": tmp}
    for server, http in servers:
        http.close()
        server.stop()


@pytest.fixture
def registry(federation, tmp_path):
    registry, feed_server = served_registry(tmp_path, "registry", federation["sources"])
    feed_server.stop()  # the search is served by the registry's own app below
    assert all(run["status"] == "ok" for run in registry.harvest()), registry.harvest()
    sock = bind()
    server = serve_in_thread(create_app(registry=registry), sock)
    client = httpx.Client(base_url=url_of(sock), timeout=30, headers={"Accept": "application/json"})
    yield registry, client
    client.close()
    server.stop()
    registry.close()


def found(client: httpx.Client, **params) -> dict:
    response = client.get("/search", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def ids(answer: dict) -> set[str]:
    return {hit["id"] for hit in answer["results"]}


def test_a_word_finds_its_case_in_every_language(federation, registry):
    _, client = registry
    cases = federation["cases"]
    everything = found(client)
    assert everything["total"] == len(cases) == 26
    for lang, (word, expected) in WORDS.items():
        answer = found(client, q=word, lang=lang)
        assert {cases[name][2] for name in expected} <= ids(answer), (lang, word, answer["results"])
        assert answer["total"] < len(cases), (lang, word)  # the word does not match everything
        assert all(hit["snippet"] for hit in answer["results"]), answer["results"]
    # Nordic folding: the Swedish spelling meets the Danish "løsning".
    assert cases["norreby-digital-medicindispenser"][2] in ids(found(client, q="lösning"))
    hits = found(client, q="xyzzyplugh")
    assert hits["total"] == 0 and hits["results"] == []


# Forms no stemmer joins, found through the compound-part, lemma and infix fields (docs/search.md,
# "Matching words"): the case writes none of these words as they are asked.
COMPOUND_WORDS = (
    ("is", "stöð", "nordurvik-hledslustodvar-hafnar"),  # "hleðslustöðvar"
    ("is", "skóli", "nordurvik-loftgaedi-i-skolum"),  # "skóla", "skólar", "skólum"
    ("nn", "plass", "vestlia-utsleppsfri-byggeplass"),  # "byggjeplass", "byggeplass"
    ("nb", "medisindispenseren", "fjordvik-digital-medisindispenser"),  # "medisindispenser"
)


def test_compound_parts_and_lemmas_find_their_cases_over_http(federation, registry):
    _, client = registry
    cases = federation["cases"]
    for lang, word, name in COMPOUND_WORDS:
        answer = found(client, q=word, lang=lang)
        assert cases[name][2] in ids(answer), (lang, word, answer["results"])
        assert answer["total"] < len(cases), (lang, word)


def test_facets_filter_and_count_as_sparql_does(federation, registry):
    reg, client = registry
    answer = found(client, lang="sv")
    counts = {b["value"]: b["count"] for b in answer["facets"]["country"]}
    in_sparql = {
        row["country"].value.rsplit("/", 1)[1]: int(row["n"].value) for row in reg.store.query(COUNTRY_COUNTS)
    }
    assert counts == in_sparql and sum(counts.values()) == 26
    assert {b["value"]: b["label"] for b in answer["facets"]["country"]}["FIN"] == "Finland"
    assert {b["value"]: b["label"] for b in found(client, lang="fi")["facets"]["country"]}["SWE"] == "Ruotsi"
    assert {b["value"] for b in answer["facets"]["source"]} == {"se", "no"}
    # Repeated values OR-ed inside a facet, facets AND-ed.
    chosen = found(client, country=["SWE", "NOR"], sector=["transport", "health-social-care"])
    [[row]] = [[r for r in reg.store.query(TRANSPORT_IN_SWE_OR_NOR)]]
    assert chosen["total"] == int(row["n"].value) > 0
    assert {hit["country"] for hit in chosen["results"]} <= {"SWE", "NOR"}
    # Multi-select: the country counts ignore the country filter (they show what another tick adds).
    other_countries = {b["value"] for b in chosen["facets"]["country"]}
    assert other_countries - {"SWE", "NOR"}, chosen["facets"]["country"]
    sectors = {b["value"]: b["count"] for b in chosen["facets"]["sector"]}
    swe_nor = found(client, country=["SWE", "NOR"])
    assert sectors == {b["value"]: b["count"] for b in swe_nor["facets"]["sector"]}


def test_an_update_reindexes_and_a_delete_removes(federation, registry):
    reg, client = registry
    http, slug, iri = federation["cases"]["vaxjo-school-meal-food-waste"]
    doc = {
        **example("vaxjo-school-meal-food-waste"),
        "title": {"sv": "Skolmåltider och kompostering", "en": "Compost"},
    }
    try:
        response = replace(http, slug, doc)
        assert response.status_code in (200, 204), response.text
        reg.harvest()
        assert iri in ids(found(client, q="kompostering"))
        assert iri not in ids(found(client, q="kompostering", country="NOR"))
    finally:
        assert replace(http, slug, example("vaxjo-school-meal-food-waste")).status_code in (200, 204)
    gone_http, gone_slug, gone = federation["cases"]["vestlia-utsleppsfri-byggeplass"]
    assert gone_http.delete(f"cases/{gone_slug}").status_code == 204
    try:
        reg.harvest()
        assert gone not in ids(found(client, q="byggjeplass"))
        assert found(client)["total"] == 25
    finally:
        again = publish(gone_http, example("vestlia-utsleppsfri-byggeplass"))  # for the tests after this one
        federation["cases"]["vestlia-utsleppsfri-byggeplass"] = (
            gone_http,
            again,
            f"{gone_http.base_url}case/{again}",
        )


def test_reindex_after_losing_the_index_gives_the_same_answers(federation, tmp_path):
    data_dir = tmp_path / "registry"
    registry = Registry(RegistrySettings(data_dir=data_dir, allow_loopback=True), federation["sources"])
    registry.harvest()
    before = snapshot_answers(registry)
    registry.close()
    shutil.rmtree(data_dir / "search")
    command = [sys.executable, "-m", "stafett", "registry", "reindex", "--data-dir", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "search index rebuilt: 26 cases" in done.stdout, done.stderr
    registry = Registry(RegistrySettings(data_dir=data_dir, allow_loopback=True), federation["sources"])
    try:
        assert registry.search.in_step()
        assert snapshot_answers(registry) == before
    finally:
        registry.close()


def test_markers_that_disagree_on_start_rebuild_the_index(federation, tmp_path):
    data_dir = tmp_path / "registry"
    registry = Registry(RegistrySettings(data_dir=data_dir, allow_loopback=True), federation["sources"])
    registry.harvest()
    before = snapshot_answers(registry)
    # As after a crash between the store's commit and the index's: the index lost its documents
    # and does not carry the store's marker.
    registry.search.writer.delete_all_documents()
    registry.search.writer.commit()
    (data_dir / "search" / MARKER_FILE).write_text(json.dumps({"marker": "an older one"}), "utf-8")
    registry.close()
    registry = Registry(RegistrySettings(data_dir=data_dir, allow_loopback=True), federation["sources"])
    try:
        assert registry.search.in_step()
        assert snapshot_answers(registry) == before and before[-1]["total"] == 26
    finally:
        registry.close()


def snapshot_answers(registry: Registry) -> list:
    """The searches the HTTP route makes, on an unserved registry: totals, every hit, the counts."""
    from stafett.harvester.search.query import Request, search

    asked = [Request(q=word, lang=lang) for lang, (word, _) in WORDS.items()] + [Request(), Request(page=2)]
    out = []
    for request in asked:
        answer = search(registry.search, request)
        hits = sorted(hit["id"] for hit in answer["results"])
        out.append({"total": answer["total"], "ids": hits, "facets": answer["facets"]})
    everything = out[-2]["ids"] + out.pop()["ids"]  # the order of equal scores may differ: compare sets
    out[-1]["ids"] = sorted(everything)
    return out


def test_bad_parameters_are_problems_that_name_them_in_the_readers_language(registry):
    _, client = registry
    response = client.get("/search", params={"sort": "price", "colour": "red", "page": "0", "lang": "sv"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    findings = {f["field"]: f["message"] for f in response.json()["findings"]}
    assert set(findings) == {"sort", "colour", "page"}
    assert "Använd något av: relevance, newest, startYear" in findings["sort"]
    assert "Okänd parameter 'colour'" in findings["colour"]
    finnish = client.get("/search", params={"sort": "x"}, headers={"Accept-Language": "fi"}).json()
    assert finnish["findings"][0]["message"].startswith("Parametri 'sort' ei voi olla 'x'")


def test_query_syntax_in_the_words_is_only_characters(registry):
    _, client = registry
    for q in (
        "a:b",
        "title_sv:bro",
        "(bro",
        "bro\\",
        '"bro',
        "*",
        "+-",
        "id:*",
        "\u0000x",
        "ö" * 60,
        "[1 TO 3]",
    ):
        answer = found(client, q=q)  # 200, never a 400 or 500 for what a person types
        has_words = any(c.isalnum() for c in q)  # no word at all ("*", "+-") is an empty query
        assert answer["total"] < 26 if has_words else answer["total"] == 26, (q, answer["total"])
    assert found(client, country=["SWE\u0000", "x" * 300, ""])["total"] == 0


def test_a_client_accepting_only_html_gets_the_page_and_format_json_the_json(registry):
    _, client = registry
    response = client.get("/search", params={"q": "bro"}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert found(client, q="bro", format="json")["total"] >= 0
    refused = client.get("/search", headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "application/json" in refused.json()["detail"]
    assert (
        client.get("/search", params={"format": "json"}, headers={"Accept": "text/html"}).status_code == 200
    )


DATES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?case ?start ?modified
WHERE { GRAPH ?case { ?case dct:modified ?modified OPTIONAL { ?case dcat:startDate ?start } } }
"""


def test_sorted_by_start_year_and_by_newest_as_the_store_says(registry):
    reg, client = registry
    rows = {row["case"].value: row for row in reg.store.query(DATES)}
    by_start = [hit["id"] for hit in found(client, sort="startYear")["results"]]
    years = [int(rows[case]["start"].value[:4]) if rows[case]["start"] else 0 for case in by_start]
    assert years == sorted(years, reverse=True) and len(set(years)) > 3, years
    by_modified = [hit["id"] for hit in found(client, sort="newest", page=1)["results"]]
    stamps = [datetime.fromisoformat(rows[case]["modified"].value) for case in by_modified]
    assert stamps == sorted(stamps, reverse=True), stamps
    second = found(client, sort="newest", page=2)
    assert second["page"] == 2 and len(second["results"]) == 6  # 26 cases, 20 per page
    assert not {hit["id"] for hit in second["results"]} & set(by_modified)


TITLES = """
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?case ?title WHERE { GRAPH ?case { ?case dct:title ?title } }
"""


def test_a_word_in_the_title_ranks_above_the_same_word_elsewhere(registry):
    reg, client = registry
    titles: dict[str, str] = {}
    for row in reg.store.query(TITLES):
        titles[row["case"].value] = titles.get(row["case"].value, "") + " " + row["title"].value.lower()
    # "sensor" and "digital" rank a body-only hit above a title hit without the title boost
    for word in ("sensor", "digital", "procurement", "school"):
        ranked = [hit["id"] for hit in found(client, q=word, lang="en")["results"]]
        in_title = [word in titles[case] for case in ranked]
        assert True in in_title and False in in_title, (word, in_title)  # both kinds of hit exist
        assert in_title == sorted(in_title, reverse=True), (word, in_title)  # titles first
