"""The SPARQL query a search stands for, as a text for developers (docs/search.md, "Equivalent SPARQL").

`equivalent_sparql(wanted, ...)` writes a whole, runnable SELECT whose facet filters are the search's
parameters bound as VALUES blocks (values OR-ed inside a facet, facets AND-ed, as /search does).
It is shown, never run by /search: the index answers searches. For facet-only searches it returns
the same cases as /search (a test runs it on /sparql); free-text words become CONTAINS filters on
titles, summaries and needs, which know nothing of stemming, folding or compounds, so they find
fewer cases than the index does. Values are written as SPARQL terms by pyoxigraph (escaped); a
value that cannot be an IRI leaves its VALUES block empty, which matches nothing, as /search does.
"""

from __future__ import annotations

import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester.search.documents import IRI_VALUED
from stafett.harvester.search.query import PAGE_SIZE, SCHEME_KEY
from stafett.harvester.search.query import Request as SearchRequest
from stafett.vocabulary.terms import ADMS, DCAT, DCT, EPO, STF, XSD, term

HEADER = f"""# The SPARQL query equivalent to a Stafett search, for developers (docs/search.md).
# /search does not run it: its index also stems, folds and splits words, which CONTAINS does not.
PREFIX adms: <{ADMS}>
PREFIX dcat: <{DCAT}>
PREFIX dct: <{DCT}>
PREFIX epo: <{EPO}>
PREFIX stf: <{STF}>
"""
# Facet -> the pattern that binds the facet's variable (named as the facet) in the case's graph.
PATTERNS = {
    "country": "?case dct:spatial ?country .",
    "sector": "?case stf:sector ?sector .",
    "innovationApproach": "?case stf:innovationApproach ?innovationApproach .",
    "status": "?case adms:status ?status .",
    "startYear": "?case dcat:startDate ?startDate .",
    "fundingType": "?case stf:funding/stf:fundingType ?fundingType .",
    "jointProcurement": "?case stf:procedure/epo:isJointProcurement ?jointProcurement .",
    # issue 15: open as of today (an offer past its last day is not), as the search reads it
    "openForAdoption": (
        "?case stf:openForAdoption ?saidOpenForAdoption . "
        "OPTIONAL { ?case stf:openForAdoptionUntil ?adoptionUntil } "
        "BIND(?saidOpenForAdoption && (!BOUND(?adoptionUntil) || STR(?adoptionUntil) >= "
        "SUBSTR(STR(NOW()), 1, STRLEN(STR(?adoptionUntil)))) AS ?openForAdoption)"
    ),
    "openForPartners": (
        "?case stf:openForPartners ?saidOpenForPartners . "
        "OPTIONAL { ?case stf:openForPartnersUntil ?partnersUntil } "
        "BIND(?saidOpenForPartners && (!BOUND(?partnersUntil) || STR(?partnersUntil) >= "
        "SUBSTR(STR(NOW()), 1, STRLEN(STR(?partnersUntil)))) AS ?openForPartners)"
    ),
    "language": "?case dct:language ?language .",
    "publisher": "?case dct:publisher ?publisher .",
    "procedureType": "?case stf:procedure/epo:hasProcedureType ?procedureType .",
    "fundingProgramme": "?case dct:isPartOf?/stf:funding/epo:hasFundProgramme ?fundingProgramme .",
    "hasLessons": "BIND(EXISTS { ?case stf:lessonsLearned ?lessons } AS ?hasLessons)",
}
# Facets whose values live (also) in the provenance graph: bound outside the case's graph.
PROVENANCE_PATTERNS = {
    "source": "GRAPH {prov} {{ ?case stf:harvestedFrom ?source }}",
    "signature": "GRAPH {prov} {{ ?case stf:signatureStatus ?signature }}",  # issue 16
    # the publisher's topics and the registry's suggestions, as the topic facet counts both
    "topic": (
        "{{ GRAPH ?case {{ ?case dct:subject ?topic }} }} "
        "UNION {{ GRAPH {prov} {{ ?case stf:suggestedTopic ?topic }} }}"
    ),
}
BOOLEAN = {"jointProcurement", "openForAdoption", "openForPartners", "hasLessons"}
WORD_PATTERN = (
    "FILTER EXISTS {{ GRAPH ?case {{ ?case dct:title|dct:description|stf:need ?text_{n} "
    "FILTER(CONTAINS(LCASE(STR(?text_{n})), ?word_{n})) }} }}"
)
ORDER = {
    "newest": "ORDER BY DESC(?modified) ?case",
    "startYear": "ORDER BY DESC(?start) ?case",
    "relevance": "ORDER BY ?case",  # SPARQL has no BM25: a stable order instead
}


