"""Which serialisation to answer with: the `format` parameter wins, then the Accept header.

Browsers send `text/html,...,*/*;q=0.8`, so a wildcard picks the form's default (SPARQL JSON for
SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE). An Accept header that names only formats this
endpoint cannot write is answered 406 with the list of what it can.
"""

from __future__ import annotations

from stafett.headers import weighted_values
from stafett.problems import Finding, Problem

# Per query form: accepted media types (and aliases) -> our format key; the first is the default.
FORMATS = {
    "select": {"application/sparql-results+json": "json", "application/json": "json",
               "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
               "text/csv": "csv", "text/tab-separated-values": "tsv"},
    "ask": {"application/sparql-results+json": "json", "application/json": "json",
            "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml"},
    "graph": {"text/turtle": "turtle", "application/x-turtle": "turtle",
              "application/n-triples": "ntriples", "text/plain": "ntriples",
              "application/ld+json": "jsonld", "application/json": "jsonld",
              "application/rdf+xml": "rdfxml", "application/xml": "rdfxml"},
    "description": {"text/turtle": "turtle", "application/ld+json": "jsonld",
                    "application/json": "jsonld", "application/n-triples": "ntriples",
                    "application/rdf+xml": "rdfxml"},
}
# Short names for the `format` parameter (what people type in a browser's address bar).
FORMAT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle",
                "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples",
                "jsonld": "jsonld", "json-ld": "jsonld", "rdfxml": "rdfxml", "rdf": "rdfxml"}
# What the `format` short names mean for graph results.
GRAPH_ALIASES = {"json": "jsonld", "xml": "rdfxml"}


def choose(form: str, format_param: str | None, accept: str | None) -> str:
    """The format key for a query `form` ("select" | "ask" | "graph" | "description")."""
    table = FORMATS[form]
    keys = list(dict.fromkeys(table.values()))
    if format_param:
        wanted = format_param.strip().lower()
        key = table.get(wanted) or FORMAT_NAMES.get(wanted)
        if form in ("graph", "description"):
            key = GRAPH_ALIASES.get(key, key)
        if key in keys:
            return key
        raise _not_acceptable(form, f"format={format_param}", keys)
    if not accept:
        return keys[0]
    for media, _ in weighted_values(accept):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*") or (media.endswith("/*") and any(
                m.startswith(media[:-1]) for m in table)):
            prefix = media[:-1] if media != "*/*" else ""
            return next((table[m] for m in table if m.startswith(prefix)), keys[0])
    raise _not_acceptable(form, f"Accept: {accept}", keys)


def _not_acceptable(form: str, asked: str, keys: list[str]) -> Problem:
    from stafett.harvester.sparql.results import MEDIA_TYPES

    offered = ", ".join(MEDIA_TYPES[k].split(";")[0] for k in keys)
    detail = (f"This endpoint cannot answer this kind of query in the format asked for ({asked[:200]}). "
              f"Ask for one of: {offered} (or use the format parameter: {', '.join(keys)}).")
    return Problem(406, "not-acceptable", "No acceptable result format", detail,
                   [Finding("Violation", detail, rule="content-negotiation")])
