"""Answering a search: free text over every language field, facet filters, live counts, one page.

answer = search(index, Request(q="hemtjänst", lang="sv", filters={"country": ("SWE", "NOR")}))

The words are parsed by tantivy against every text field, each analysing them with its own
language's analyser (so a Swedish reader's "hemtjänsten" is stemmed as Swedish in the Swedish field
and as Norwegian in the Norwegian one); every word must match somewhere. Values inside a facet are
OR-ed, facets AND-ed. The count of each facet value is taken with every other facet's filter but not
its own, so ticking a second country shows what it would add (multi-select). Ranking is BM25, with
the field weights of analysis.py (titles, the reader's language, compound parts, infix).

Concept expansion (issue 13): a run of query words that is a label of a topic, a sector or a CPV
code in any of the seven languages (search/concepts.py) matches either as words or as the concept:
the cases tagged with it (topic, the registry's suggested topics included; sector; CPV code or a
narrower one), whatever language they are written in. The answer lists those concepts under
`also_matched`, labelled in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import orjson
import pyoxigraph as ox
import tantivy

from stafett import vocabulary
from stafett.harvester.search.analysis import (
    LANGUAGE_FIELDS,
    TEXT_FIELDS,
    analyzer,
    field_for,
    word_query,
)
from stafett.harvester.search.concepts import LONGEST, Concept, label_index, label_of
from stafett.harvester.search.concepts import terms as analysed_words
from stafett.harvester.search.documents import FACETS, UNTIL_FIELDS
from stafett.harvester.search.index import SearchIndex
from stafett.texts import words
from stafett.vocabulary.terms import SKOS, term

PAGE_SIZE = 20
SORTS = ("relevance", "newest", "startYear")
FACET_SIZE = 200  # buckets per facet; the largest facet (publisher) grows with the federation
SNIPPET_CHARS = 200
SKOS_PREF_LABEL = term(SKOS, "prefLabel")
# Facets whose values are codes of a SKOS scheme the vocabulary ships (labels come from there).
LABELLED: tuple[str, ...] = ("country", "sector", "innovationApproach", "status", "fundingType", "language")
LABELLED += ("topic", "procedureType", "fundingProgramme")  # issue 13
SCHEME_KEY = {"fundingProgramme": "programme"}  # facet -> the JSON key whose scheme it uses
# Concept expansion: topic and sector labels count in every language; CPV labels only in the
# reader's language and English (the CPV tables are large and full of short words that are other
# words in a neighbouring language: Danish "and" is a duck, "is" is ice).
EVERY_LANGUAGE = frozenset({"topic", "sector"})
READERS_LANGUAGE = frozenset({"cpv"})
EXPANSION_ORDER = ("topic", "sector", "cpv")  # how `also_matched` lists them


@dataclass(frozen=True)
class Request:
    q: str = ""
    lang: str = "en"
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1


@cache
def scheme_labels() -> dict[str, dict[str, str]]:
    """skos:prefLabel per concept IRI and language, for the labelled facets' schemes."""
    schemes = tuple(vocabulary.SCHEMES[SCHEME_KEY.get(key, key)] + "/" for key in LABELLED)
    labels: dict[str, dict[str, str]] = {}
    for quad in (*vocabulary.concept_quads(), *vocabulary.reference_quads()):
        if quad.predicate != SKOS_PREF_LABEL or not isinstance(quad.object, ox.Literal):
            continue
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(schemes):
            labels.setdefault(quad.subject.value, {})[quad.object.language or ""] = quad.object.value
    return labels


def label(facet: str, value: str, lang: str) -> str:
    """The value's label in the reader's language, else English, else any; the code itself otherwise."""
    if facet == "signature":  # not concepts: the statuses' words are in stafett/interface/signing.json
        return words("signing", lang).get(f"status-{value}", value)
    if facet not in LABELLED:
        return value
    names = scheme_labels().get(vocabulary.concept_iri(SCHEME_KEY.get(facet, facet), value), {})
    for candidate in (lang, "nb" if lang == "nn" else lang, "en"):
        if candidate in names:
            return names[candidate]
    return next(iter(names.values()), value)


def query_words(q: str) -> list[str]:
    return [word for word in q.replace('"', " ").split() if any(c.isalnum() for c in word)]


def concept_spans(words: list[str], lang: str) -> list[tuple[int, int, frozenset[Concept]]]:
    """Runs of query words that are, analysed as each language analyses them, a label of a topic
    or sector in that language, or of a CPV code in the reader's language or English; longest
    first, left to right, never overlapping."""
    where = [(label_index(EVERY_LANGUAGE), tuple(LANGUAGE_FIELDS))]
    where.append((label_index(READERS_LANGUAGE), tuple(dict.fromkeys((field_for(lang), "text_en")))))
    spans, start = [], 0
    while start < len(words):
        for end in range(min(len(words), start + LONGEST), start, -1):
            text = " ".join(words[start:end])
            found = frozenset(
                concept
                for labels, fields in where
                for field in fields
                for concept in labels.get(field, {}).get(analysed_words(field, text), ())
            )
            if found:
                spans.append((start, end, found))
                start = end
                break
        else:
            start += 1
    return spans


