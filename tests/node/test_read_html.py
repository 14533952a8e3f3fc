"""Case pages for people: the best language, translated fixed strings, and safety against hostile content."""

import html as html_lib
import json
import pathlib
import re

import pytest
import test_read_support as support

from stafett import languages
from stafett.node.messages import best_language
from stafett.node.web import html

HERE = pathlib.Path(__file__).resolve().parent


HOSTILE = {
    "@context": "https://w3id.org/stafett/context/v1",
    "type": "Case",
    "title": {"en": "<script>alert(1)</script>Buses", "sv": "Elbussar </script><script>alert(2)</script>"},
    "summary": {"en": "Summary with <b>markup</b> & an ampersand"},
    "status": "pilot",
    "sector": ["transport"],
    "country": "SWE",
    "document": [
        {"url": "javascript:alert(3)", "title": {"en": "click me"}, "documentType": "report"},
        {"url": "https://docs.example/report.pdf", "title": {"en": "the report"}},
    ],
    "contact": [
        {
            "fullName": "<img src=x onerror=alert(4)>",
            "email": "mailto:anna@vaxjo.example",
            "phone": "javascript:alert(5)",
        }
    ],
    "solution": [{"name": {"en": "Safe"}, "url": "data:text/html,<script>alert(6)</script>"}],
    "municipality": ["SE-0780"],
    "noticeIdentifier": [
        {"identifierScheme": "ted", "notation": "00123456-2024"},
        {"identifierScheme": "doffin", "notation": "2024-012345"},
        {"identifierScheme": "ocds", "notation": "ocds-213czf-000-00001", "url": "javascript:alert(7)"},
        {
            "identifierScheme": "hilma",
            "notation": "2024-012345",
            "url": "https://www.hankintailmoitukset.fi/fi/public/procedure/1/enotice/12345/",
        },
    ],
}


@pytest.fixture(scope="module")
def node():
    with support.running_node() as node:
        node.publish(HOSTILE, "hostile")
        node.publish_example(support.example_files()[0], "plain")
        yield node


def test_hostile_text_is_escaped_and_only_safe_schemes_become_links(node):
    page = node.http.get("/case/hostile", headers={"Accept": "text/html", "Accept-Language": "en"}).text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>markup</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Buses" in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(
        h.split(":")[0]
        in ("http", "https", "mailto", "tel", "?format=jsonld", "?format=ttl", "?format=nt", "#main")
        or not re.match(r"^[a-z]+:", h)
        for h in hrefs
    )
    assert not any(h.lower().startswith(("javascript", "data")) for h in hrefs)
    assert "https://docs.example/report.pdf" in hrefs and "mailto:anna@vaxjo.example" in hrefs
    assert "javascript:alert(3)" in page  # still shown, as text
    listing = node.http.get("/cases", headers={"Accept": "text/html", "Accept-Language": "en"}).text
    assert "<script>alert" not in listing and "&lt;script&gt;alert(1)" in listing


def test_embedded_json_ld_cannot_break_out_of_its_script_element(node):
    page = node.http.get("/case/hostile", headers={"Accept": "text/html"}).text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    assert page.count("<script") == 1 and page.count("</script>") == 1
    embedded = json.loads(blocks[0])  # |tojson escapes < > & as \u003c..., still valid JSON
    assert embedded == node.store.get_case(node.settings.case_iri("hostile")).document


@pytest.mark.parametrize(
    "accept_language, title_lang, skip_text",
    [
        ("sv-SE,sv;q=0.9,en;q=0.5", "sv", "Hoppa till innehållet"),
        ("en-GB", "en", "Skip to content"),
        ("fi", "sv", "Siirry sisältöön"),  # no Finnish title: the node's first language, Finnish chrome
        ("nn", "sv", "Hopp til innhaldet"),
    ],
)
def test_best_language_for_content_and_fixed_strings(node, accept_language, title_lang, skip_text):
    page = node.http.get("/case/hostile", headers={"Accept": "text/html", "Accept-Language": accept_language})
    assert re.search(rf'<h1 lang="{title_lang}">', page.text)
    assert skip_text in page.text
    assert page.headers["vary"] == "Accept, Accept-Language"


