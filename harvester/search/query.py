"""Answering a search: free text over every language field, facet filters, live counts, one page.

answer = search(index, Request(q="hemtjänst", lang="sv", filters={"country": ("SWE", "NOR")}))

The words are parsed by tantivy against every text field, each analysing them with its own
language's analyser (so a Swedish reader's "hemtjänsten" is stemmed as Swedish in the Swedish field
and as Norwegian in the Norwegian one); every word must match somewhere. Values inside a facet are
OR-ed, facets AND-ed. The count of each facet value is taken with every other facet's filter but not
its own, so ticking a second country shows what it would add (multi-select). Ranking is BM25, with
a word in a title weighing `TITLE_BOOST` times a word elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import orjson
import pyoxigraph as ox
import tantivy

from stafett import vocabulary
from stafett.harvester.search.analysis import (
    SEARCHED,
    TEXT_FIELDS,
    TITLE_BOOST,
    TITLE_FIELDS,
    analyzer,
    field_for,
    fold,
)
from stafett.harvester.search.documents import FACETS
from stafett.harvester.search.index import SearchIndex
from stafett.texts import words
from stafett.vocabulary.terms import SKOS, term

PAGE_SIZE = 20
SORTS = ("relevance", "newest", "startYear")
FACET_SIZE = 200  # buckets per facet; the largest facet (publisher) grows with the federation
SNIPPET_CHARS = 200
SKOS_PREF_LABEL = term(SKOS, "prefLabel")
# Facets whose values are codes of a SKOS scheme the vocabulary ships (labels come from there).
LABELLED = ("country", "sector", "innovationApproach", "status", "fundingType", "language")


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
    schemes = tuple(vocabulary.SCHEMES[key] + "/" for key in LABELLED)
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
    names = scheme_labels().get(vocabulary.concept_iri(facet, value), {})
    for candidate in (lang, "nb" if lang == "nn" else lang, "en"):
        if candidate in names:
            return names[candidate]
    return next(iter(names.values()), value)


def text_query(index: SearchIndex, q: str) -> tantivy.Query:
    """Every word must match in some field, as written or Nordic-folded; the words are quoted,
    so a reader's colon or bracket is a character, never query syntax. Punctuation alone is no
    word (an all-punctuation `q` lists everything, like an empty one); a word the analysers drop
    entirely (longer than they keep) matches nothing rather than everything."""
    words = [word for word in q.replace('"', " ").split() if any(c.isalnum() for c in word)]
    if not words:
        return tantivy.Query.all_query()
    if any(not plain_analyzer().analyze(word) for word in words):
        return tantivy.Query.empty_query()
    groups = " ".join(f'+("{word}" "{fold(word)}")' for word in words)
    boosts = dict.fromkeys(TITLE_FIELDS, TITLE_BOOST)
    query, _errors = index.index.parse_query_lenient(
        groups, default_field_names=list(SEARCHED), field_boosts=boosts
    )
    return query


@cache
def plain_analyzer() -> tantivy.TextAnalyzer:
    return analyzer(None)


def filter_query(schema: tantivy.Schema, filters: Mapping[str, Sequence[str]], without: str | None = None):
    return [
        (tantivy.Occur.Must, tantivy.Query.term_set_query(schema, facet, list(values)))
        for facet, values in filters.items()
        if values and facet != without
    ]


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
    return {
        facet: [
            {"value": b["key"], "label": label(facet, b["key"], lang), "count": b["doc_count"]}
            for b in aggregations[facet]["buckets"]
        ]
        for facet in FACETS
    }


def terms(facet: str) -> dict:
    return {"terms": {"field": facet, "size": FACET_SIZE}}


def search(index: SearchIndex, request: Request) -> dict:
    searcher = index.searcher()
    schema = index.index.schema
    text = text_query(index, request.q)
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
    title_lang = next((c for c in (lang, "nb" if lang == "nn" else lang, "en", *titles) if c in titles), None)
    return {
        "id": doc["id"][0],
        "title": titles.get(title_lang, "") if title_lang is not None else "",
        "titleLanguage": title_lang or None,
        "country": card["country"][0] if card["country"] else None,
        "snippet": first_snippet(doc, snippets),
    }


def first_snippet(doc: tantivy.Document, snippets: list) -> str:
    for maker in snippets:
        fragment = maker.snippet_from_doc(doc).fragment()
        if fragment:
            return fragment
    return ""
