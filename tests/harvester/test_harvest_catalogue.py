"""The registry's description at `/` passes the official DCAT-AP 3.0.1 shapes in every format."""

import pathlib

import httpx
import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from harvest_support import FeedServer, case_doc, served_registry

from stafett.harvester.sources import Source

DCAT_AP = pathlib.Path(__file__).resolve().parents[1] / "reference" / "dcat-ap-3.0.1"
SH = "http://www.w3.org/ns/shacl#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = {
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    node = FeedServer()
    node.publish("Create", case_doc(node.base, "c0"))
    registry, server = served_registry(
        tmp_path_factory.mktemp("reg"),
        "reg",
        [Source("n", node.base, (node.base,))],
        publisher_name="Nordiska registret",
        title="Nordic registry",
    )
    registry.harvest()
    yield registry, httpx.Client(base_url=registry.settings.base_url, timeout=10)
    server.stop()
    registry.close()
    node.stop()


@pytest.fixture(scope="module")
def dcat_ap_shapes() -> rdflib.Graph:
    shapes = rdflib.Graph()
    shapes.parse(DCAT_AP / "dcat-ap-SHACL.ttl")
    shapes.parse(DCAT_AP / "ranges.ttl")
    # ranges.ttl 3.0.1 lists five property shapes it never defines; pySHACL refuses the whole
    # shapes graph for them, so drop the dangling references (they constrain nothing).
    for triple in list(shapes.triples((None, rdflib.URIRef(SH + "property"), None))):
        if (triple[2], None, None) not in shapes:
            shapes.remove(triple)
    return shapes


@pytest.mark.parametrize("media", list(FORMATS))
def test_description_conforms_to_dcat_ap_3_in_every_format(served, dcat_ap_shapes, media):
    _registry, http = served
    answer = http.get("", headers={"Accept": media})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    data = rdflib.Dataset()
    data.parse(data=answer.content, format=FORMATS[media])
    graph = rdflib.Graph()
    for s, p, o, _g in data.quads():
        graph.add((s, p, o))
    assert (None, rdflib.RDF.type, rdflib.URIRef(DCAT + "Catalog")) in graph
    conforms, report, text = pyshacl.validate(graph, shacl_graph=dcat_ap_shapes, inference="none")
    assert conforms, text
    assert not list(report.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")))  # no warnings


def test_description_names_publisher_and_the_sparql_service(served):
    registry, http = served
    base = registry.settings.base_url
    answer = http.get("", headers={"Accept": "application/n-quads"})
    triples = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in ox.parse(answer.content, ox.RdfFormat.N_QUADS)
    }
    assert (base, DCT + "publisher", base + "#publisher") in triples
    assert (base + "#publisher", "http://xmlns.com/foaf/0.1/name", "Nordiska registret") in triples
    assert (base, DCT + "description", registry.settings.description) in triples
    service = base + "#sparql-service"
    assert (base, DCAT + "service", service) in triples
    assert (service, RDF_TYPE, DCAT + "DataService") in triples
    assert (service, DCAT + "endpointURL", base + "sparql") in triples
    assert (service, DCAT + "servesDataset", base + "#cases") in triples
    assert (service, DCT + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/") in triples
    assert not [t for t in triples if t[0] == base and t[1] == DCAT + "endpointURL"]  # not on the Catalog
