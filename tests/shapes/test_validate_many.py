"""The default engine (pyshacl-turbo) against the reference (pySHACL), and batch against per-case validation.

Differential on a few hundred documents: the valid and invalid examples, generated cases
(bench/generate.py) and generated cases each broken one way (bench/turbo.py's mutations plus a
few more). Both engines must give the same verdict and the same findings, finding by finding.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from functools import cache
from pathlib import Path

import orjson
import pyoxigraph as ox
import pytest
from shapes_support import invalid_examples, minimal_case, valid_examples

from stafett.problems import Problem
from stafett.shapes.batch import plan_batches
from stafett.shapes.validate import DEFAULT_ENGINE, validate_many, validate_quads
from stafett.vocabulary.jsonld import json_ld_to_quads

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for bench/
from bench import generate
from bench.turbo import mutations


def more_mutations(doc: dict) -> list[dict]:
    """Breakages bench/turbo.py does not make: nested nodes, numbers, links, languages."""

    def changed(**updates):
        out = copy.deepcopy(doc)
        out.update(updates)
        return out

    return [
        changed(cost={"amount": -5, "currency": "SEK"}),
        changed(cost={"amount": "12", "currency": "GBP"}),
        changed(buyer=[{"orgNumber": "1"}]),
        changed(endDate="1999-01-01"),
        changed(country="XYZ", language=["KLINGON"]),
        changed(contact=[{"fullName": "A", "email": "not-a-mailto"}]),
        changed(title={"sv": "x" * 600, "de": "y"}),
        changed(keyword={"sv": [f"k{i}" for i in range(60)]}),
    ]


def to_quads(doc: dict) -> list[ox.Quad] | None:
    try:
        return json_ld_to_quads(json.loads(orjson.dumps(doc)))
    except (ValueError, Problem):
        return None


@cache
def corpus() -> tuple[tuple[str, tuple], ...]:
    fed = generate.generate(150, seed=11)
    rng = random.Random(11)
    docs = [(f"generated {c.id}", c.doc) for c in fed.cases]
    for case in rng.sample(fed.cases, 30):
        docs += [(f"{label}: {case.id}", doc) for label, doc in mutations(case.doc, rng)]
        docs += [(f"more {i}: {case.id}", doc) for i, doc in enumerate(more_mutations(case.doc))]
    docs += [
        (path.name, json.loads(path.read_bytes()))
        for path in [*valid_examples(), *invalid_examples()]
        if path.suffix in (".json", ".jsonld") and _is_json(path)
    ]
    docs.append(("no id", {k: v for k, v in minimal_case().items() if k != "id"}))
    out = []
    for label, doc in docs:
        quads = to_quads(doc)
        if quads:
            out.append((label, tuple(quads)))
    return tuple(out)


def _is_json(path: Path) -> bool:
    try:
        json.loads(path.read_bytes())
    except ValueError:
        return False
    return True


def findings(report) -> list[dict]:
    return [f.as_dict() for f in report.findings]


def test_turbo_is_the_default_engine():
    assert DEFAULT_ENGINE == "turbo"


def test_turbo_and_pyshacl_agree_on_every_document():
    docs = corpus()
    assert len(docs) > 500
    violations = 0
    for label, quads in docs:
        reference = validate_quads(list(quads), engine="pyshacl")
        candidate = validate_quads(list(quads), engine="turbo")
        assert candidate.conforms == reference.conforms, label
        assert findings(candidate) == findings(reference), label
        violations += not reference.conforms
    assert violations > 300  # the mutations really break the cases


@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_validate_many_equals_validation_case_by_case(engine):
    docs = corpus() if engine == "turbo" else corpus()[::7]
    cases = [list(quads) for _, quads in docs]
    for lang in ("en", "sv"):
        batched = validate_many(cases, lang=lang, engine=engine)
        assert len(batched) == len(cases)
        for (label, quads), report in zip(docs, batched, strict=True):
            assert findings(report) == findings(validate_quads(list(quads), lang=lang, engine=engine)), label


def test_cases_that_see_each_other_are_never_validated_together():
    base = minimal_case(id="https://t.example/case/1")
    older = minimal_case(id="https://t.example/case/1", status="finished")  # same case, two versions
    linker = minimal_case(id="https://t.example/case/2", adoptedFrom=["https://t.example/case/1"])
    loner = minimal_case(id="https://t.example/case/3")
    cases = [json_ld_to_quads(doc) for doc in (base, older, linker, loner)]
    batches = plan_batches(cases)
    together = {frozenset(b) for b in batches}
    assert not any({0, 1} <= b or {0, 2} <= b or {1, 2} <= b for b in together)
    assert any(3 in b and len(b) > 1 for b in together)  # the unrelated case still shares a call
    reports = validate_many(cases, sources=["a", "b", "c", "d"])
    assert [r.conforms for r in reports] == [validate_quads(c).conforms for c in cases]
    assert not reports[1].conforms and reports[0].conforms
    assert {f.source for f in reports[3].findings} == {"d"}


def test_a_feed_page_of_unrelated_cases_needs_one_engine_call():
    cases = [list(quads) for label, quads in corpus() if label.startswith("generated")][:100]
    assert len(plan_batches(cases)) < 10  # 100 cases, at most 64 a call, a few cross-links


def test_cases_sharing_a_blank_node_label_are_kept_apart():
    # Two snapshots parsed from one TriG page may both say _:b0; in one data graph they would merge.
    first = json_ld_to_quads(minimal_case(id="https://t.example/case/5", buyer=[{"name": {"sv": "A"}}]))
    second = json_ld_to_quads(minimal_case(id="https://t.example/case/6", buyer=[{"orgNumber": "1"}]))
    shared = next(q.object for q in first if isinstance(q.object, ox.BlankNode))
    theirs = next(q.object for q in second if isinstance(q.object, ox.BlankNode))
    second = [
        ox.Quad(
            shared if q.subject == theirs else q.subject,
            q.predicate,
            shared if q.object == theirs else q.object,
        )
        for q in second
    ]
    assert plan_batches([first, second]) == [[0], [1]]
    reports = validate_many([first, second])
    assert [findings(r) for r in reports] == [findings(validate_quads(q)) for q in (first, second)]
