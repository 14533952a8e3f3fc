"""Shared helpers for the vocabulary tests: graph lookups over the shipped vocabulary files."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

from stafett.vocabulary.jsonld import context_document

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "tests" / "reference"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SEVEN = {"en", "sv", "nb", "nn", "da", "fi", "is"}


def index(quads) -> dict:
    """subject -> predicate -> list of (value, language or None)."""
    out: dict = defaultdict(lambda: defaultdict(list))
    for q in quads:
        out[q.subject.value][q.predicate.value].append((q.object.value, getattr(q.object, "language", None)))
    return out


def context() -> dict:
    return context_document()["@context"]


def term_definitions() -> dict:
    """Context terms (not keywords, not namespace prefixes) -> their definition."""
    ctx = context()
    return {
        k: v
        for k, v in ctx.items()
        if not k.startswith("@") and not (isinstance(v, str) and v.endswith(("/", "#")))
    }


def expand(term: str) -> str:
    ctx = context()
    prefix, _, local = term.partition(":")
    if isinstance(ctx.get(prefix), str) and not local.startswith("//"):
        return ctx[prefix] + local
    return term


def term_iri(definition) -> str:
    return expand(definition if isinstance(definition, str) else definition["@id"])


@cache
def epo_declared() -> frozenset[str]:
    """IRIs declared (given an rdf:type) in ePO 4.2.0 core (the copy in tests/reference)."""
    import pyoxigraph as ox

    path = REFERENCE / "epo-4.2.0" / "ePO_core.ttl"
    return frozenset(
        q.subject.value
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if q.predicate.value == RDF_TYPE
    )
