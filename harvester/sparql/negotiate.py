"""Which serialisation to answer with: a usable format hint wins, then the Accept header.

Clients name the format two ways. The Accept header is read as RFC 9110 says (stafett.headers:
the most specific range decides a type's q; equal q: this endpoint's order). The `format`,
`output` and `results` parameters are hints, as SPARQLWrapper sends all three: a hint that
names a format this query form has wins (so a pasted `?format=csv` link works in a browser);
one that does not (csv for CONSTRUCT, n3 for SELECT) is set aside when the Accept header names a
type the form can be written as. Browsers send `text/html,...,*/*;q=0.8`, so a bare wildcard
gets the form's default (SPARQL JSON for SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE).
406 only when neither the hints nor a named Accept type can be met, with the list of what can.
"""

from __future__ import annotations

from stafett.headers import quality_of
from stafett.problems import Problem, refusal

# Per query form: accepted media types (and aliases) -> our format key; the first is the default.
FORMATS = {
    "select": {
        "application/sparql-results+json": "json",
        "application/json": "json",
        "application/sparql-results+xml": "xml",
        "application/xml": "xml",
        "text/xml": "xml",
        "text/csv": "csv",
        "text/tab-separated-values": "tsv",
    },
    "ask": {
        "application/sparql-results+json": "json",
        "application/json": "json",
        "application/sparql-results+xml": "xml",
        "application/xml": "xml",
        "text/xml": "xml",
    },
    "graph": {
        "text/turtle": "turtle",
        "application/x-turtle": "turtle",
        "application/turtle": "turtle",
        "text/n3": "turtle",
        "text/rdf+n3": "turtle",
        "application/n3": "turtle",
        "application/n-triples": "ntriples",
        "text/plain": "ntriples",
        "application/ld+json": "jsonld",
        "application/x-json+ld": "jsonld",
        "application/json": "jsonld",
        "application/rdf+xml": "rdfxml",
        "application/xml": "rdfxml",
    },
    "description": {
        "text/turtle": "turtle",
        "application/ld+json": "jsonld",
        "application/json": "jsonld",
        "application/n-triples": "ntriples",
        "application/rdf+xml": "rdfxml",
    },
}
# Results types a client asks for by habit with graph queries (rdflib's SPARQLStore sends only
# application/sparql-results+json for returnFormat "json"): answered with the graph form of that
# format, but only when Accept names no graph type at all (RFC 9110 lets a server disregard Accept
# rather than answer 406).
HABITS = {"graph": {"application/sparql-results+json": "jsonld", "application/sparql-results+xml": "rdfxml"}}
# Short names for the format hints (what people type in an address bar, what clients send).
FORMAT_NAMES = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",
    "ntriples": "ntriples",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "ld+json": "jsonld",
    "rdfxml": "rdfxml",
    "rdf+xml": "rdfxml",
    "rdf": "rdfxml",
}
# What the short names mean for graph results.
GRAPH_ALIASES = {"json": "jsonld", "xml": "rdfxml"}
HINT_PARAMETERS = ("format", "output", "results")


def format_hints(params: dict[str, list[str]]) -> list[str]:
    """Every format hint of a request, in parameter order (SPARQLWrapper repeats one per name)."""
    return [value for name in HINT_PARAMETERS for value in params.get(name, []) if value.strip()]


def choose(form: str, hints: list[str], accept: str | None) -> str:
    """The format key for a query `form` ("select" | "ask" | "graph" | "description")."""
    table = FORMATS[form]
    keys = list(dict.fromkeys(table.values()))
    for hint in hints:
        key = _hinted(form, hint)
        if key:
            return key
    key, named = _best_key(table, accept)
    if named:
        return key
    habit, habit_named = _best_key(HABITS.get(form, {}), accept)
    if habit_named:
        return habit
    if hints:
        raise _not_acceptable(form, "format=" + ",".join(hints), keys)
    if key is None:
        raise _not_acceptable(form, f"Accept: {accept}", keys)
    return key


def _best_key(table: dict[str, str], accept: str | None) -> tuple[str | None, bool]:
    """The format Accept prefers, and whether Accept named it (not just through `*/*`).

    A format is judged by the most specific range naming any of its media types, so
    `text/turtle;q=0, */*` excludes Turtle instead of letting `application/x-turtle` bring it back.
    """
    if not table:
        return None, False
    if not (accept or "").strip():
        return next(iter(table.values())), False
    judged: dict[str, tuple[float, int]] = {}
    for media, key in table.items():
        quality, specificity = quality_of(media, accept)
        seen = judged.get(key)
        if seen is None or (specificity, quality) > (seen[1], seen[0]):
            judged[key] = (quality, specificity)
    order = list(judged)
    ranked = [
        (quality, specificity > 0, -order.index(key), key)
        for key, (quality, specificity) in judged.items()
        if quality > 0
    ]
    if not ranked:
        return None, False
    _, named, _, key = max(ranked)
    return key, named


def _hinted(form: str, hint: str) -> str | None:
    """The format key one hint names for this form: a short name or a list of media types."""
    table = FORMATS[form]
    for wanted in (part.strip().lower().split(";")[0] for part in hint.split(",")):
        key = table.get(wanted) or FORMAT_NAMES.get(wanted)
        if form in ("graph", "description"):
            key = GRAPH_ALIASES.get(key, key)
        if key in table.values():
            return key
    return None


def _not_acceptable(form: str, asked: str, keys: list[str]) -> Problem:
    from stafett.harvester.sparql.results import MEDIA_TYPES

    offered = ", ".join(MEDIA_TYPES[k].split(";")[0] for k in keys)
    kind = {
        "select": "a SELECT query",
        "ask": "an ASK query",
        "graph": "a CONSTRUCT or DESCRIBE query",
        "description": "the service description",
    }[form]
    detail = (
        f"This endpoint cannot write {kind} in the format asked for ({asked[:200]}). "
        f"Ask for one of: {offered} (or use the format parameter: {', '.join(keys)})."
    )
    return refusal(406, "not-acceptable", "No acceptable result format", detail, rule="content-negotiation")
