"""The node description at `/` is a DCAT-AP 3.0.1 catalogue, in every offered format."""

import pathlib

import pyoxigraph as ox
import pytest
import rdflib
import test_read_support as support

HERE = pathlib.Path(__file__).resolve().parent
DCAT_AP = HERE.parent / "reference" / "dcat-ap-3.0.1"  # copied unchanged, see its README
SH_PROPERTY = rdflib.URIRef("http://www.w3.org/ns/shacl#property")
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture(scope="module")
def node():
    with support.running_node(languages=("sv", "en", "fi")) as node:
        for path in support.example_files()[:3]:
            node.publish_example(path)
        yield node


def dcat_ap_shapes() -> rdflib.Graph:
    shapes = rdflib.Graph()
    shapes.parse(DCAT_AP / "dcat-ap-SHACL.ttl")
    shapes.parse(DCAT_AP / "ranges.ttl")
    # ranges.ttl 3.0.1 lists five property shapes it never defines; pySHACL refuses the whole
    # shapes graph for them, so drop the dangling references (they constrain nothing).
    for triple in list(shapes.triples((None, SH_PROPERTY, None))):
        if (triple[2], None, None) not in shapes:
            shapes.remove(triple)
    return shapes


def test_catalogue_conforms_to_dcat_ap_3(node):
    import pyshacl

    answer = node.http.get("/", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    data = rdflib.Graph().parse(data=answer.text, format="turtle")
    conforms, report, text = pyshacl.validate(data, shacl_graph=dcat_ap_shapes(), inference="none")
    assert conforms, text
    result = rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult")
    assert not list(report.subjects(rdflib.RDF.type, result))  # not even warnings


def test_catalogue_describes_node_dataset_distributions_and_feed(node):
    answer = node.http.get("/", headers={"Accept": "application/n-triples"})
    triples = {
        (t.subject.value, t.predicate.value, getattr(t.object, "value", None))
        for t in ox.parse(answer.content, ox.RdfFormat.N_TRIPLES)
    }
    base = node.base
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert (base, rdf_type, DCAT + "Catalog") in triples
    assert (base, "http://purl.org/dc/terms/publisher", node.settings.publisher_iri) in triples
    languages = {o for s, p, o in triples if s == base and p == "http://purl.org/dc/terms/language"}
    assert languages == {
        "http://publications.europa.eu/resource/authority/language/" + c for c in ("SWE", "ENG", "FIN")
    }
    titles = {o for s, p, o in triples if s == base and p == "http://purl.org/dc/terms/title"}
    assert len(titles) == 3  # one per node language
    access = {o for s, p, o in triples if p == DCAT + "accessURL"}
    assert access == {base + "cases", base + "feed"}
    assert (f"{base}#feed-service", DCAT + "endpointURL", base + "feed") in triples
    assert (
        f"{base}#cases",
        "http://purl.org/dc/terms/conformsTo",
        "https://w3id.org/stafett/context/v1",
    ) in triples
    shapes = f"{base}shapes/case-shapes.ttl"
    assert (f"{base}#cases", "http://purl.org/dc/terms/conformsTo", shapes) in triples
    for url in (*access, shapes):  # every advertised resource answers
        assert node.http.get(url).status_code == 200


@pytest.mark.parametrize(
    "accept, rdf_format",
    [
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_every_format_gives_the_same_graph_with_rdflib_and_pyoxigraph(node, accept, rdf_format):
    answer = node.http.get("/", headers={"Accept": accept})
    assert answer.headers["content-type"].startswith(accept)
    assert "Accept" in answer.headers["vary"] and answer.headers["access-control-allow-origin"] == "*"
    ours = ox.Dataset(ox.parse(answer.content, rdf_format))
    reference = ox.Dataset(
        ox.parse(
            node.http.get("/", headers={"Accept": "application/n-triples"}).content, ox.RdfFormat.N_TRIPLES
        )
    )
    assert ours == reference
    rdflib_format = {
        "application/ld+json": "json-ld",
        "text/turtle": "turtle",
        "application/n-triples": "nt",
    }[accept]
    theirs = rdflib.Graph().parse(data=answer.content, format=rdflib_format)
    assert len(theirs) == len(reference)


def test_catalogue_page_for_browsers_in_their_language(node):
    answer = node.http.get("/", headers={"Accept": "text/html,*/*;q=0.8", "Accept-Language": "fi"})
    assert answer.headers["content-type"].startswith("text/html")
    assert 'lang="fi"' in answer.text and "Muutosvirta" in answer.text
    assert "212000-0688" in answer.text and 'href="mailto:registrator@vaxjo.example"' in answer.text
    etag = answer.headers["etag"]
    again = node.http.get(
        "/", headers={"Accept": "text/html", "Accept-Language": "fi", "If-None-Match": etag}
    )
    assert again.status_code == 304
