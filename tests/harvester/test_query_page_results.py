"""The query page renders results on the server for a query in its URL (no JavaScript needed):
every IRI a link with its label in the reader's language, cases linked to their registry page."""

from __future__ import annotations

import html5lib
from test_search import federation as federation
from test_search import registry as registry

from stafett import texts
from stafett.harvester.links import case_page_url

CASES = """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?case ?country ?sector ?buyer WHERE {
  GRAPH ?case { ?case a stf:Case ; dct:spatial ?country ; stf:sector ?sector ; stf:buyer ?buyer }
} ORDER BY ?case LIMIT 100"""


def page(client, **params):
    response = client.get("/query", params=params, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.text)
    return tree


def cells(tree) -> list[list]:
    table = tree.find(".//div[@id='results']/table")
    assert table is not None
    return [row.findall("td") for row in table.find("tbody").findall("tr")]


def test_results_link_every_iri_and_show_its_label_in_the_readers_language(federation, registry):
    reg, client = registry
    tree = page(client, query=CASES, lang="sv")
    rows = cells(tree)
    assert rows
    links = [td.find("a") for row in rows for td in row]
    assert all(a is not None and a.get("href") for a in links)
    assert not [a.text for a in links if a.text.startswith(("http://", "https://"))]  # labels, not IRIs
    vaxjo = federation["cases"]["vaxjo-digital-night-supervision-pilot"][2]
    [row] = [row for row in rows if row[0].find("a").get("title") == vaxjo]
    case, country, sector, buyer = (td.find("a") for td in row)
    assert case.text == "Pilot med digital nattillsyn i hemtjänsten"
    assert case.get("href") == case_page_url(vaxjo, reg.settings.base_url)
    assert (country.text, country.get("href")) == (
        "Sverige",
        "http://publications.europa.eu/resource/authority/country/SWE",
    )
    assert sector.get("href").endswith("/sector/health-social-care") and sector.text != "health-social-care"
    assert buyer.text == "Växjö kommun"
    finnish = {
        row[1].find("a").get("title"): row[1].find("a").text
        for row in cells(page(client, query=CASES, lang="fi"))
    }
    assert finnish["http://publications.europa.eu/resource/authority/country/SWE"] == "Ruotsi"
    # The form carries the query back, for the next edit.
    assert tree.find(".//textarea").text.strip() == CASES.strip()


def test_ask_a_refusal_and_other_formats(registry):
    _, client = registry
    words = texts.words("registry", "en")
    ask = page(client, query="ASK { ?s ?p ?o }", lang="en")
    assert words["query_yes"] in "".join(ask.find(".//div[@id='results']").itertext())
    refused = page(client, query="SELECT nonsense", lang="en")
    assert words["query_refused"] in "".join(refused.find(".//div[@id='results']").itertext())
    raw = client.get("/query", params={"query": "ASK {}", "format": "csv"}, follow_redirects=False)
    assert raw.status_code == 303 and raw.headers["location"].startswith("/sparql?query=ASK")
    assert "format=csv" in raw.headers["location"]
