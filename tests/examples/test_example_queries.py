"""The example SPARQL queries return, over the example cases, the results written by hand.

The store is built the way the registry builds it: one named graph per case (graph IRI = case
IRI), the registry's suggested topics in its provenance graph (tests/suggested_topics.py) and
the vocabulary with its reference tables (CPV, EU authority tables) in a graph of its own; queries
run with the default graph as the union of all named graphs, so they need no GRAPH clauses.

Expected files (`NN-name.expected.json`) were derived by reading the cases, not by running the
queries. Their convention: each row maps a variable to a string; an unbound variable is left out;
IRIs are written as the IRI; literals as their lexical value, except that language-tagged
strings are `"text@lang"` and numbers (xsd:integer, xsd:decimal, ...) are compared by value
and written in plain decimal form (`"1900000"`, `"12.5"`). `"ordered": true` means the row order
is part of the answer (the query has an ORDER BY that the question depends on).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from expected_rows import term_text
from matches_support import example_match_quads
from suggested_topics import suggested_topic_quads

from stafett.vocabulary import all_vocabulary_quads
from stafett.vocabulary.jsonld import parse_document

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "examples" / "cases"
QUERIES = ROOT / "examples" / "queries"
VOCABULARY_GRAPH = ox.NamedNode("https://w3id.org/stafett/graph/vocabulary")
STF_CASE = ox.NamedNode("https://w3id.org/stafett/ns#Case")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))


def case_graph_quads(path: Path) -> list[ox.Quad]:
    """One case's triples in its own graph, with blank nodes made unique to this document.

    Blank nodes are scoped to the whole store, and a parser may label them `b0`, `b1`, ... in
    every document, so each document's labels are replaced by fresh nodes.
    """
    triples = parse_document(path.read_bytes(), "application/ld+json", source=path.name)
    cases = {q.subject for q in triples if q.predicate == RDF_TYPE and q.object == STF_CASE}
    assert len(cases) == 1, f"{path.name} must describe exactly one stf:Case"
    graph = cases.pop()
    fresh: dict[str, ox.BlankNode] = {}

    def renamed(term):
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        return term

    return [ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), graph) for q in triples]


def vocabulary_triples() -> list:
    """The project's vocabulary and the reference tables it ships (CPV included)."""
    return list(all_vocabulary_quads())


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    cases = {}
    for path in sorted(CASES.glob("*.jsonld")):
        quads = case_graph_quads(path)
        cases[quads[0].graph_name.value] = quads
        store.extend(quads)
    suggestions = suggested_topic_quads(cases)
    store.extend(suggestions)  # the registry's provenance graph (query 21)
    store.extend(example_match_quads(cases, suggestions))  # its matches graph (queries 18-20)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, VOCABULARY_GRAPH) for q in vocabulary_triples())
    return store


as_text = term_text  # the expected files' convention (tests/expected_rows.py)


def run(store: ox.Store, query_path: Path) -> tuple[list[str], list[dict]]:
    results = store.query(query_path.read_text("utf-8"), use_default_graph_as_union=True)
    variables = [v.value for v in results.variables]
    rows = []
    for solution in results:
        row = {name: as_text(solution[name]) for name in variables}
        rows.append({k: v for k, v in row.items() if v is not None})
    return variables, rows


def canonical(row: dict) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def test_there_are_at_least_twelve_queries_each_with_an_expected_result():
    assert len(QUERY_FILES) >= 12
    for query in QUERY_FILES:
        assert query.with_suffix(".expected.json").exists(), f"{query.name} has no expected result"


@pytest.mark.parametrize("query_path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_header_and_standard_form(query_path: Path):
    text = query_path.read_text("utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith("# Title (en):") for line in header), "needs an English title"
    assert any(line.startswith("# Titel (sv):") for line in header), "needs a Swedish title"
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert "GRAPH" not in body.upper().replace("GRAPHS", ""), "the registry queries the union graph"
    assert "SELECT" in body.upper()


@pytest.mark.parametrize("query_path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_returns_the_expected_rows(store: ox.Store, query_path: Path):
    expected = json.loads(query_path.with_suffix(".expected.json").read_text("utf-8"))
    variables, rows = run(store, query_path)
    assert variables == expected["variables"]
    assert rows, "every example query should find something in the examples"
    if expected["ordered"]:
        assert rows == expected["rows"]
    else:
        assert Counter(map(canonical, rows)) == Counter(map(canonical, expected["rows"]))


def test_cpv_hierarchy_query_depends_on_the_reference_graph(store: ox.Store):
    """Without the CPV table, 02 finds nothing for an area given by a broader code: that is why
    the store above loads it (and why 03 matches on the code prefix instead)."""
    bare = ox.Store()
    bare.extend(q for q in store if q.graph_name != VOCABULARY_GRAPH)
    _, rows = run(bare, QUERIES / "02-pilots-in-cpv-area.rq")
    assert rows == []
    _, rows = run(bare, QUERIES / "03-cases-in-cpv-division.rq")
    assert rows


@pytest.mark.parametrize("query_path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_is_standard_sparql_for_a_second_parser(query_path: Path):
    """rdflib's SPARQL 1.1 parser accepts every query too, so none leans on Oxigraph extensions."""
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(query_path.read_text("utf-8"))


def test_concepts_named_in_queries_exist_in_the_vocabulary():
    """A typo in a concept IRI would make a query silently return nothing."""
    from stafett.vocabulary import concept_quads

    defined = {q.subject.value for q in concept_quads()}
    used: set[str] = set()
    for query in QUERY_FILES:
        text = query.read_text("utf-8")
        prefixes = dict(re.findall(r"PREFIX\s+([\w-]+):\s*<(https://w3id\.org/stafett/concept/[^>]+)>", text))
        for prefix, base in prefixes.items():
            used |= {base + local for local in re.findall(rf"\b{prefix}:([\w-]+)", text)}
        used |= set(re.findall(r"<(https://w3id\.org/stafett/concept/[^>]+)>", text)) - set(prefixes.values())
    assert used, "the queries name concepts"
    assert used - defined == set()
