"""The registry's change feed in a browser: a page for people (its pages; one page's changes with
titles and links to the cases' pages; previous/next), while feed clients still get TriG."""

from __future__ import annotations

import html5lib
import pyoxigraph as ox
from test_search import federation as federation
from test_search import registry as registry

from stafett.harvester.links import case_page_url

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def page(client, url: str, lang: str):
    response = client.get(url, headers={"Accept": BROWSER, "Accept-Language": lang})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["vary"] == "Accept, Accept-Language"
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.text)
    assert tree.get("lang") == lang
    return tree


def links(tree) -> dict[str, str]:
    return {"".join(a.itertext()).strip(): a.get("href") for a in tree.iter("a")}


def path(url: str, base: str) -> str:
    return "/" + url.removeprefix(base)


def test_a_browser_reads_the_registrys_feed_and_clients_still_get_trig(federation, registry):
    reg, client = registry
    base = reg.settings.base_url
    root = page(client, "/feed", "fi")
    assert root.find(".//h1").text == "Muutosvirta"
    found = links(root)
    count = reg.feed.pages()
    assert count == 13  # 26 members (issue 15 added three planned needs), pages of 2
    assert [found[f"Muutosvirta, sivu {n}"] for n in range(1, count + 1)] == [
        reg.feed.page_url(k) for k in range(count)
    ]
    first = page(client, path(reg.feed.page_url(0), base), "sv")
    assert links(first)["Nästa sida"] == reg.feed.page_url(1) and "Föregående sida" not in links(first)
    rows = [tr for tr in first.iter("tr") if tr.findall("td")]
    assert len(rows) == 2
    titled = {a.get("href"): "".join(a.itertext()) for tr in rows for a in tr.iter("a")}
    by_iri = {iri: name for name, (_, _, iri) in federation["cases"].items()}
    quads = reg.feed.page_quads(0)[0]
    cases = [q.object.value for q in quads if q.predicate.value.endswith("activitystreams#object")]
    assert set(titled) == {case_page_url(case, base) for case in cases}
    assert all(title and title not in by_iri for title in titled.values())  # titles, never IRIs
    last = page(client, path(reg.feed.page_url(count - 1), base), "en")
    assert links(last)["Previous page"] == reg.feed.page_url(count - 2) and "Next page" not in links(last)
    for accept in (None, "*/*", "application/trig"):
        response = client.get("/feed", headers={"Accept": accept} if accept else {"Accept": ""})
        assert response.headers["content-type"].startswith("application/trig"), accept
        assert list(ox.parse(response.content, format=ox.RdfFormat.TRIG))
    assert client.get("/feed/page/99", headers={"Accept": BROWSER}).status_code == 404
