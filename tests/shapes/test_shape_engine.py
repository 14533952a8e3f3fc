"""validate_quads behaviour: languages, ordering, whole-document checks, and the engine swap seam."""

from __future__ import annotations

import json

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate
from shapes_support import SHAPES_TTL, invalid_examples, minimal_case, valid_examples

from stafett.problems import Problem
from stafett.shapes import validate_document, validate_quads
from stafett.shapes._engine import PyShaclEngine, read_report
from stafett.shapes.findings import SEVERITY_ORDER
from stafett.vocabulary.jsonld import json_ld_to_quads
from stafett.vocabulary.rdflib_terms import graph_of, to_rdflib


def check(doc: dict, lang: str = "en"):
    return validate_document(json.dumps(doc).encode(), "application/ld+json", lang=lang)[1]


def rules(report) -> set[str]:
    return {f.rule.rsplit("#", 1)[-1] for f in report.findings}


def test_minimal_case_conforms_but_gets_advice():
    report = check(minimal_case())
    assert report.conforms
    assert {f.severity for f in report.findings} == {"Warning", "Info"}
    assert "Case-need-presence" in rules(report) and "Case-cost-presence" in rules(report)


def test_findings_carry_field_value_rule_and_are_sorted():
    report = check(minimal_case(status="finished", sector=["transport", "nonsense"], title={"sv": " "}))
    keys = [(SEVERITY_ORDER[f.severity], f.field or "", f.rule or "") for f in report.findings]
    assert keys == sorted(keys)
    status = next(f for f in report.findings if f.field == "status")
    assert status.value == "https://w3id.org/stafett/concept/case-status/finished"
    assert status.path == "http://www.w3.org/ns/adms#status"
    assert status.focus_node == "https://test.stafett.example/case/1"
    assert [f.field for f in report.by_severity("Violation")] == ["sector", "status", "title"]


def test_messages_follow_the_requested_language_with_nynorsk_fallback():
    doc = minimal_case(title=None)
    english = check(doc, "en").by_severity("Violation")[0].message
    assert check(doc, "sv").by_severity("Violation")[0].message.endswith('Lägg till "title".')
    assert check(doc, "nn").by_severity("Violation")[0].message != english
    assert check(doc, "de").by_severity("Violation")[0].message == english


def test_a_document_without_a_case_or_with_two_is_a_violation():
    no_case = {"@context": minimal_case()["@context"], "title": {"en": "x"}}
    assert rules(check(no_case)) == {"Document-no-case"}
    two = {
        "@context": minimal_case()["@context"],
        "@graph": [
            {k: v for k, v in minimal_case(id=f"https://t.example/case/{i}").items() if k != "@context"}
            for i in (1, 2)
        ],
    }
    report = check(two)
    assert "Document-many-cases" in rules(report) and not report.conforms


def test_blank_and_empty_language_maps_are_caught():
    assert "Case-title-presence" in rules(check(minimal_case(title={})))
    assert "Case-title-text" in rules(check(minimal_case(title={"en": ""})))
    assert "Organization-name-text" in rules(check(minimal_case(buyer=[{"name": {"sv": "\t"}}])))


def test_keyword_limit_counts_across_languages():
    words = {"sv": [f"s{i}" for i in range(25)], "fi": [f"f{i}" for i in range(25)]}
    assert "Case-keyword-count" not in rules(check(minimal_case(keyword=words)))
    words["en"] = ["one-too-many"]
    assert "Case-keyword-count" in rules(check(minimal_case(keyword=words)))


def test_plain_strings_from_pyoxigraph_are_plain_in_rdflib():
    # The oxrdflib trap: "x"^^xsd:string must become Literal("x"), or equality and sh:in break.
    literal = ox.Literal("SEK")
    assert to_rdflib(literal) == rdflib.Literal("SEK")
    fraction = ox.Literal("1.5E0", datatype=ox.NamedNode(str(rdflib.XSD.decimal)))
    assert to_rdflib(fraction).n3().startswith('"1.5E0"')  # lexical form kept for sh:pattern


def test_cached_engine_matches_a_fresh_pyshacl_run():
    """Differential: the cached-shapes engine must report what plain pyshacl.validate() reports."""
    doc = minimal_case(
        status="finished",
        contact=[{"fullName": "A"}],
        cost={"amount": -1, "currency": "SEK"},
        startDate="2024-05-01",
        endDate="2023-01-01",
        keyword={"de": ["x"]},
    )
    quads = json_ld_to_quads(doc)
    fresh_shapes = rdflib.Graph().parse(SHAPES_TTL)
    _, report, _ = pyshacl_validate(graph_of(quads), shacl_graph=fresh_shapes)

    def comparable(results):
        return sorted((r.severity, r.paths, r.value or "", r.shape or "", r.component) for r in results)

    expected = comparable(read_report(report, fresh_shapes))
    assert comparable(PyShaclEngine().results(quads)) == expected
    assert len(expected) > 10


def test_validate_quads_accepts_quads_from_any_parser():
    ttl = b"""<https://t.example/case/9> a <https://w3id.org/stafett/ns#Case> ;
        <http://purl.org/dc/terms/title> "plain, not language-tagged" ."""
    report = validate_quads(list(ox.parse(ttl, ox.RdfFormat.TURTLE)))
    assert "Case-title-text" in rules(report) and "Case-summary-or-need" in rules(report)


def differential_corpus() -> list[tuple[str, list]]:
    docs = []
    for path in [*valid_examples(), *invalid_examples()]:
        try:
            docs.append((path.stem, json_ld_to_quads(json.loads(path.read_bytes()))))
        except (ValueError, Problem):
            continue  # unreadable examples never reach an engine
    docs.append(
        (
            "many-faults",
            json_ld_to_quads(
                minimal_case(
                    status="finished",
                    contact=[{"fullName": "A"}],
                    solution=[{"supplier": [{}]}],
                    cost={"amount": 1.5, "currency": "SEK"},
                    keyword={"de": ["x"]},
                )
            ),
        )
    )
    return docs


def test_turbo_engine_gives_the_same_findings_as_pyshacl():
    """Differential test for the swap: every example, finding by finding, in two languages."""
    corpus = differential_corpus()
    assert len(corpus) > 20
    for name, quads in corpus:
        for lang in ("en", "nn"):
            reference = [f.as_dict() for f in validate_quads(quads, lang=lang, engine="pyshacl").findings]
            candidate = [f.as_dict() for f in validate_quads(quads, lang=lang, engine="turbo").findings]
            assert candidate == reference, name
