"""What a code or an IRI is called, in the reader's language, from the vocabulary's SKOS labels.

A person never sees a bare IRI or a raw code: every concept the pages show (sector, country,
status, CPV, places, document types, ...) is looked up here in the schemes the vocabulary ships
(vocabulary/concepts, vocabulary/reference). Missing in the reader's language: Norwegian bokmål
for nynorsk, then English, then any label. Parsing the tables is slow (CPV alone is 9,454
concepts), so it happens once, on first use.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from stafett import vocabulary
from stafett.vocabulary.languages import LANGUAGE_BASE, TAG_TO_CODE
from stafett.vocabulary.terms import RDFS, SKOS, term

PREF_LABEL = term(SKOS, "prefLabel")
RDFS_LABEL = term(RDFS, "label")


@cache
def all_labels() -> dict[str, dict[str, str]]:
    """skos:prefLabel per concept IRI and language tag, for every scheme the vocabulary ships."""
    labels: dict[str, dict[str, str]] = {}
    for quad in (*vocabulary.concept_quads(), *vocabulary.reference_quads()):
        if quad.predicate != PREF_LABEL or not isinstance(quad.object, ox.Literal):
            continue
        if isinstance(quad.subject, ox.NamedNode):
            labels.setdefault(quad.subject.value, {})[quad.object.language or ""] = quad.object.value
    return labels


def fallbacks(lang: str) -> tuple[str, ...]:
    return (lang, "nb", "en") if lang == "nn" else (lang, "en")


def in_language(names: dict[str, str], lang: str) -> tuple[str, str] | None:
    """(text, its language tag) of the best of `names` (tag -> text) for the reader; None when empty."""
    for candidate in fallbacks(lang):
        if candidate in names:
            return names[candidate], candidate
    for tag, text in sorted(names.items()):
        return text, tag
    return None


def concept_label(iri: str, lang: str) -> str | None:
    """The concept's label for the reader, or None when the vocabulary does not know the IRI."""
    found = in_language(all_labels().get(iri, {}), lang)
    return found[0] if found else None


def scheme_label(key: str, code: str, lang: str) -> str | None:
    """The label of a code written under a concept-valued JSON key (`sector`, `country`, ...)."""
    if key not in vocabulary.SCHEMES:
        return None
    return concept_label(vocabulary.concept_iri(key, code), lang)


def language_name(tag: str, lang: str) -> str:
    """A language tag's name in the reader's language ("sv" -> "svenska" for a Swedish reader)."""
    code = TAG_TO_CODE.get(tag.split("-")[0].lower())
    found = concept_label(LANGUAGE_BASE + code, lang) if code else None
    return found or tag


def autonym(tag: str) -> str:
    """A language's name in itself, capitalised, for the language switch ("Svenska", "Suomi")."""
    name = language_name(tag, tag)
    return name[:1].upper() + name[1:]


@cache
def property_labels() -> dict[str, dict[str, str]]:
    """rdfs:label per `stf:` term's local name and language, from the ontology."""
    labels: dict[str, dict[str, str]] = {}
    for quad in vocabulary.ontology_quads():
        subject, found = quad.subject, quad.object
        if quad.predicate != RDFS_LABEL or not isinstance(found, ox.Literal):
            continue
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(vocabulary.STF):
            labels.setdefault(subject.value[len(vocabulary.STF) :], {})[found.language or ""] = found.value
    return labels


def property_label(local: str, lang: str) -> str | None:
    """The ontology's name of a `stf:` property (a facet named as its JSON key), capitalised."""
    found = in_language(property_labels().get(local, {}), lang)
    return found[0][:1].upper() + found[0][1:] if found else None
