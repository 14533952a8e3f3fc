"""From words to concepts: the labels of the topic, sector and CPV schemes as the search analyses text.

Every skos:prefLabel and skos:altLabel of the topic and sector schemes, and every CPV prefLabel, is
analysed like a text of its language (the same stemmer as that language's index field, see
analysis.py) and then folded (å/ä/æ → a, ö/ø → o, diacritics off), so that "hemtjänsten" in a
Swedish text meets the label "hemtjänst" and "Hjemmeplejen" meets "hjemmepleje". Labels are kept per
index field, as tuples of terms: a text or a query is looked up by its runs of consecutive terms.

    matches("text_sv", "Hemtjänsten prövade digital nattillsyn")   # {Concept(topic, home-care), ...}
    label_of(concept, "da")                                          # "Hjemmepleje"

Two users: the harvester's suggested topics (harvester/suggest.py: topic labels in a case's own
text) and the search's concept expansion (query.py: a query word that is a label also finds the
cases tagged with the concept, whatever their language).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester.search.analysis import LANGUAGE_FIELDS, NEUTRAL, analyzer, field_for, fold
from stafett.vocabulary.terms import SKOS, term

PREF_LABEL, ALT_LABEL = term(SKOS, "prefLabel"), term(SKOS, "altLabel")
LONGEST = 6  # terms in the longest label looked up (longer CPV labels are never typed as a query)
COMPOUND_HEAD = 6  # a label of one term this long also matches as the end of a compound word
# Which schemes feed which use, and the facet (index field) a concept of each is found under.
SCHEME_FACETS = {vocabulary.SCHEMES["topic"]: "topic", vocabulary.SCHEMES["sector"]: "sector"}
CPV_SCHEME = vocabulary.SCHEMES["cpv"]
EXTRA_FOLDS = str.maketrans({"ø": "o", "Ø": "O", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ß": "ss"})


@dataclass(frozen=True, order=True)
class Concept:
    facet: str  # "topic" | "sector" | "cpv": the index field that holds its code
    code: str  # the skos:notation, as the index holds it

    @property
    def iri(self) -> str:
        return vocabulary.concept_iri(self.facet, self.code)


@lru_cache(maxsize=65536)  # words repeat: folding each once is most of a suggestion's cost
def folded_term(token: str) -> str:
    """A term as stemmed by its language, then folded the Nordic way and without diacritics."""
    plain = unicodedata.normalize("NFKD", fold(token).translate(EXTRA_FOLDS))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


@cache
def field_analyzer(field: str):
    stemmer = LANGUAGE_FIELDS.get(field)
    return analyzer(stemmer, folded=field in LANGUAGE_FIELDS and stemmer is None)


def terms(field: str, text: str) -> tuple[str, ...]:
    return tuple(folded_term(token) for token in field_analyzer(field).analyze(text))


@cache
def label_terms(field: str, text: str) -> tuple[str, ...]:
    """terms() of a label (a bounded set: about 60,000 label and field pairs), remembered."""
    return terms(field, text)


@cache
def scheme_labels() -> dict[Concept, list[tuple[str, str, bool]]]:
    """Concept -> its labels as (text, language, preferred), for topic, sector and CPV."""
    labels: dict[Concept, list[tuple[str, str, bool]]] = {}
    schemes = {scheme + "/": facet for scheme, facet in SCHEME_FACETS.items()} | {CPV_SCHEME + "/": "cpv"}
    for quad in (*vocabulary.concept_quads(), *vocabulary.reference_quads()):
        if quad.predicate not in (PREF_LABEL, ALT_LABEL) or not isinstance(quad.object, ox.Literal):
            continue
        base, _, code = quad.subject.value.rpartition("/")
        facet = schemes.get(base + "/")
        if facet is None or (facet == "cpv" and quad.predicate == ALT_LABEL):
            continue
        entry = (quad.object.value, quad.object.language or "", quad.predicate == PREF_LABEL)
        labels.setdefault(Concept(facet, code), []).append(entry)
    return labels


@cache
def label_index(facets: frozenset[str]) -> dict[str, dict[tuple[str, ...], frozenset[Concept]]]:
    """Index field -> analysed label -> the concepts it names, for the concepts of these facets.

    A label goes to the field of its language and (topics and sectors), analysed without a
    stemmer, to the neutral field, where untagged text looks for labels of every language."""
    index: dict[str, dict[tuple[str, ...], set[Concept]]] = {}
    for concept, labels in scheme_labels().items():
        if concept.facet not in facets:
            continue
        # CPV labels only in their language's field: only queries look for them, in every field.
        fields = {NEUTRAL} if concept.facet != "cpv" else set()
        for text, language, _ in labels:
            for field in {field_for(language), *fields}:
                analysed = label_terms(field, text)
                if 0 < len(analysed) <= LONGEST:
                    index.setdefault(field, {}).setdefault(analysed, set()).add(concept)
    return {f: {k: frozenset(v) for k, v in labels.items()} for f, labels in index.items()}


def matches(
    field: str, text: str, facets: Iterable[str] = ("topic",), *, compounds: bool = True
) -> dict[Concept, set[str]]:
    """The concepts whose labels occur in the text (analysed for `field`), each with the labels'
    terms found. With `compounds`, a one-term label of COMPOUND_HEAD or more letters also matches
    as the head of a compound ("skolbyggnader" ends with "byggnader"); shorter ones only whole."""
    labels = label_index(frozenset(facets)).get(field, {})
    words = terms(field, text)
    found: dict[Concept, set[str]] = {}
    for start in range(len(words)):
        for end in range(start + 1, min(start + LONGEST, len(words)) + 1):
            for concept in labels.get(words[start:end], ()):
                found.setdefault(concept, set()).add(" ".join(words[start:end]))
        word = words[start]
        for cut in range(1, len(word) - COMPOUND_HEAD + 1 if compounds else 1):
            for concept in labels.get((word[cut:],), ()):
                found.setdefault(concept, set()).add(word[cut:])
    return found


def label_of(concept: Concept, lang: str) -> str:
    """The concept's preferred label in the reader's language, else Bokmål for Nynorsk, else English."""
    preferred = {language: text for text, language, pref in scheme_labels().get(concept, []) if pref}
    for candidate in (lang, "nb" if lang == "nn" else lang, "en"):
        if candidate in preferred:
            return preferred[candidate]
    return next(iter(preferred.values()), concept.code)


def matched_labels(concept: Concept, field: str, found: set[str]) -> list[tuple[str, str]]:
    """The labels (text and language, as the scheme writes them) whose analysed form was found in
    `field` (a one-term label found as the head of a compound included): what a suggestion cites."""
    return [
        (text, language)
        for text, language, _ in scheme_labels().get(concept, [])
        if field_for(language) == field or field == NEUTRAL
        if " ".join(label_terms(field, text)) in found
    ]
