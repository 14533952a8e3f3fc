"""The API pages (`/api`) of a real node and a real registry: one section per operation of the
server's own /openapi.json, in each of the seven languages, valid HTML (a strict WHATWG parse with
html5lib), with a lang attribute, a skip link and headings; linked from the existing pages."""

from __future__ import annotations

import html5lib
import httpx
import pytest

from stafett import texts
from stafett.apidoc import METHODS
from stafett.node.web.html import UI_STRINGS
from stafett.serving import bind, serve_in_thread, url_of

LANGUAGES = ("en", "sv", "nb", "nn", "da", "fi", "is")
# The registry's API page words (stafett/interface/registry.json) and the shared skip link.
API_TEXT = {
    lang: {
        **{k: v for k, v in texts.words("registry", lang).items() if k.startswith("api")},
        "skip": texts.word("common", "skip_to_content", lang),
    }
    for lang in LANGUAGES
}


def parsed(text: str):
    """The page's tree; any parse error of the HTML standard's parser fails the test."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def check_page(response: httpx.Response, lang: str, labels: dict[str, str], spec: dict) -> None:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    tree = parsed(response.text)
    assert tree.get("lang") == lang
    skip = tree.find(".//body/a")
    assert skip.get("href") == "#main" and skip.text == labels["skip"]
    assert tree.find(".//main").get("id") == "main"
    assert tree.find(".//main/h1").text == labels["api_title"]
    assert tree.find(".//script") is None  # readable without JavaScript
    operations = [f"{m.upper()} {path}" for path, item in spec["paths"].items() for m in item if m in METHODS]
    sections = ["".join(s.find("h2").itertext()) for s in tree.iter("section")]
    assert sections == operations
    table_heads = {"".join(th.itertext()) for th in tree.iter("th") if th.get("scope") == "col"}
    assert {labels["api_name"], labels["api_status"], labels["api_meaning"]} <= table_heads


def test_labels_exist_in_seven_languages_and_are_not_english_only():
    for table in ({lang: {k: UI_STRINGS[k][lang] for k in API_TEXT["en"]} for lang in LANGUAGES}, API_TEXT):
        assert set(table) == set(LANGUAGES)
        for lang in LANGUAGES[1:]:
            assert table[lang]["api_title"] != table["en"]["api_title"]
            assert table[lang]["api_responses"] != table["en"]["api_responses"]


@pytest.fixture
def node_url(tmp_path):
    from stafett.node.bootstrap import init_node, start_node

    sock = bind()
    settings, store, _ = init_node(
        tmp_path / "node", url_of(sock), {"sv": "Växjö kommun"}, "212000-0688", "SWE", ("sv", "en")
    )
    server = start_node(settings, store, sock)
    yield settings.base_url
    server.stop()
    store.close()


@pytest.fixture
def registry_url(tmp_path):
    from stafett.harvester.app import create_app
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings

    sock = bind()
    registry = Registry(RegistrySettings(data_dir=tmp_path / "registry", base_url=url_of(sock)), [])
    server = serve_in_thread(create_app(registry=registry), sock)
    yield url_of(sock)
    server.stop()
    registry.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_node_api_page(node_url, lang):
    spec = httpx.get(node_url + "openapi.json").json()
    page = httpx.get(node_url + "api", headers={"Accept-Language": lang})
    check_page(page, lang, {k: UI_STRINGS[k][lang] for k in API_TEXT["en"]}, spec)
    assert 'href="' + node_url + 'openapi.json"' in page.text


def test_node_pages_link_the_api_page(node_url):
    cases = httpx.get(node_url + "cases", headers={"Accept": "text/html"})
    header = parsed(cases.text).find(".//header")
    assert node_url + "api" in [a.get("href") for a in header.iter("a")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_registry_api_page(registry_url, lang):
    spec = httpx.get(registry_url + "openapi.json").json()
    page = httpx.get(registry_url + "api", params={"lang": lang})
    check_page(page, lang, API_TEXT[lang], spec)
    assert {"/sparql", "/feed", "/feed/state", "/reports"} <= set(spec["paths"])


def test_query_page_links_the_api_page(registry_url):
    page = httpx.get(registry_url + "query", params={"lang": "fi"})
    links = [(a.get("href"), a.text) for a in parsed(page.text).iter("a")]
    assert ("/api", API_TEXT["fi"]["api_title"]) in links
