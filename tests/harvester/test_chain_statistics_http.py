"""The adoption-chain and statistics pages (harvester/web/chain_page.py, statistics_page.py) over
HTTP, against the demo federation: real nodes publishing examples/cases on loopback with their
adoption links intact, harvested by real registries (the national ones, then the Nordic one).
Expected chains come from the example files; expected figures come from /sparql answering the
saved queries of examples/queries/; labels from the vocabulary's SKOS files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import html5lib
import httpx
import pyoxigraph as ox
import pytest
from markupsafe import escape
from pages_support import case_iri, example, started
from test_pages_http import skos_label

from stafett import languages, texts

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUERIES = Path(__file__).resolve().parents[2] / "examples" / "queries"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
STF = "https://w3id.org/stafett/ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = started(tmp_path_factory.mktemp("chains"))
    client = httpx.Client(base_url=running.top.base_url, timeout=60, headers={"Accept": BROWSER})
    yield running, client
    client.close()
    running.stop()


def page(client: httpx.Client, path: str, status: int = 200, **params):
    response = client.get(path, params=params)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.text)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def steps(tree) -> list[dict]:
    """Each step of a chain page: its role, the case it links to, its facts and contact links."""
    found = []
    for item in tree.iter("li"):
        if item.get("class") != "step":
            continue
        heading = item.find("h3")
        found.append(
            {
                "role": item.get("data-role"),
                "case": parse_qsl(urlsplit(heading.find("a").get("href")).query)[0][1],
                "title": text(heading.find("a")),
                "text": text(item),
                "mail": [a.get("href") for a in item.iter("a") if a.get("href", "").startswith("mailto:")],
            }
        )
    return found


def summary(tree) -> dict[str, str]:
    return {dd.get("data-key"): text(dd) for dd in tree.iter("dd") if dd.get("data-key")}


def test_a_pilot_chain_from_the_pilot_the_scale_up_and_the_adopter_alike(site):
    running, client = site
    names = [
        "fjordvik-digital-medisindispenser",
        "fjordvik-medisindispenser-hele-kommunen",
        "norreby-digital-medicindispenser",
    ]
    iris = [case_iri(running, name) for name in names]
    words = texts.words("chain", "en")
    for asked in iris:  # the links are followed both ways: every member shows the whole chain
        tree = page(client, "/chain", **{"for": asked, "lang": "en"})
        found = steps(tree)
        assert [s["case"] for s in found] == iris  # pilot, then scale-up (2022), then adoption (2023)
        assert [s["role"] for s in found] == [
            words["role_origin"],
            words["role_scale_up"],
            words["role_adoption"],
        ]
        assert [s["title"] for s in found] == [
            example(n)["title"].get("en") or example(n)["title"]["nb"] for n in names
        ]
        for step, name in zip(found, names, strict=True):
            assert step["mail"] == [c["email"] for c in example(name)["contact"]]  # whom to ask
            assert example(name)["startDate"] in step["text"]  # with dates
        numbers = summary(tree)
        assert numbers["scale_ups"] == "1"
        norreby = example("norreby-digital-medicindispenser")
        assert numbers["adopters"] == f"1 ({norreby['buyer'][0]['name']['da']})"
        assert numbers["countries"] == f"1 ({skos_label(COUNTRY + norreby['country'], 'en')})"


def test_a_chain_of_two_scale_ups_and_a_solution_address(site):
    running, client = site
    names = [
        "vaxjo-digital-night-supervision-pilot",
        "vaxjo-kronoberg-joint-night-supervision",
        "vaxjo-kronoberg-digital-supervision-2027",
    ]
    iris = [case_iri(running, name) for name in names]
    tree = page(client, "/chain", **{"for": iris[2], "lang": "sv"})
    assert [s["case"] for s in steps(tree)] == iris
    assert summary(tree)["adopters"] == "0"
    # a solution's address: the chain of the case it belongs to, said so
    solution = case_iri(running, "fjordvik-digital-medisindispenser") + "#solution-1"
    tree = page(client, "/chain", **{"for": solution, "lang": "sv"})
    assert len(steps(tree)) == 3
    assert texts.word("chain", "from_solution", "sv") in text(tree)


def test_related_cases_are_listed_beside_the_chain(site):
    running, client = site
    pcp = case_iri(running, "harjula-etakuntoutus-pcp")
    related = example("harjula-etakuntoutus-pcp")["relatedCase"]
    assert related, "the example links the PCPs"
    tree = page(client, "/chain", **{"for": pcp, "lang": "fi"})
    listed = [ul for ul in tree.iter("ul") if ul.get("class") == "related"]
    assert listed, "the related section"
    hrefs = [a.get("href") for a in listed[0].iter("a")]
    other = case_iri(running, "region-vastmark-pcp-skin-cancer-triage")
    assert any(other in dict(parse_qsl(urlsplit(h).query)).get("id", "") for h in hrefs), hrefs


def test_the_index_the_case_page_link_and_the_refusals_in_every_language(site):
    running, client = site
    origins = {
        case_iri(running, n)
        for n in (
            "fjordvik-digital-medisindispenser",
            "vaxjo-digital-night-supervision-pilot",
            "vaxjo-school-meal-food-waste",
        )
    }
    for lang in languages.SUPPORTED:
        words = texts.words("chain", lang)
        tree = page(client, "/chain", lang=lang)
        assert tree.get("lang") == lang
        assert text(tree.find(".//h1")) == words["chains_title"]
        linked = {
            dict(parse_qsl(urlsplit(a.get("href")).query))["for"]
            for a in tree.iter("a")
            if a.get("href", "").startswith("/chain?for=")
        }
        assert linked == origins
        header = [a.get("href") for a in tree.find(".//header").iter("a")]
        assert f"/chain?lang={lang}" in header and f"/statistics?lang={lang}" in header
        missing = page(client, "/chain", 404, **{"for": "https://nowhere.example/case/x", "lang": lang})
        assert text(missing.find(".//h1")) == words["not_found_title"]
    page(client, "/chain", 404, **{"for": "not an address"})
    # the case page links to the chain when the case has links, and not when it has none
    linked_case = case_iri(running, "norreby-digital-medicindispenser")
    tree = page(client, "/cases", id=linked_case, lang="da")
    links = [urlsplit(a.get("href")) for a in tree.iter("a") if a.get("class") == "see-chain"]
    assert [(u.path, dict(parse_qsl(u.query))) for u in links] == [
        ("/chain", {"for": linked_case, "lang": "da"})
    ]
    lonely = case_iri(running, "aastrup-ai-journalisering")
    tree = page(client, "/cases", id=lonely, lang="da")
    assert not [a for a in tree.iter("a") if a.get("class") == "see-chain"]
    tree = page(client, "/chain", **{"for": lonely, "lang": "da"})  # asked anyway: a chain of one
    assert texts.word("chain", "alone", "da") in text(tree) and not steps(tree)


def sparql_rows(client: httpx.Client, query: str) -> list[dict]:
    response = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text[:300]
    return response.json()["results"]["bindings"]


FIGURES = {  # figure -> its saved query and how each column is shown (labels from SKOS)
    "country": ("23-cases-per-country", ["country", "cases"]),
    "sector": ("24-cases-per-sector", ["sector", "cases"]),
    "approach": ("25-cases-per-innovation-approach", ["approach", "cases"]),
    "stage": ("09-status-pipeline", ["status", "cases"]),
    "year": ("26-cases-per-start-year", ["year", "cases"]),
    "joint": ("27-joint-procurements-per-country", ["country", "cases", "buyers"]),
    "borders": ("28-adoptions-across-borders", ["fromCountry", "toCountry", "adoptions"]),
    "offers": ("29-open-offers", ["offer", "cases"]),
}
ONTOLOGY = Path(__file__).resolve().parents[2] / "vocabulary" / "ontology.ttl"


def ontology_label(iri: str, lang: str) -> str:
    """The ontology file's rdfs:label of a property, capitalised as a table cell starts."""
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    found = {
        q.object.language: q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDFS_LABEL), None)
    }
    label = found.get(lang) or found["en"]
    return label[:1].upper() + label[1:]