def test_plain_case_page_shows_its_fields_and_alternate_formats(node):
    record = node.store.get_case(node.settings.case_iri("plain"))
    page = node.http.get("/case/plain", headers={"Accept": "text/html", "Accept-Language": "da"}).text
    title = record.document["title"]
    chosen = best_language(title, "da", ("sv", "en"))
    assert html_lib.escape(title[chosen], quote=False) in page
    assert 'type="text/turtle" href="?format=ttl"' in page
    assert "Senest ændret" in page  # Danish label for `modified`


def test_every_fixed_string_exists_in_all_seven_languages():
    for table in (html.UI_STRINGS, html.FIELD_LABELS):
        for key, translations in table.items():
            missing = set(languages.SUPPORTED) - {k for k, v in translations.items() if v.strip()}
            assert not missing, f"{key} lacks {missing}"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://a.example/x", "https://a.example/x"),
        ("mailto:a@b.se", "mailto:a@b.se"),
        ("tel:+4612345", "tel:+4612345"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("vbscript:x", None),
        ("http:/no-host", None),
        ("//evil.example", None),
    ],
)
def test_only_http_mailto_and_tel_are_link_targets(value, expected):
    assert html.safe_href(value) == expected


def test_codes_show_as_labels_from_the_vocabulary_in_the_readers_language(node):
    def page(lang):
        return node.http.get("/case/hostile", headers={"Accept": "text/html", "Accept-Language": lang}).text

    assert "<dd>Sverige</dd>" in page("sv") and "<dd>Sweden</dd>" in page("en")  # country SWE, EU table
    sector = html.concept_labels()["https://w3id.org/stafett/concept/sector/transport"]
    assert sector["fi"] != sector["en"]
    assert f"<dd>{sector['fi']}</dd>" in page("fi") and f"<dd>{sector['en']}</dd>" in page("en")


def test_official_notices_link_to_their_pages_and_places_show_their_names(node):
    page = node.http.get("/case/hostile", headers={"Accept": "text/html", "Accept-Language": "sv"}).text
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', page))
    assert (
        links["TED publication number: 00123456-2024"]
        == "https://ted.europa.eu/en/notice/-/detail/123456-2024"
    )
    assert links["Doffin reference (Norway): 2024-012345"] == "https://doffin.no/notices/2024-012345"
    assert links["Hilma notice number (Finland): 2024-012345"].startswith(
        "https://www.hankintailmoitukset.fi/"
    )
    # its javascript: url is not linked
    assert "<dd>OCDS open contracting id (ocid): ocds-213czf-000-00001</dd>" in page
    assert "<dd>Växjö</dd>" in page and "<dt>Kommuner</dt>" in page


def test_a_1_1_case_page_shows_milestones_partial_dates_and_roles():
    """Vocabulary 1.1: milestones with a year-month date, participants with roles, a project."""
    example = support.EXAMPLES / "region-vastmark-bridge-monitoring-pcp.jsonld"
    with support.running_node() as node:
        node.publish_example(example, "bridges")
        page = node.http.get("/case/bridges", headers={"Accept": "text/html", "Accept-Language": "sv"}).text
    shown = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # the embedded JSON-LD keeps value objects
    assert "@value" not in shown and "gYearMonth" not in shown
    assert "<dd>2024-09</dd>" in page and "<dd>2022</dd>" in page  # a milestone's month, the start year
    assert "Milstolpar" in page and "Deltagare" in page and "Del av" in page
    role = html.concept_labels()["https://w3id.org/stafett/concept/participant-role/awarded-supplier"]
    assert f"<dd>{role['sv']}</dd>" in page
