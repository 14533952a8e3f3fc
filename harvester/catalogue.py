"""The registry's description at `/`: a DCAT-AP 3.0.1 catalogue of what it holds and serves.

One dcat:Catalog (the registry) with a title, a description and a publisher (a foaf:Agent from
the settings `publisher_name` / `publisher_iri`), holding one dcat:Dataset (the cases it has
harvested, distributed through its LDES feed) and one dcat:DataService (the SPARQL endpoint,
`dcat:endpointURL <base>sparql`, serving that dataset, conforming to SPARQL 1.1 Protocol). The
stream description (`<base>feed#stream`, its `tree:view`) stays in the graph so another registry
discovers the feed from `/`. Conformance with the official shapes is checked by
tests/harvester/test_harvest_catalogue.py in every format served.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from stafett.harvester import terms as t
from stafett.harvester.reports import source_iri

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

FOAF = "http://xmlns.com/foaf/0.1/"
RDFS_RESOURCE = t.n("http://www.w3.org/2000/01/rdf-schema#Resource")
DCT_STANDARD = t.n(t.DCT + "Standard")
DCT_MEDIA_TYPE = t.n(t.DCT + "MediaType")
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
LDES_SPEC = "https://w3id.org/ldes/specification"
TRIG = "https://www.iana.org/assignments/media-types/application/trig"


def text(value: str) -> ox.Literal:
    return ox.Literal(value, language="en")


def catalogue_quads(registry: Registry, stream_quads: list[ox.Quad]) -> list[ox.Quad]:
    settings = registry.settings
    base = settings.base_url
    me, dataset = ox.NamedNode(base), ox.NamedNode(base + "#cases")
    publisher = ox.NamedNode(settings.publisher_iri or base + "#publisher")
    service, distribution = ox.NamedNode(base + "#sparql-service"), ox.NamedNode(base + "#cases-feed")
    sparql, feed = ox.NamedNode(base + "sparql"), ox.NamedNode(base + "feed")
    dcat = lambda local: t.n(t.DCAT + local)  # noqa: E731 - reads like the prefix it stands for
    dct = lambda local: t.n(t.DCT + local)  # noqa: E731
    # DCAT-AP's range shapes want the class of every linked resource stated, even rdfs:Resource.
    typed = [
        (publisher, t.n(FOAF + "Agent")), (sparql, RDFS_RESOURCE), (feed, RDFS_RESOURCE),
        (ox.NamedNode(SPARQL_PROTOCOL), DCT_STANDARD), (ox.NamedNode(LDES_SPEC), DCT_STANDARD),
        (ox.NamedNode(TRIG), DCT_MEDIA_TYPE),
    ]
    triples = [
        (me, t.RDF_TYPE, dcat("Catalog")),
        (me, t.DCT_TITLE, text(settings.title)),
        (me, dct("description"), text(settings.description)),
        (me, t.DCT_PUBLISHER, publisher),
        (me, dcat("dataset"), dataset),
        (me, dcat("service"), service),
        (publisher, t.n(FOAF + "name"), text(settings.publisher_name or settings.title)),
        (dataset, t.RDF_TYPE, dcat("Dataset")),
        (dataset, t.DCT_TITLE, text(f"Cases held by {settings.title}")),
        (dataset, dct("description"), text(settings.description)),
        (dataset, t.DCT_PUBLISHER, publisher),
        (dataset, dcat("distribution"), distribution),
        (distribution, t.RDF_TYPE, dcat("Distribution")),
        (distribution, t.DCT_TITLE, text("Change feed (LDES, TriG)")),
        (distribution, dcat("accessURL"), feed),
        (distribution, dcat("mediaType"), ox.NamedNode(TRIG)),
        (distribution, dct("conformsTo"), ox.NamedNode(LDES_SPEC)),
        (service, t.RDF_TYPE, dcat("DataService")),
        (service, t.DCT_TITLE, text(f"SPARQL endpoint of {settings.title}")),
        (service, dcat("endpointURL"), sparql),
        (service, dcat("servesDataset"), dataset),
        (service, dct("conformsTo"), ox.NamedNode(SPARQL_PROTOCOL)),
        *((node, t.RDF_TYPE, kind) for node, kind in typed),
    ]
    quads = [ox.Quad(s, p, o) for s, p, o in triples]
    quads += [ox.Quad(me, t.DCT_SOURCE, ox.NamedNode(source_iri(base, s.name))) for s in registry.sources]
    return quads + stream_quads