def expected_cell(binding: dict | None, lang: str) -> str:
    if binding is None:
        return texts.word("statistics", "not_stated", lang)
    if binding["type"] == "uri":
        if binding["value"].startswith(STF):  # the offers: properties of the ontology
            return ontology_label(binding["value"], lang)
        return skos_label(binding["value"], lang)
    return binding["value"]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_figure_of_the_statistics_page_is_its_query_answered_by_sparql(site, lang):
    _, client = site
    tree = page(client, "/statistics", lang=lang)
    sections = {s.get("id"): s for s in tree.iter("section")}
    for key, (name, variables) in FIGURES.items():
        query = (QUERIES / f"{name}.rq").read_text("utf-8")
        section = sections[f"figure-{key}"]
        assert text(section.find("h2")) == texts.word("statistics", f"figure_{key}", lang)
        shown = [[text(cell) for cell in row] for row in section.find(".//tbody").iter("tr")]
        answered = [
            [expected_cell(row.get(v), lang) for v in variables] for row in sparql_rows(client, query)
        ]
        assert shown == answered, key
        assert shown, f"{key}: the federation has something to count"
        # the figure links to the query page with its query filled in (and run)
        link = next(a.get("href") for a in section.iter("a") if a.get("class") == "query-link")
        params = dict(parse_qsl(urlsplit(link).query))
        assert urlsplit(link).path == "/query" and params["query"] == query and params["example"] == name
        query_page = client.get(link)
        assert query_page.status_code == 200
        assert str(escape(query)) in query_page.text  # in the form, to run again or change
    # every case is counted in the country figure, a case without a country in its own row
    per_country = sparql_rows(client, (QUERIES / "23-cases-per-country.rq").read_text("utf-8"))
    every_case = sparql_rows(client, f"SELECT DISTINCT ?case WHERE {{ ?case a <{STF}Case> }}")
    assert sum(int(row["cases"]["value"]) for row in per_country) == len(every_case)
