"""The node's change feed in a browser: a page for people (pages, changes with titles, links to the
next page) when text/html is preferred; feed clients still get exactly the RDF they got before."""

import json

import html5lib
import pyoxigraph as ox
import pytest
import test_read_support as support

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def node():
    """7 changes over pages of 3 (three pages), one of them a delete."""
    files = support.example_files()
    with support.running_node(feed_page_size=3) as node:
        for path in files[:6]:
            node.publish_example(path)
        node.delete(files[1].stem)
        yield node


def page(node, url, lang="sv"):
    response = node.http.get(url, headers={"Accept": BROWSER, "Accept-Language": lang})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"] and "Accept-Language" in response.headers["vary"]
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.text)
    assert tree.get("lang") == lang
    return tree


def links(tree) -> dict[str, str]:
    return {"".join(a.itertext()).strip(): a.get("href") for a in tree.iter("a")}


def test_a_browser_reads_the_feed_as_pages_with_titles_and_next_links(node):
    root = page(node, "/feed")
    assert root.find(".//h1").text == "Ändringsflöde"
    found = links(root)
    pages = [found[f"Ändringsflöde, sida {n}"] for n in (1, 2, 3)]
    assert pages == [f"{node.base}feed/{k}" for k in (0, 1, 2)]
    assert found["Nyaste sidan"] == pages[-1]
    first = page(node, pages[0])
    assert links(first)["Nästa sida"] == pages[1] and "Föregående sida" not in links(first)
    cells = [["".join(td.itertext()).strip() for td in tr.findall("td")] for tr in first.iter("tr")][1:]
    assert len(cells) == 3 and all(row[1] == "Tillagt" for row in cells)
    titles = {json.loads(p.read_text())["title"].get("sv") for p in support.example_files()[:3]} - {None}
    assert titles <= {row[2] for row in cells}, (titles, cells)
    assert all(row[0].endswith("UTC") for row in cells)
    last = page(node, pages[2], lang="en")
    assert links(last)["Previous page"] == pages[1] and "Next page" not in links(last)
    kinds = ["".join(tr.findall("td")[1].itertext()) for tr in last.iter("tr") if tr.findall("td")]
    assert kinds[-1] == "Removed"
    # The header's "Change feed" link now opens a page, not a download.
    front = node.http.get("/", headers={"Accept": BROWSER})
    assert f"{node.base}feed" in [
        a.get("href") for a in html5lib.parse(front.text, namespaceHTMLElements=False).iter("a")
    ]


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/trig", "application/n-quads;q=0.9, text/html;q=0.5"]
)
def test_feed_clients_still_get_rdf(node, accept):
    headers = {"Accept": accept} if accept else {}
    response = node.http.get("/feed/0", headers=headers)
    expected = (
        "application/n-quads" if accept and accept.startswith("application/n-quads") else "application/trig"
    )
    assert response.headers["content-type"].startswith(expected)
    fmt = ox.RdfFormat.N_QUADS if expected == "application/n-quads" else ox.RdfFormat.TRIG
    assert list(ox.parse(response.content, format=fmt))
    assert response.headers["vary"] == "Accept"
