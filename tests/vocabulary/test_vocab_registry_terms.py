"""Agreement test 3: every stf: term the harvester writes is defined, and used as it is defined.

The harvester's bookkeeping terms live in `stafett.harvester.terms` (and, once, inline in
reports.py). This test collects them three ways, so code and vocabulary cannot drift apart:
the module's NamedNode constants (including dict keys and values such as STF_COUNT), every
`STF + "..."` literal or full `https://w3id.org/stafett/ns#...` IRI in the harvester's Python
sources, and every `stf:` name in its SPARQL files and in docs/harvester.md. Then it builds real
triples with the harvester's own builders and checks each stf: predicate's kind and range.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from vocab_support import OWL, RDF_TYPE, RDFS, REPO, index

from stafett.harvester import terms
from stafett.vocabulary import STF, ontology_quads, registry_ontology_quads

HARVESTER = REPO / "harvester"
GRAPH = index(ontology_quads() + registry_ontology_quads())
DEFINED = {s for s, p in GRAPH.items() if s.startswith(STF) and p[RDF_TYPE]}
STF_LITERAL = re.compile(r"""STF\s*\+\s*["']([A-Za-z][A-Za-z0-9_]*)["']""")
STF_IRI = re.compile(re.escape(STF) + r"([A-Za-z][A-Za-z0-9_]*)")
STF_CURIE = re.compile(r"(?<![\w/#])stf:([A-Za-z][A-Za-z0-9_]*)")
XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def module_terms() -> set[str]:
    """stf: IRIs among the NamedNode constants of stafett.harvester.terms (dict keys and values too)."""
    found: set[str] = set()
    for value in vars(terms).values():
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else [value]
        found |= {v.value for v in items if isinstance(v, ox.NamedNode) and v.value.startswith(STF)}
    return found


def source_terms() -> dict[str, set[str]]:
    """stf: IRIs spelled out in the harvester's Python and SPARQL sources and its docs, per file."""
    found: dict[str, set[str]] = {}
    for path in sorted(HARVESTER.rglob("*.py")):
        text = path.read_text("utf-8")
        found[str(path.relative_to(REPO))] = {STF + name for name in STF_LITERAL.findall(text)} | {
            STF + name for name in STF_IRI.findall(text)
        }
    for path in [*sorted(HARVESTER.rglob("*.rq")), REPO / "docs" / "harvester.md"]:
        found[str(path.relative_to(REPO))] = {STF + n for n in STF_CURIE.findall(path.read_text("utf-8"))}
    return found


def undefined(used: set[str]) -> list[str]:
    return sorted(used - DEFINED)


def test_every_term_in_the_harvester_terms_module_is_defined():
    used = module_terms()
    # The collector must see the inline bookkeeping constants and the counter dict, or it proves nothing.
    assert {STF + "HarvestRun", STF + "routeOf", STF + "notModified", STF + "skipped"} <= used
    assert not undefined(used), f"stafett.harvester.terms uses undefined stf: terms: {undefined(used)}"


def test_every_stf_term_spelled_out_in_the_harvester_sources_is_defined():
    per_file = source_terms()
    assert STF + "verdict" in per_file["harvester/reports.py"]  # written inline, not via terms.py
    assert STF + "lastGoodHarvest" in per_file["docs/harvester.md"]
    missing = {f: undefined(used) for f, used in per_file.items() if undefined(used)}
    assert not missing, f"stf: terms used but defined in neither ontology file: {missing}"


def test_the_check_would_catch_a_new_undefined_term():
    assert undefined({STF + "harvestedFrom", STF + "brandNewCounter"}) == [STF + "brandNewCounter"]
    assert STF_LITERAL.findall('t.n(t.STF + "brandNewCounter")') == ["brandNewCounter"]
    assert STF_CURIE.findall("?s stf:stale true ; <x> ?p stf:") == ["stale"]


# --- the harvester's own triple builders, checked against the definitions -------------------------


def built_triples() -> list[ox.Triple]:
    """Route, provenance (live and deleted) and run-report triples as the harvester builds them."""
    from stafett.harvester.admit import ACCEPT, DELETE, Decision
    from stafett.harvester.load import case_provenance, route_description
    from stafett.harvester.parse import Member
    from stafett.harvester.reports import run_triples
    from stafett.harvester.sources import Source
    from stafett.problems import Finding

    base, case = "https://registry.example/", "https://node.example/case/a"
    source = Source("node", "https://node.example/feed", ("https://node.example/",))
    member = Member(
        "https://node.example/feed/activity/1",
        "Update",
        case,
        "2026-01-02T03:04:05Z",
        [],
        stream="https://node.example/feed",
    )
    from stafett.integrity.proofs import Verification

    signed = Verification("verified", "signed", "https://node.example/#key-1", "2026-01-02T03:04:05Z",
                          "https://node.example/#publisher")  # fmt: skip
    live = Decision(
        member, ACCEPT, direct=True, warnings=[Finding("Warning", "Add a summary.")], signature=signed
    )
    # A case without a topic whose text names one: the registry's suggestion is written as well.
    title = ox.Triple(
        ox.NamedNode(case),
        ox.NamedNode("http://purl.org/dc/terms/title"),
        ox.Literal("Hemtjänst", language="sv"),
    )
    untagged = Member(member.activity, "Update", case, member.published, [title], stream=member.stream)
    suggested = Decision(untagged, ACCEPT, direct=True)
    gone = Decision(member, DELETE, direct=False, signature=Verification("unsigned", "no proof"))
    run = {
        "id": 7,
        "source": "node",
        "started": "2026-01-02T03:04:05Z",
        "finished": "2026-01-02T03:04:06Z",
        "stale": True,
        "error": "unreachable",
        "fetched": 3,
        "not_modified": 1,
        "accepted": 1,
        "quarantined": 1,
        "refused": 1,
        "deleted": 0,
        "skipped": 0,
        "problems": [
            {
                "activity": member.activity,
                "case": case,
                "verdict": "quarantine",
                "reasons": [{"message": "title is missing"}],
            }
        ],
    }
    out = route_description(base, case, source, live, "2026-01-02T03:04:05Z")
    out += route_description(base, case, source, gone, "2026-01-02T03:04:05Z")
    out += case_provenance(base, source, live, "2026-01-02T03:04:07Z", "en")
    out += case_provenance(base, source, gone, "2026-01-02T03:04:07Z", "en")
    out += case_provenance(base, source, suggested, "2026-01-02T03:04:07Z", "en")
    return out + run_triples(base, run, "en")[1] + match_triples_of_every_kind(base, case)


def match_triples_of_every_kind(base: str, case: str) -> list[ox.Triple]:
    """issue 15: a match with a reason of every kind, as the matches graph holds it."""
    from datetime import date

    from stafett.harvester.matching.graph import match_triples
    from stafett.harvester.matching.score import Match, Reason

    reasons = (
        Reason("cpv-group", ("3319",)),
        Reason("topic", ("https://w3id.org/stafett/concept/topic/home-care",)),
        Reason("time", ("2",)),
        Reason("need", ("2030-06-30",)),
        Reason("nordic"),
    )
    match = Match(case, "https://node.example/case/b", 0.9, "need", reasons, date(2030, 6, 30))
    return match_triples(base, match, "2026-01-02T03:04:05Z")


BUILT = built_triples()
STF_PREDICATES = sorted({t.predicate.value for t in BUILT if t.predicate.value.startswith(STF)})


def test_the_builders_write_the_bookkeeping_terms():
    # Every property of terms.py except the source-health ones, which only publish_report writes
    # (it needs a whole registry); their ranges are checked by the ontology tests alone.
    classes = {
        STF + "HarvestRun",
        STF + "HarvestSource",
        STF + "Tombstone",
        STF + "Case",
        STF + "TopicSuggestion",
        STF + "Match",
        STF + "MatchReason",
    }
    health_only = {STF + "lastGoodHarvest"}
    expected = module_terms() - classes - health_only
    assert expected <= set(STF_PREDICATES), sorted(expected - set(STF_PREDICATES))


@pytest.mark.parametrize("predicate", STF_PREDICATES, ids=[p[len(STF) :] for p in STF_PREDICATES])
def test_each_written_predicate_matches_its_definition(predicate):
    assert predicate in DEFINED, f"{predicate} is written by the harvester but not defined"
    kinds = {v for v, _ in GRAPH[predicate][RDF_TYPE]}
    ranges = {v for v, _ in GRAPH[predicate][RDFS + "range"]}
    for triple in (t for t in BUILT if t.predicate.value == predicate):
        obj = triple.object
        if isinstance(obj, ox.Literal):
            assert OWL + "DatatypeProperty" in kinds, f"{predicate} takes a literal: not a DatatypeProperty"
            datatype = LANG_STRING if obj.language else obj.datatype.value
            assert datatype in ranges, f"{predicate} written with {datatype}, defined with range {ranges}"
        else:
            assert OWL + "ObjectProperty" in kinds, f"{predicate} takes an IRI but is not an ObjectProperty"


def test_each_written_stf_class_is_a_defined_class():
    classes = {
        t.object.value for t in BUILT if t.predicate.value == RDF_TYPE and t.object.value.startswith(STF)
    }
    assert (
        STF + "HarvestRun" in classes and STF + "Tombstone" in classes and STF + "TopicSuggestion" in classes
    )
    for iri in classes | {terms.STF_SOURCE_CLASS.value}:
        assert (OWL + "Class", None) in GRAPH[iri][RDF_TYPE], f"{iri} is used as a class, not defined as one"
