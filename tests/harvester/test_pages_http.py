"""The registry's pages for people (harvester/web/search_page.py, case_page.py, suggestions.py)
over HTTP, against the demo federation: real nodes publishing examples/cases on loopback, their
adoption links intact, harvested by real registries. Expected values come from the example files,
the JSON contract and the vocabulary's SKOS files, not from the page code."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import html5lib
import httpx
import pyoxigraph as ox
import pytest
from pages_support import case_iri, example, started

from stafett import languages, texts, vocabulary
from stafett.harvester.web.search_page import also_matched, facet_name

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = started(tmp_path_factory.mktemp("pages"))
    client = httpx.Client(base_url=running.top.base_url, timeout=60, headers={"Accept": BROWSER})
    yield running, client
    client.close()
    running.stop()


class Page(HTMLParser):
    """The visible text, the links and the checkboxes of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[tuple[str, dict]] = []
        self.boxes: list[dict] = []
        self.current: list[dict] = []
        self.skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("style", "script", "datalist"):
            self.skip += 1
        if tag == "a":
            self.links.append((attributes.get("href", ""), attributes))
        if tag == "input" and attributes.get("type") == "checkbox":
            self.boxes.append(attributes)
        if "aria-current" in attributes:
            self.current.append({"tag": tag, **attributes})

    def handle_endtag(self, tag):
        if tag in ("style", "script", "datalist"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.text.append(data.strip())

    @property
    def visible(self) -> str:
        return " ".join(self.text)


def get_page(client: httpx.Client, path: str, status: int = 200, **params) -> Page:
    response = client.get(path, params=params) if params else client.get(path)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.text)  # valid HTML
    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), "an id used twice"
    return Page(response.text)