def expanded_query(index: SearchIndex, q: str, lang: str) -> tuple[tantivy.Query, list[Concept]]:
    """The text query, with every run of words that names concepts widened to "these words, or a
    case tagged with one of these concepts"; and the concepts, for `also_matched`."""
    words = query_words(q)
    spans = concept_spans(words, lang)
    if not spans:
        return text_query(index, q, lang), []
    schema, parts = index.index.schema, []
    covered: set[int] = set()
    for start, end, concepts in spans:
        covered.update(range(start, end))
        alternatives = [(tantivy.Occur.Should, text_query(index, " ".join(words[start:end]), lang))]
        for facet in sorted({c.facet for c in concepts}):
            codes = sorted(c.code for c in concepts if c.facet == facet)
            alternatives.append((tantivy.Occur.Should, tantivy.Query.term_set_query(schema, facet, codes)))
        parts.append((tantivy.Occur.Must, tantivy.Query.boolean_query(alternatives)))
    rest = [word for position, word in enumerate(words) if position not in covered]
    if rest:
        parts.append((tantivy.Occur.Must, text_query(index, " ".join(rest), lang)))
    named = {c for _, _, concepts in spans for c in concepts}
    listed = sorted(named, key=lambda c: (EXPANSION_ORDER.index(c.facet), c.code))
    return tantivy.Query.boolean_query(parts), listed


def text_query(index: SearchIndex, q: str, lang: str = "") -> tantivy.Query:
    """Every word must match in some field (as written, stemmed or Nordic-folded, as a compound
    part or lemma, or inside a longer word: analysis.word_query); the words are quoted,
    so a reader's colon or bracket is a character, never query syntax. Punctuation alone is no
    word (an all-punctuation `q` lists everything, like an empty one); a word the analysers drop
    entirely (longer than they keep) matches nothing rather than everything."""
    words = query_words(q)
    if not words:
        return tantivy.Query.all_query()
    if any(not plain_analyzer().analyze(word) for word in words):
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, word_query(index.index, word, lang)) for word in words]
    )


@cache
def plain_analyzer() -> tantivy.TextAnalyzer:
    return analyzer(None)


def filter_query(schema: tantivy.Schema, filters: Mapping[str, Sequence[str]], without: str | None = None):
    return [
        (tantivy.Occur.Must, facet_query(schema, facet, values))
        for facet, values in filters.items()
        if values and facet != without
    ]


def facet_query(schema: tantivy.Schema, facet: str, values: Sequence[str]) -> tantivy.Query:
    if facet in UNTIL_FIELDS:
        return offer_query(schema, facet, values)
    return tantivy.Query.term_set_query(schema, facet, list(values))


def today_number() -> int:
    return int(datetime.now(UTC).strftime("%Y%m%d"))


def offer_query(schema: tantivy.Schema, facet: str, values: Sequence[str]) -> tantivy.Query:
    """issue 15: an offer is open when the publisher says so and its last day is not before today
    (read now, never at index time); `false` finds the closed ones and those past their day."""
    said_open = tantivy.Query.term_query(schema, facet, "true")
    until = UNTIL_FIELDS[facet]
    today = today_number()
    still = tantivy.Query.range_query(schema, until, tantivy.FieldType.Unsigned, today, None)
    ended = tantivy.Query.range_query(schema, until, tantivy.FieldType.Unsigned, None, today, True, False)
    open_now = tantivy.Query.boolean_query([(tantivy.Occur.Must, said_open), (tantivy.Occur.Must, still)])
    closed = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.term_query(schema, facet, "false")),
            (
                tantivy.Occur.Should,
                tantivy.Query.boolean_query([(tantivy.Occur.Must, said_open), (tantivy.Occur.Must, ended)]),
            ),
        ]
    )
    wanted = [
        (tantivy.Occur.Should, q) for value, q in (("true", open_now), ("false", closed)) if value in values
    ]
    return tantivy.Query.boolean_query(wanted) if wanted else tantivy.Query.empty_query()


def combined(text: tantivy.Query, filters: list) -> tantivy.Query:
    if not filters:
        return text
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, text), *filters])


