"""The shared JSON-LD context read backwards: predicate IRI -> the term a publisher writes.

Used to name nested objects (`<case>#buyer-1`), to compact stored graphs back into the case
document form (nodes, and the registry's JSON-LD export), and to name fields in findings. Derived
from the context file, never copied. stafett.node.vocab re-exports it for the node's modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from stafett.vocabulary.jsonld import context_document
from stafett.vocabulary.terms import DCAT_VERSION, DCT_ISSUED, DCT_MODIFIED, DCT_PUBLISHER

NODE_SET_PREDICATES = frozenset({DCT_PUBLISHER, DCT_ISSUED, DCT_MODIFIED, DCAT_VERSION})
NODE_SET_FIELDS = ("id", "publisher", "issued", "modified", "version")


@dataclass(frozen=True)
class Term:
    name: str
    iri: str
    language_map: bool = False  # "@container": "@language"
    is_set: bool = False  # "@container" includes "@set"
    coerce_id: bool = False  # "@type": "@id"
    vocab: str | None = None  # "@type": "@vocab" with a scoped "@vocab" prefix
    datatype: str | None = None  # "@type": "xsd:..." (expanded)


def expand(curie: str, prefixes: dict[str, str]) -> str:
    prefix, sep, local = curie.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return curie


@cache
def context_terms() -> tuple[dict[str, Term], dict[str, str]]:
    """(terms by name, class IRIs -> class term)."""
    ctx = context_document()["@context"]
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    terms: dict[str, Term] = {}
    classes: dict[str, str] = {}
    for name, definition in ctx.items():
        if name.startswith("@") or name in prefixes or name in ("id", "type"):
            continue
        if isinstance(definition, str):
            classes[expand(definition, prefixes)] = name
            continue
        container = definition.get("@container", [])
        container = [container] if isinstance(container, str) else container
        kind = definition.get("@type")
        vocab = definition.get("@context", {}).get("@vocab") if kind == "@vocab" else None
        terms[name] = Term(
            name,
            expand(definition["@id"], prefixes),
            "@language" in container,
            "@set" in container,
            kind == "@id",
            vocab,
            expand(kind, prefixes) if kind and not kind.startswith("@") else None,
        )
    return terms, classes


@cache
def terms_by_iri() -> dict[str, Term]:
    return {t.iri: t for t in context_terms()[0].values()}


def term_for(predicate: ox.NamedNode) -> str | None:
    term = terms_by_iri().get(predicate.value)
    return term.name if term else None


SET_TERMS = frozenset(name for name, t in context_terms()[0].items() if t.is_set)