def equivalent_sparql(wanted: SearchRequest, *, base_url: str = "", prov_graph: str = "") -> str:
    """A runnable SELECT of the search's cases (title in the reader's language), one page of them."""
    values = [
        f"  VALUES ?{facet} {{ {terms(facet, wanted.filters[facet], base_url)} }}" for facet in bound(wanted)
    ]
    words = [w.lower() for w in wanted.q.replace('"', " ").split() if any(c.isalnum() for c in w)]
    values += [f"  VALUES ?word_{n} {{ {ox.Literal(word)} }}" for n, word in enumerate(words, 1)]
    inside = ["    ?case a stf:Case ."]
    inside += [f"    {PATTERNS[facet]}" for facet in bound(wanted) if facet in PATTERNS]
    inside += [
        f'    OPTIONAL {{ ?case dct:title ?title FILTER(LANGMATCHES(LANG(?title), "{wanted.lang}")) }}',
        "    OPTIONAL { ?case dct:modified ?modified }",
        "    OPTIONAL { ?case dcat:startDate ?start }",
    ]
    where = [*values, "  GRAPH ?case {", *inside, "  }"]
    if wanted.filters.get("startYear"):  # at the top: a FILTER sees only its own group's VALUES
        where.append("  FILTER(SUBSTR(STR(?startDate), 1, 4) = ?startYear)")
    where += [f"  {WORD_PATTERN.format(n=n)}" for n in range(1, len(words) + 1)]
    prov = str(ox.NamedNode(prov_graph)) if prov_graph else "<urn:stafett:no-provenance>"
    where += [
        f"  {PROVENANCE_PATTERNS[facet].format(prov=prov)}"
        for facet in bound(wanted)
        if facet in PROVENANCE_PATTERNS
    ]
    return "\n".join(
        [
            HEADER.rstrip("\n"),
            "SELECT ?case (SAMPLE(?title) AS ?caseTitle) (MAX(?modified) AS ?lastModified)",
            "WHERE {",
            *where,
            "}",
            "GROUP BY ?case ?modified ?start",
            ORDER.get(wanted.sort, ORDER["relevance"]),
            f"LIMIT {PAGE_SIZE} OFFSET {(wanted.page - 1) * PAGE_SIZE}",
            "",
        ]
    )


def bound(wanted: SearchRequest) -> list[str]:
    return [facet for facet, chosen in wanted.filters.items() if chosen]


def terms(facet: str, chosen, base_url: str) -> str:
    """The chosen values as SPARQL terms, as the store holds them; unwritable values left out."""
    written = []
    for value in chosen:
        try:
            written.append(str(as_term(facet, value, base_url)))
        except ValueError:  # not an IRI: nothing in the store can equal it
            continue
    return " ".join(written)


def as_term(facet: str, value: str, base_url: str) -> ox.NamedNode | ox.Literal:
    if facet in IRI_VALUED:
        return ox.NamedNode(vocabulary.concept_iri(SCHEME_KEY.get(facet, facet), value))
    if facet == "publisher":
        return ox.NamedNode(value)
    if facet == "source":
        return ox.NamedNode(f"{base_url}source/{value}")
    if facet in BOOLEAN:
        return ox.Literal(value, datatype=term(XSD, "boolean"))
    return ox.Literal(value)
