"""The registry's description at `/`: a DCAT-AP 3.0.1 catalogue of what it holds and serves.

One dcat:Catalog (the registry) with a title, a description and a publisher (a foaf:Agent from
the settings `publisher_name` / `publisher_iri`), holding one dcat:Dataset (the cases it has
harvested, distributed through its LDES feed) and one dcat:DataService (the SPARQL endpoint,
`dcat:endpointURL <base>sparql`, serving that dataset, conforming to SPARQL 1.1 Protocol). The
stream description (`<base>feed#stream`, its `tree:view`) stays in the graph so another registry
discovers the feed from `/`. Conformance with the official shapes is checked by
tests/harvester/test_harvest_catalogue.py in every format served. A browser asking for HTML is
sent to the search page (in the app, harvester/web/search_page.py serves it at `/` itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from stafett.harvester.api.responses import SHORT, negotiate, rdf_response, read_route
from stafett.harvester.reports import source_iri
from stafett.ldes import FEED_FORMATS
from stafett.vocabulary.terms import (
    DCAT,
    DCT,
    DCT_PUBLISHER,
    DCT_SOURCE,
    DCT_TITLE,
    FOAF,
    RDF_TYPE,
    RDFS,
    term,
)

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

RDFS_RESOURCE = term(RDFS, "Resource")
DCT_STANDARD = term(DCT, "Standard")
DCT_MEDIA_TYPE = term(DCT, "MediaType")
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
LDES_SPEC = "https://w3id.org/ldes/specification"
TRIG = "https://www.iana.org/assignments/media-types/application/trig"
# The description has no named graphs, so the triple formats DCAT tools expect serve it too.
DESCRIPTION_RDF = {
    **FEED_FORMATS,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
DESCRIPTION_FORMATS = [*DESCRIPTION_RDF, "text/html"]  # text/html: people get the search page


def text(value: str) -> ox.Literal:
    return ox.Literal(value, language="en")


def catalogue_quads(registry: Registry, stream_quads: list[ox.Quad]) -> list[ox.Quad]:
    settings = registry.settings
    base = settings.base_url
    me, dataset = ox.NamedNode(base), ox.NamedNode(base + "#cases")
    publisher = ox.NamedNode(settings.publisher_iri or base + "#publisher")
    service, distribution = ox.NamedNode(base + "#sparql-service"), ox.NamedNode(base + "#cases-feed")
    sparql, feed = ox.NamedNode(base + "sparql"), ox.NamedNode(base + "feed")
    dcat = lambda local: term(DCAT, local)  # noqa: E731 - reads like the prefix it stands for
    dct = lambda local: term(DCT, local)  # noqa: E731
    # DCAT-AP's range shapes want the class of every linked resource stated, even rdfs:Resource.
    typed = [
        (publisher, term(FOAF, "Agent")),
        (sparql, RDFS_RESOURCE),
        (feed, RDFS_RESOURCE),
        (ox.NamedNode(SPARQL_PROTOCOL), DCT_STANDARD),
        (ox.NamedNode(LDES_SPEC), DCT_STANDARD),
        (ox.NamedNode(TRIG), DCT_MEDIA_TYPE),
    ]
    triples = [
        (me, RDF_TYPE, dcat("Catalog")),
        (me, DCT_TITLE, text(settings.title)),
        (me, dct("description"), text(settings.description)),
        (me, DCT_PUBLISHER, publisher),
        (me, dcat("dataset"), dataset),
        (me, dcat("service"), service),
        (publisher, term(FOAF, "name"), text(settings.publisher_name or settings.title)),
        (dataset, RDF_TYPE, dcat("Dataset")),
        (dataset, DCT_TITLE, text(f"Cases held by {settings.title}")),
        (dataset, dct("description"), text(settings.description)),
        (dataset, DCT_PUBLISHER, publisher),
        (dataset, dcat("distribution"), distribution),
        (distribution, RDF_TYPE, dcat("Distribution")),
        (distribution, DCT_TITLE, text("Change feed (LDES, TriG)")),
        (distribution, dcat("accessURL"), feed),
        (distribution, dcat("mediaType"), ox.NamedNode(TRIG)),
        (distribution, dct("conformsTo"), ox.NamedNode(LDES_SPEC)),
        (service, RDF_TYPE, dcat("DataService")),
        (service, DCT_TITLE, text(f"SPARQL endpoint of {settings.title}")),
        (service, dcat("endpointURL"), sparql),
        (service, dcat("servesDataset"), dataset),
        (service, dct("conformsTo"), ox.NamedNode(SPARQL_PROTOCOL)),
        *((node, RDF_TYPE, kind) for node, kind in typed),
    ]
    quads = [ox.Quad(s, p, o) for s, p, o in triples]
    quads += [ox.Quad(me, DCT_SOURCE, ox.NamedNode(source_iri(base, s.name))) for s in registry.sources]
    return quads + stream_quads


def routes(registry: Registry) -> list[Route]:
    def description(request: Request) -> Response:
        media = negotiate(request, DESCRIPTION_FORMATS)
        if media == "text/html":
            return RedirectResponse(registry.settings.base_url + "search", 303, headers={"Vary": "Accept"})
        quads = catalogue_quads(registry, registry.feed.stream_quads())
        return rdf_response(request, quads, SHORT, "the description", DESCRIPTION_RDF)

    return [read_route("/", description)]
