"""Work bounds before SHACL: a case over them gets a finding at once, whichever engine and entry point."""

from __future__ import annotations

import time

import pytest
from shapes_support import minimal_case

from stafett.shapes.bounds import MAX_LITERALS, MAX_VALUES_PER_PROPERTY
from stafett.shapes.messages import LANGUAGES
from stafett.shapes.validate import validate_many, validate_quads
from stafett.vocabulary.jsonld import json_ld_to_quads

VALUE_COUNT = "https://w3id.org/stafett/shapes#Document-value-count"
LITERAL_COUNT = "https://w3id.org/stafett/shapes#Document-literal-count"


def quads_of(document: dict, n: int = 1) -> list:
    return list(json_ld_to_quads({**document, "id": f"https://test.stafett.example/case/{n}"}))


def keywords(n: int) -> dict:
    return {"sv": [f"nyckelord {i}" for i in range(n)]}


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_values_over_the_bound_are_one_finding_naming_key_count_and_limit(engine):
    over = MAX_VALUES_PER_PROPERTY + 1
    report = validate_quads(quads_of(minimal_case(keyword=keywords(over))), engine=engine)
    assert not report.conforms
    (finding,) = [f for f in report.findings if f.rule == VALUE_COUNT]
    assert (finding.field, finding.value) == ("keyword", str(over))
    assert str(over) in finding.message and str(MAX_VALUES_PER_PROPERTY) in finding.message
    assert all(not f.rule.endswith("Case-keyword-count") for f in report.findings)  # SHACL skipped


def test_a_case_a_little_over_a_shape_limit_still_gets_the_shapes_own_finding():
    report = validate_quads(quads_of(minimal_case(keyword=keywords(60))))
    rules = {f.rule.rsplit("#", 1)[-1] for f in report.findings if f.severity == "Violation"}
    assert rules == {"Case-keyword-count"}


def test_too_many_literals_in_total_is_a_finding_in_every_language():
    document = minimal_case(keyword=keywords(MAX_VALUES_PER_PROPERTY))
    buyers = range(MAX_LITERALS // 2)  # two literals each: the case goes over the total
    document["buyer"] = [{"name": {"sv": f"Kommun {i}"}, "orgNumber": f"{i}"} for i in buyers]
    quads = quads_of(document)
    messages = set()
    for lang in LANGUAGES:
        (finding,) = [f for f in validate_quads(quads, lang=lang).findings if f.rule == LITERAL_COUNT]
        assert str(MAX_LITERALS) in finding.message
        messages.add(finding.message)
    assert len(messages) == len(LANGUAGES)


def test_validate_many_bounds_each_case_alone_and_keeps_its_neighbours():
    heavy = quads_of(minimal_case(keyword=keywords(10_000)), 1)
    fine = quads_of(minimal_case(keyword=keywords(3)), 2)
    many = validate_many([heavy, fine, heavy])
    assert [r.findings for r in many] == [validate_quads(q).findings for q in (heavy, fine, heavy)]
    assert many[1].conforms and not many[0].conforms


def test_cost_grows_linearly_within_and_beyond_the_bounds():
    def seconds(n: int) -> float:
        # CPU seconds of this process, not wall: the bound is against a cost that grows badly,
        # and a loaded CI machine stretches wall time past it (as it did test_parse_limits').
        quads = quads_of(minimal_case(keyword=keywords(n)))
        started = time.process_time()
        validate_quads(quads)
        return time.process_time() - started

    validate_quads(quads_of(minimal_case()))  # engine loaded
    assert seconds(19_000) < 2.0  # was over 90 s at the node
    assert seconds(MAX_VALUES_PER_PROPERTY) < 1.0  # the most SHACL ever sees for one property
