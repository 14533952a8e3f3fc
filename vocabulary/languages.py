"""The language of a case derived from its texts' language tags (vocabulary 1.1).

`language` (dct:language) is optional since 1.1: a publisher who writes `"title": {"sv": …}` has
already said the case is in Swedish. The node adds the derived EU language codes when a case
states none (node/publish.py `stamp`), so registries and queries see the same as before.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from stafett.vocabulary.terms import DCT, EU_AUTHORITY, term

LANGUAGE_BASE = EU_AUTHORITY + "language/"
DCT_LANGUAGE = term(DCT, "language")
# Primary subtag of a language tag (shapes/spec.py TEXT_LANGUAGES) -> EU language table code: the one
# map, also used by the node catalogue and the OCDS import.
TAG_TO_CODE = {
    "sv": "SWE",
    "nb": "NOB",
    "nn": "NNO",
    "no": "NOR",
    "da": "DAN",
    "fi": "FIN",
    "is": "ISL",
    "en": "ENG",
    "se": "SME",
}


def derived_languages(triples: Iterable[ox.Triple], case: ox.NamedNode) -> list[ox.NamedNode]:
    """EU language IRIs of the tags on the case's own texts (title, summary, need, ...; not the names
    of organisations, which are in their own language), first-seen order (sorted input: stable)."""
    tags = (primary(t.object) for t in triples if t.subject == case)
    codes = dict.fromkeys(TAG_TO_CODE[tag] for tag in tags if tag in TAG_TO_CODE)
    return [ox.NamedNode(LANGUAGE_BASE + code) for code in codes]


def primary(term) -> str | None:
    language = getattr(term, "language", None) if isinstance(term, ox.Literal) else None
    return language.split("-")[0].lower() if language else None


def with_derived_language(triples: list[ox.Triple], case: ox.NamedNode) -> list[ox.Triple]:
    """`triples` plus dct:language for each derived language, when the case states none."""
    if any(t.subject == case and t.predicate == DCT_LANGUAGE for t in triples):
        return triples
    derived = derived_languages(sorted(triples, key=str), case)
    return triples + [ox.Triple(case, DCT_LANGUAGE, iri) for iri in derived]