def as_json(client: httpx.Client, **params) -> dict:
    response = client.get("/search", params={**params, "format": "json"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    return response.json()


def skos_label(iri: str, lang: str) -> str:
    """The prefLabel the vocabulary's files give `iri` in `lang` (read here, not through the pages)."""
    store = ox.Store()
    store.extend(
        q for q in (*vocabulary.concept_quads(), *vocabulary.reference_quads()) if q.subject.value == iri
    )
    found = {
        q.object.language: q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(PREF_LABEL), None)
    }
    return found.get(lang) or found.get("nb" if lang == "nn" else "en") or found["en"]


def test_browsers_get_pages_and_machines_the_json_and_the_catalogue(site):
    _, client = site
    for path in ("/", "/search"):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert 'action="/search"' in page.text
    bare = httpx.get(str(client.base_url) + "search", timeout=60)  # no Accept at all: the page
    assert bare.headers["content-type"].startswith("text/html")
    machine = client.get("/search", params={"q": "buss"}, headers={"Accept": "application/json"})
    assert machine.headers["content-type"].startswith("application/json")
    assert {"total", "results", "facets"} <= set(machine.json())
    assert as_json(client, q="buss") == machine.json()  # format=json wins over a browser's Accept
    catalogue = client.get("/", headers={"Accept": "text/turtle"})
    assert catalogue.headers["content-type"].startswith("text/turtle") and "dcat#Catalog" in catalogue.text
    assert client.head("/search").status_code == 200


def test_two_facets_are_checkboxes_with_the_jsons_live_counts_and_each_can_be_removed(site):
    _, client = site
    chosen = {"country": ["SWE", "NOR"], "sector": ["health-social-care"]}
    answer = as_json(client, lang="en", **chosen)
    page = get_page(client, "/search", lang="en", **chosen)
    assert f"Cases found: {answer['total']}" in page.visible and 0 < answer["total"] < 23
    boxes = {(b["name"], b["value"]): b for b in page.boxes}
    for facet, buckets in answer["facets"].items():
        for bucket in buckets:
            box = boxes[(facet, bucket["value"])]
            assert ("checked" in box) == (bucket["value"] in chosen.get(facet, ()))
            assert f"({bucket['count']})" in page.visible
    current = [c for c in page.current if c["tag"] == "li"]
    assert len(current) == 3  # Sweden, Norway, health and social care
    removals = [href for href, attrs in page.links if href.startswith("/search") and "data-remove" in attrs]
    assert len(removals) == 3
    without_norway = next(
        href for href in removals if ("country", "NOR") not in parse_qsl(urlsplit(href).query)
    )
    left = parse_qsl(urlsplit(without_norway).query)
    assert ("country", "SWE") in left and ("sector", "health-social-care") in left
    narrower = get_page(client, without_norway)
    total = as_json(client, lang="en", country="SWE", sector="health-social-care")["total"]
    assert f"Cases found: {total}" in narrower.visible and total <= answer["total"]


def labelled_parts(html: str) -> str:
    """The text of the parts that name things (facets, facts, hit details), not the publishers' prose."""
    parts = re.findall(
        r"<fieldset>.*?</fieldset>|<dl class=\"facts\">.*?</dl>|<dl class=\"chain\">.*?</dl>", html, re.S
    )
    return Page("".join(parts)).visible


def test_no_bare_iri_or_raw_code_reaches_a_person(site):
    running, client = site
    codes = {
        bucket["value"]
        for facet, buckets in as_json(client)["facets"].items()
        if facet not in ("startYear", "source")  # years and the sources' names are what people read
        for bucket in buckets
    }
    assert {"health-social-care", "SWE", "ppi", "true", "pilot"} <= codes
    # A code that is also a word of some label ("innovation" in "forskning och innovation") is no
    # sign of a raw code when it appears; every other code is.
    label_words = {
        word.casefold()
        for lang in ("sv", "fi", "da")
        for buckets in as_json(client, lang=lang)["facets"].values()
        for bucket in buckets
        for word in re.findall(r"[\w-]+", bucket["label"])
    }
    codes = {code for code in codes if code.casefold() not in label_words}
    cases = ("vaxjo-kronoberg-joint-night-supervision", "fjordvik-digital-medisindispenser")
    responses = [
        client.get("/search", params={"lang": "sv"}),
        client.get("/search", params={"lang": "fi", "q": "digital"}),
        *(client.get("/cases", params={"id": case_iri(running, name), "lang": "da"}) for name in cases),
    ]
    for response in responses:
        page, named = Page(response.text), labelled_parts(response.text)
        assert "http://" not in page.visible and "https://" not in page.visible, page.visible[:300]
        assert len(named) > 100
        for code in sorted(codes | {"85312000", "SE-0780"}):
            assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", named), (code, named)


def test_every_example_case_has_a_readable_page(site):
    running, client = site
    published = [
        path for spec in running.federation.nodes.values() for path in running.federation.case_files(spec)
    ]
    assert len(published) > 20
    for path in published:
        doc = example(path.stem)
        page = get_page(client, "/cases", id=case_iri(running, path.stem), lang="nn")
        title = (
            doc["title"].get("nn")
            or doc["title"].get("nb")
            or doc["title"].get("en")
            or next(iter(doc["title"].values()))
        )
        assert title in page.visible, path.stem
        assert "http://" not in page.visible and "https://" not in page.visible, (path.stem, page.visible)
        assert texts.word("case", "adoption_chain", "nn") in page.visible
        # every demo node signs its cases, and the registry checked each proof (issue 16)
        before, after = texts.word("signing", "sentence-verified", "nn").split("{organisation}")
        assert before in page.visible and after in page.visible, (path.stem, page.visible[-400:])


def test_every_interface_language_labels_from_skos_and_keeps_the_query(site):
    _, client = site
    for lang in languages.SUPPORTED:
        response = client.get("/search", params={"q": "digital", "country": "SWE", "lang": lang})
        assert response.headers["content-language"] == lang
        page = Page(response.text)
        assert f'<html lang="{lang}">' in response.text
        assert texts.word("search", "page_title", lang) in page.visible
        sweden = skos_label("http://publications.europa.eu/resource/authority/country/SWE", lang)
        assert sweden in page.visible
        switch = [attrs for href, attrs in page.links if "hreflang" in attrs]
        assert {a["hreflang"] for a in switch} == set(languages.SUPPORTED)
        for attrs in switch:  # the switch keeps the words and the filters
            params = parse_qsl(urlsplit(attrs["href"]).query)
            assert ("q", "digital") in params and ("country", "SWE") in params
            assert ("lang", attrs["hreflang"]) in params
    chosen = client.get("/search", headers={"Accept": BROWSER, "Accept-Language": "nn, en;q=0.5"})
    assert chosen.headers["content-language"] == "nn"


def test_results_show_buyers_years_and_a_marked_snippet_and_page_on(site):
    _, client = site
    page = client.get("/search", params={"q": "hemtjänst", "lang": "sv"}).text
    assert "<mark>hemtjänst</mark>" in page.lower() or "<mark>hemtjänsten</mark>" in page.lower()
    assert "Växjö kommun" in Page(page).visible and "2021–2025" in page
    everything = as_json(client)
    assert everything["total"] > 20
    first = get_page(client, "/search", lang="en")
    pages = [(href, a) for href, a in first.links if "page=2" in href]
    assert pages, "a link to the second page"
    second = client.get(pages[0][0]).text
    hits = re.findall(r'<h3><a href="/cases\?id=', second)
    assert len(hits) == everything["total"] - 20
    assert 'aria-current="page"' in second
    assert "<title>Find cases – Page 2 · Stafett</title>" in second  # each page has its own title
    assert "<title>hemtjänst – Hitta fall · Stafett</title>" in page


def test_a_title_missing_in_the_readers_language_is_marked_with_its_language(site):
    _, client = site
    answer = as_json(client, lang="fi", q="Kronoberg")
    fallback = next(hit for hit in answer["results"] if hit["titleLanguage"] != "fi")
    page = client.get("/search", params={"lang": "fi", "q": "Kronoberg"}).text
    assert f'lang="{fallback["titleLanguage"]}">{fallback["title"]}' in page.replace("&#39;", "'")
    assert "Ei käännetty; kieli:" in page


def test_the_case_page_shows_the_case_and_its_adoption_chain_both_ways(site):
    running, client = site
    name = "vaxjo-kronoberg-joint-night-supervision"
    doc, iri = example(name), case_iri(running, name)
    response = client.get("/cases", params={"id": iri, "lang": "sv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    for key in ("title", "need", "outcome", "lessonsLearned", "risks"):
        assert doc[key]["sv"] in page.visible.replace("\u00a0", " "), key
    assert (
        'href="mailto:johan.ekstrom@' in response.text
        and "Kontakta den upphandlande organisationen" in page.visible
    )
    for document in doc["document"]:
        assert document["title"]["sv"] in page.visible
    assert "Hämtat" in page.visible and "sweden" in page.visible  # provenance: when and through which source
    pilot = example("vaxjo-digital-night-supervision-pilot")
    later = example("vaxjo-kronoberg-digital-supervision-2027")
    assert later["scaledUpFrom"] == [doc["id"]]  # the other direction: only the later case says so
    links = {href: attrs for href, attrs in page.links}
    for other, heading in ((pilot, "Uppskalat från"), (later, "Uppskalat i")):
        other_iri = case_iri(
            running,
            next(
                n
                for n in ("vaxjo-digital-night-supervision-pilot", "vaxjo-kronoberg-digital-supervision-2027")
                if example(n)["id"] == other["id"]
            ),
        )
        href = f"/cases?id={httpx.QueryParams({'id': other_iri})['id']}"
        assert any(
            h.startswith("/cases?") and dict(parse_qsl(urlsplit(h).query))["id"] == other_iri for h in links
        )
        assert other["title"]["sv"] in page.visible and heading in page.visible, href
    similar = response.text.split('id="s-similar"')[1].split("</section>")[0]
    assert 1 <= similar.count('href="/cases?id=') <= 5


def test_the_adoption_chain_crosses_nodes_and_countries(site):
    running, client = site
    iri = case_iri(running, "norreby-digital-medicindispenser")  # adoptedFrom a Norwegian case
    page = get_page(client, "/cases", id=iri, lang="en")
    source = example("fjordvik-digital-medisindispenser")
    target = case_iri(running, "fjordvik-digital-medisindispenser")
    assert any(dict(parse_qsl(urlsplit(h).query)).get("id") == target for h, _ in page.links)
    assert "Adopted from" in page.visible
    assert (source["title"].get("en") or source["title"]["nb"]) in page.visible


def test_an_unknown_case_is_a_404_page_in_the_readers_language(site):
    running, client = site
    page = get_page(client, "/cases", status=404, id=running.top.base_url + "case/none", lang="nb")
    assert texts.word("case", "not_found_title", "nb") in page.visible
    assert get_page(client, "/cases", status=404, id="not an iri", lang="fi").visible


def test_zero_results_offer_did_you_mean_that_finds_something(site):
    _, client = site
    page = get_page(client, "/search", q="nattilsyyn", lang="sv")
    assert "Hittade fall: 0" in page.visible and "Menade du" in page.visible
    href = next(h for h, _ in page.links if h.startswith("/search?q=") and "nattilsyyn" not in h)
    corrected = dict(parse_qsl(urlsplit(href).query))["q"]
    assert as_json(client, q=corrected)["total"] > 0
    assert "Menade du" not in get_page(client, "/search", q="qqqqxxxx", lang="sv").visible


def test_suggestions_after_two_characters_as_json_and_as_plain_links(site):
    _, client = site
    answer = client.get("/suggest", params={"q": "vä", "lang": "sv"}).json()
    labels = {s["label"]: s for s in answer["suggestions"]}
    assert "Växjö kommun" in labels and labels["Växjö kommun"]["kind"] == "buyer"
    assert client.get("/suggest", params={"q": "v", "lang": "sv"}).json()["suggestions"] == []
    health = client.get("/suggest", params={"q": "hälsa", "lang": "sv"}).json()["suggestions"]
    sector = next(s for s in health if s["kind"] == "sector")
    assert dict(parse_qsl(urlsplit(sector["url"]).query))["sector"] == "health-social-care"
    page = client.get("/search", params={"q": "vä", "lang": "sv"}).text
    assert "<datalist" in page and '<option value="Växjö kommun">' in page
    assert 'href="/search?q=V%C3%A4xj%C3%B6+kommun&amp;lang=sv"' in page  # no script needed


def test_a_bad_parameter_is_a_page_naming_it_in_the_readers_language(site):
    _, client = site
    page = get_page(client, "/search", status=400, page="zero", lang="da")
    assert "page" in page.visible and "heltal" in page.visible
    assert (
        client.get("/search", params={"page": "zero"}, headers={"Accept": "application/json"}).status_code
        == 400
    )


def test_also_matched_names_the_concept_and_its_facet():
    words = texts.words("search", "sv")
    shown = also_matched([{"value": "home-care", "label": "Hemtjänst", "facet": "topic"}], words)
    assert shown == ["Hemtjänst, Ämne"]
    assert also_matched([], words) == []
    # a facet this page has no word for is named by the ontology's label of the property
    effect = next(
        q.object.value
        for q in vocabulary.ontology_quads()
        if q.subject.value.endswith("#effect")
        and q.predicate.value.endswith("#label")
        and q.object.language == "sv"
    )
    assert facet_name("effect", words, "sv") == effect[:1].upper() + effect[1:]
    assert facet_name("noSuchFacet", words, "sv") == words["facet_other"]


def test_the_page_lists_the_jsons_results_in_its_order_for_every_sort(site):
    _, client = site
    for sort in ("relevance", "newest", "startYear"):
        answer = as_json(client, q="digital", sort=sort, lang="en")
        page = client.get("/search", params={"q": "digital", "sort": sort, "lang": "en"}).text
        shown = re.findall(r'<h3><a href="/cases\?id=([^"&]+)', page)
        assert [dict(parse_qsl("id=" + s))["id"] for s in shown] == [hit["id"] for hit in answer["results"]]
        assert f'<option value="{sort}" selected>' in page


def test_similar_cases_cross_countries(site):
    running, client = site
    page = get_page(client, "/cases", id=case_iri(running, "fjordvik-digital-medisindispenser"), lang="en")
    similar = [dict(parse_qsl(urlsplit(h).query))["id"] for h, _ in page.links if h.startswith("/cases?")]
    danish = case_iri(running, "norreby-digital-medicindispenser")
    assert danish in similar  # the same CPV codes and sector, in Danish


def test_a_case_harvested_next_is_found_and_suggested(site):
    """Last in this module: it adds a case to the federation."""
    running, client = site
    doc = example("vaxjo-digital-night-supervision-pilot")
    for key in ("id", "relatedCase", "scaledUpFrom", "adoptedFrom", "adoptedBy"):
        doc.pop(key, None)
    for key in ("sector", "cpv", "innovationApproach", "keyword"):  # no concept in common with anything
        doc.pop(key, None)
    doc["title"] = {"sv": "Zebrafinkens nattillsyn"}
    doc["buyer"] = [{"name": {"sv": "Qvarnby kommun"}, "country": "SWE", "legalType": "la"}]
    node = running.nodes["vaxjo"]
    headers = {"Authorization": f"Bearer {node.token}", "Content-Type": "application/ld+json"}
    created = httpx.post(
        node.base_url + "cases", content=json.dumps(doc).encode(), headers=headers, timeout=60
    )
    assert created.status_code == 201, created.text
    assert client.get("/suggest", params={"q": "qvarn"}).json()["suggestions"] == []
    running.harvest()
    assert [s["label"] for s in client.get("/suggest", params={"q": "qvarn"}).json()["suggestions"]] == [
        "Qvarnby kommun"
    ]
    assert "Zebrafinkens nattillsyn" in get_page(client, "/search", q="zebrafinkens").visible
    # its summary is the pilot's: the index's words find the pilot as a similar case without concepts
    new_case = as_json(client, q="zebrafinkens")["results"][0]["id"]
    page = client.get("/cases", params={"id": new_case, "lang": "sv"}).text
    similar = page.split('id="s-similar"')[1].split("</section>")[0]
    pilot = case_iri(running, "vaxjo-digital-night-supervision-pilot")
    assert f"/cases?id={quote(pilot, safe='')}&amp;" in similar