def facet_counts(searcher, schema, text, filters: Mapping[str, Sequence[str]], lang: str) -> dict:
    """Live counts per facet: each with the other facets' filters applied, never its own."""
    unfiltered = [facet for facet in FACETS if not filters.get(facet)]
    aggregations = {}
    if unfiltered:
        everything = combined(text, filter_query(schema, filters))
        aggregations.update(searcher.aggregate(everything, {f: terms(f) for f in unfiltered}))
    for facet in FACETS:
        if filters.get(facet):
            others = combined(text, filter_query(schema, filters, without=facet))
            aggregations.update(searcher.aggregate(others, {facet: terms(facet)}))
    counts = {
        facet: [
            {"value": b["key"], "label": label(facet, b["key"], lang), "count": b["doc_count"]}
            for b in aggregations[facet]["buckets"]
        ]
        for facet in FACETS
    }
    for facet in UNTIL_FIELDS:  # issue 15: open or not as of today, not as the index was written
        others = combined(text, filter_query(schema, filters, without=facet))
        counts[facet] = offer_counts(searcher, schema, others, facet, lang)
    mark_suggested(searcher, schema, text, filters, counts["topic"])
    return counts


def offer_counts(searcher, schema, query: tantivy.Query, facet: str, lang: str) -> list[dict]:
    buckets = []
    for value in ("false", "true"):
        narrowed = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, query), (tantivy.Occur.Must, offer_query(schema, facet, [value]))]
        )
        count = searcher.search(narrowed, 1, count=True).count
        if count:
            buckets.append({"value": value, "label": label(facet, value, lang), "count": count})
    return sorted(buckets, key=lambda b: -b["count"])


def mark_suggested(searcher, schema, text, filters, buckets: list[dict]) -> None:
    """On each topic bucket, how many of its cases have the topic only as the registry's suggestion
    (counted under the same filters as the topic facet itself)."""
    query = combined(text, filter_query(schema, filters, without="topic"))
    found = searcher.aggregate(query, {"topicSuggested": terms("topicSuggested")})["topicSuggested"]
    suggested = {b["key"]: b["doc_count"] for b in found["buckets"]}
    for bucket in buckets:
        bucket["suggested"] = suggested.get(bucket["value"], 0)


def terms(facet: str) -> dict:
    return {"terms": {"field": facet, "size": FACET_SIZE}}


def search(index: SearchIndex, request: Request) -> dict:
    searcher = index.searcher()
    schema = index.index.schema
    text, concepts = expanded_query(index, request.q, request.lang)
    query = combined(text, filter_query(schema, request.filters))
    offset = (request.page - 1) * PAGE_SIZE
    ordered = {"newest": "modified", "startYear": "start"}.get(request.sort)
    found = searcher.search(query, PAGE_SIZE, count=True, order_by_field=ordered, offset=offset)
    snippets = snippet_makers(searcher, query, schema, request.lang) if request.q.strip() else []
    return {
        "total": found.count,  # type: ignore[attr-defined]  # the bindings' stub omits it
        "page": request.page,
        "pageSize": PAGE_SIZE,
        "results": [result(searcher.doc(address), snippets, request.lang) for _, address in found.hits],
        "facets": facet_counts(searcher, schema, text, request.filters, request.lang),
        "also_matched": [
            {"value": c.code, "label": label_of(c, request.lang), "facet": c.facet} for c in concepts
        ],
    }


def snippet_makers(searcher, query, schema, lang: str) -> list:
    """Snippet generators, the reader's language field first, then the others that are stored."""
    preferred = field_for(lang)
    fields = [preferred, *(f for f in TEXT_FIELDS if f != preferred and f != "text_folded")]
    makers = []
    for name in fields:
        maker = tantivy.SnippetGenerator.create(searcher, query, schema, name)
        maker.set_max_num_chars(SNIPPET_CHARS)
        makers.append(maker)
    return makers


def result(doc: tantivy.Document, snippets: list, lang: str) -> dict:
    card = orjson.loads(doc["card"][0])
    titles: dict[str, str] = card["titles"]
    suggested = set(card.get("suggested", ()))  # the registry's suggestions, not the publisher's
    title_lang = next((c for c in (lang, "nb" if lang == "nn" else lang, "en", *titles) if c in titles), None)
    return {
        "id": doc["id"][0],
        "title": titles.get(title_lang, "") if title_lang is not None else "",
        "titleLanguage": title_lang or None,
        "country": card["country"][0] if card["country"] else None,
        "snippet": first_snippet(doc, snippets, lang),
        "topics": [
            {"value": code, "label": label("topic", code, lang), "suggested": code in suggested}
            for code in card.get("topics", ())
        ],
    }


def first_snippet(doc: tantivy.Document, snippets: list, lang: str = "en") -> str:
    for maker in snippets:
        fragment = maker.snippet_from_doc(doc).fragment()
        if fragment:
            return fragment
    return opening(doc, lang) if snippets else ""


def opening(doc: tantivy.Document, lang: str) -> str:
    """For a hit found through a concept (no query word in its text): the start of its text other
    than the title, the reader's language first."""
    titles = set(orjson.loads(doc["card"][0])["titles"].values())
    preferred = field_for(lang)
    for name in (preferred, *(f for f in TEXT_FIELDS if f not in (preferred, "text_folded"))):
        for value in doc.to_dict().get(name, ()):
            if value not in titles:
                cut = value if len(value) <= SNIPPET_CHARS else value[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
                return cut
    return ""
