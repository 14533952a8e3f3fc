"""Each published case at its IRI: content negotiation, conditional GET, CORS, 410/404, paging."""

import json
import pathlib

import pyoxigraph as ox
import pytest
import rdflib
import test_read_support as support

from stafett.vocabulary.jsonld import context_bytes, context_document, json_ld_to_quads

HERE = pathlib.Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def node():
    with support.running_node(page_size=2) as node:
        files = support.example_files()
        for path in files[:5]:
            node.publish_example(path)
        node.publish_example(files[5], slug="sixth-case")
        node.publish(files[6].read_bytes(), "draft-only", state="draft")
        node.delete(files[4].stem)
        yield node


def stored(node, slug):
    return node.store.get_case(node.settings.case_iri(slug))


def triples_of(ntriples: bytes) -> set:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)}


def rdflib_triples(graph: rdflib.Graph) -> set:
    """rdflib's parse, in pyoxigraph terms, via N-Triples (so both parsers are compared as sets)."""
    return triples_of(graph.serialize(format="nt", encoding="utf-8"))


def slug_of(node, index=0):
    return support.example_files()[index].stem


@pytest.mark.parametrize(
    "accept, query",
    [
        ("application/ld+json", None),
        ("text/turtle", None),
        ("application/n-triples", None),
        (None, "jsonld"),
        (None, "ttl"),
        (None, "nt"),
    ],
)
def test_every_rdf_format_equals_the_stored_graph_in_both_parsers(node, accept, query):
    slug = slug_of(node)
    record = stored(node, slug)
    answer = node.http.get(
        f"/case/{slug}",
        headers={"Accept": accept} if accept else {},
        params={"format": query} if query else None,
    )
    assert answer.status_code == 200
    media = answer.headers["content-type"].split(";")[0]
    expected = triples_of(record.ntriples)
    if media == "application/ld+json":
        document = json.loads(answer.content)
        assert document["@context"] == context_document()["@context"]  # inlined: stands alone
        assert {k: v for k, v in document.items() if k != "@context"} == {
            k: v for k, v in record.document.items() if k != "@context"
        }
        ours = {ox.Triple(q.subject, q.predicate, q.object) for q in json_ld_to_quads(document)}
        theirs = rdflib_triples(rdflib.Graph().parse(data=answer.content, format="json-ld"))
    else:
        fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}[media]
        ours = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(answer.content, fmt)}
        theirs = rdflib_triples(
            rdflib.Graph().parse(
                data=answer.content, format={"text/turtle": "turtle", "application/n-triples": "nt"}[media]
            )
        )
    assert ours == expected
    assert len(theirs) == len(expected)
    # rdflib rewrites some literal lexical forms (e.g. dateTime "Z"), so compare everything else exactly
    assert {
        t
        for t in theirs
        if not isinstance(t.object, ox.Literal) or t.object.datatype.value.endswith(("string", "langString"))
    } == {
        t
        for t in expected
        if not isinstance(t.object, ox.Literal) or t.object.datatype.value.endswith(("string", "langString"))
    }


def test_browsers_get_html_and_unknown_formats_get_406(node):
    slug = slug_of(node)
    page = node.http.get(f"/case/{slug}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    refused = node.http.get(f"/case/{slug}", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert refused.headers["content-type"] == "application/problem+json"
    assert node.http.get(f"/case/{slug}", params={"format": "xml"}).status_code == 406


def test_conditional_get_headers_and_cors(node):
    slug = slug_of(node, 1)
    record = stored(node, slug)
    first = node.http.get(
        f"/case/{slug}", headers={"Accept": "application/ld+json", "Origin": "https://elsewhere.example"}
    )
    assert first.headers["etag"] == record.etag
    assert first.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in first.headers
    assert set(first.headers["vary"].replace(" ", "").split(",")) == {"Accept", "Accept-Language"}
    by_tag = node.http.get(
        f"/case/{slug}", headers={"Accept": "application/ld+json", "If-None-Match": first.headers["etag"]}
    )
    assert by_tag.status_code == 304 and by_tag.content == b""
    by_date = node.http.get(
        f"/case/{slug}",
        headers={"Accept": "application/ld+json", "If-Modified-Since": first.headers["last-modified"]},
    )
    assert by_date.status_code == 304
    older = node.http.get(f"/case/{slug}", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert older.status_code == 200
    turtle = node.http.get(f"/case/{slug}", headers={"Accept": "text/turtle"})
    assert turtle.headers["etag"] != first.headers["etag"]  # one tag per representation


def test_deleted_is_gone_and_drafts_or_unknown_are_not_found(node):
    deleted = support.example_files()[4].stem
    gone = node.http.get(f"/case/{deleted}")
    assert gone.status_code == 410
    body = gone.json()
    assert body["status"] == 410 and deleted in body["detail"]
    assert node.http.get(f"/case/{deleted}", headers={"Accept": "text/html"}).status_code == 410
    for slug in ("draft-only", "no-such-case"):
        answer = node.http.get(f"/case/{slug}")
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"


def test_paged_list_links_every_published_case_once(node):
    seen, url, pages = [], "/cases?page=1", 0
    while url:
        answer = node.http.get(url, headers={"Accept": "application/ld+json"})
        assert answer.status_code == 200
        document = answer.json()
        seen += [m["@id"] for m in document["hydra:member"]]
        url = document["hydra:view"].get("hydra:next", {}).get("@id")
        pages += 1
        assert json_ld_to_quads(document)  # valid JSON-LD with its inline context
    published = {r.iri for r in node.store.list_published(0, 100)}
    assert sorted(seen) == sorted(published) and len(seen) == 5  # 6 written, 1 deleted, drafts hidden
    assert pages == 3
    last = node.http.get("/cases?page=3").json()
    assert last["hydra:view"]["hydra:previous"]["@id"].endswith("page=2")
    html = node.http.get("/cases?page=2", headers={"Accept": "text/html"})
    assert 'rel="next"' in html.text and 'rel="prev"' in html.text
    assert node.http.get("/cases?page=0").status_code == 400
    assert node.http.get("/cases?page=x").status_code == 400
    assert node.http.get("/cases?page=" + "9" * 30).status_code == 400
    assert node.http.get("/cases?page=7").json()["hydra:member"] == []  # past the end: empty, not an error


@pytest.mark.parametrize("path", ["/context/v1", "/context/v1.jsonld"])
def test_context_is_served_with_long_cache(node, path):
    answer = node.http.get(path)
    assert answer.content == context_bytes()
    assert answer.headers["content-type"] == "application/ld+json"
    assert "max-age=86400" in answer.headers["cache-control"]
    assert node.http.get(path, headers={"If-None-Match": answer.headers["etag"]}).status_code == 304


def test_cors_preflight_and_head(node):
    slug = slug_of(node)
    preflight = node.http.options(
        f"/case/{slug}",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "If-None-Match" in preflight.headers["access-control-allow-headers"]
    assert "PUT" not in preflight.headers["access-control-allow-methods"]
    head = node.http.head(f"/case/{slug}", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"]
