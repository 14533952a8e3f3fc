"""Stock clients read a real node's cases at their IRIs with no cache and no network beyond loopback.

rdflib lists every parser it has at equal weight, pyld's default loader asks for JSON-LD, and
neither can fetch the shared context from w3id.org here: what they get must stand alone.
"""

import pyoxigraph as ox
import pytest
import rdflib
import test_read_support as support
from pyld import jsonld
from pyld.documentloader.requests import RequestsDocumentLoader
from writer_support import case as writer_case

from stafett.vocabulary.jsonld import context_bytes

CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"


@pytest.fixture(scope="module")
def node():
    with support.running_node() as node:
        for path in support.example_files()[:2]:
            node.publish_example(path)
        yield node


def case_iri(node, index=0):
    return node.settings.case_iri(support.example_files()[index].stem)


def stored_triples(node, iri) -> set:
    record = node.store.get_case(iri)
    return {
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(record.ntriples, ox.RdfFormat.N_TRIPLES)
    }


def via_ntriples(data: str | bytes) -> set:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(data.encode() if isinstance(data, str) else data, ox.RdfFormat.N_TRIPLES)
    }


def same_graph(ours: set, expected: set) -> bool:
    """rdflib and pyld rewrite some literal forms (dateTime "Z"); compare counts and the rest exactly."""

    def stable(triples):
        return {
            t
            for t in triples
            if not isinstance(t.object, ox.Literal)
            or t.object.datatype.value.endswith(("string", "langString"))
        }

    return len(ours) == len(expected) and stable(ours) == stable(expected)


@pytest.mark.parametrize("fmt", [None, "turtle", "json-ld", "nt"])
def test_rdflib_parses_a_case_from_its_iri(node, fmt):
    iri = case_iri(node)
    graph = rdflib.Graph().parse(iri, format=fmt) if fmt else rdflib.Graph().parse(iri)
    assert same_graph(via_ntriples(graph.serialize(format="nt")), stored_triples(node, iri))


def test_rdflibs_equal_weight_accept_gets_turtle(node):
    accept = ", ".join(p.name for p in rdflib.plugin.plugins(kind=rdflib.parser.Parser) if "/" in p.name)
    answer = node.http.get(case_iri(node), headers={"Accept": accept})
    assert answer.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("accept", ["application/ld+json;q=0, */*", "application/ld+json;q=0,text/*"])
def test_q0_on_json_ld_is_not_overridden_by_a_wildcard(node, accept):
    answer = node.http.get(case_iri(node), headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/turtle")
    assert node.http.get(case_iri(node), headers={"Accept": "application/ld+json;q=0"}).status_code == 406


def test_pyld_expands_a_case_from_its_iri_with_its_default_loader(node):
    iri = case_iri(node, 1)
    expanded = jsonld.expand(iri)  # pyld's own default loader (requests), no options
    assert expanded and all(iri_ for node_ in expanded if (iri_ := node_.get("@id")))
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    assert same_graph(via_ntriples(nquads), stored_triples(node, iri))


def test_plain_json_names_its_context_in_a_link_header_that_pyld_follows(node):
    iri = case_iri(node)
    answer = node.http.get(iri, headers={"Accept": "application/json"})
    assert answer.headers["content-type"] == "application/json"
    assert "@context" not in answer.json()
    link = answer.headers["link"]
    assert f"<{node.settings.base_url}context/v1>" in link and f'rel="{CONTEXT_REL}"' in link
    assert "Link" in answer.headers["access-control-expose-headers"]
    assert node.http.get(iri).headers.get("link") is None  # JSON-LD ignores the header: not sent
    loader = RequestsDocumentLoader(headers={"Accept": "application/json"}, timeout=10)
    expanded = jsonld.expand(iri, {"documentLoader": loader})
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    assert same_graph(via_ntriples(nquads), stored_triples(node, iri))


def test_the_context_is_served_for_cross_origin_clients(node):
    answer = node.http.get("/context/v1", headers={"Origin": "https://app.example"})
    assert answer.content == context_bytes()
    assert answer.headers["content-type"] == "application/ld+json"
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["etag"]


def test_a_case_read_from_its_iri_can_be_written_back_unchanged(writer_node):
    """The inlined context is the shared one, so a publisher's GET-edit-PUT round trip still works."""
    created = writer_node.post(writer_case()).json()
    public = writer_node.anonymous.get(f"case/{created['slug']}", headers={"Accept": "application/ld+json"})
    assert isinstance(public.json()["@context"], dict)
    again = writer_node.put(created["slug"], public.json(), public.headers["etag"])
    assert again.status_code == 200, again.text
    assert again.json()["changed"] is False
    assert again.json()["document"]["@context"] == "https://w3id.org/stafett/context/v1"


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/trig;q=0, */*", "application/n-quads"),
        ("application/n-quads, application/trig, application/ld+json", "application/trig"),
    ],
)
def test_the_feed_reads_accept_the_same_way(node, accept, expected):
    answer = node.http.get("/feed", headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(expected)
