"""SPARQL 1.1 Service Description of the endpoint (GET /sparql without a query)."""

from __future__ import annotations

import pyoxigraph as ox

from stafett.harvester.sparql.results import RDF_FORMATS
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.vocabulary.terms import DCT_TITLE, FORMATS, RDF_TYPE, RDFS, SD, term

RDFS_COMMENT = term(RDFS, "comment")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def _sd(name: str) -> ox.NamedNode:
    return term(SD, name)


def description_triples(endpoint: str, settings: SparqlSettings) -> list[ox.Triple]:
    service, dataset, default_graph = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, DCT_TITLE, ox.Literal("Stafett registry SPARQL endpoint", language="en")),
        ox.Triple(
            service, _sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(service, RDFS_COMMENT, ox.Literal(_limits_text(settings), language="en")),
    ]
    triples += [
        ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + name)) for name in RESULT_FORMATS
    ]
    return triples


def _limits_text(settings: SparqlSettings) -> str:
    return (
        f"Read-only: SPARQL 1.1 queries only; updates, LOAD and SERVICE are refused. The default "
        f"graph is the union of all named graphs (one per case). Each query is stopped after "
        f"{settings.timeout_seconds:g} s (503); at most {settings.max_rows} rows or triples are "
        f"returned, more are cut and flagged by the header Stafett-Results-Truncated: true; "
        f"queries up to {settings.max_query_chars} characters, bodies up to {settings.max_body_bytes} "
        f"bytes (413); {settings.workers} queries run at once and {settings.queue_size} may wait (429)."
    )


def describe(endpoint: str, settings: SparqlSettings, fmt: str) -> bytes:
    prefixes = {"sd": SD, "formats": FORMATS} if fmt == "turtle" else None
    kwargs = {"prefixes": prefixes} if prefixes else {}
    return ox.serialize(description_triples(endpoint, settings), format=RDF_FORMATS[fmt], **kwargs)
