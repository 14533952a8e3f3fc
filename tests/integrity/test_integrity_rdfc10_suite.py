"""The W3C RDFC-1.0 test suite (w3c/rdf-canon tests/) against the canonicaliser Stafett signs with.

Every evaluation test (RDFC10EvalTest, SHA-256 and SHA-384) must give the expected canonical
N-Quads byte for byte; the one negative test, a ten-node blank-node clique ("poison graph"), must
be refused within 1 s by the bounded canonicaliser, which then goes on working.
"""

import json
import time

import pyoxigraph as ox
import pytest
from integrity_support import RDF_CANON

from stafett.integrity.canon import BoundedCanonicaliser, canonical_nquads, sorted_nquads
from stafett.problems import Problem

MANIFEST = json.loads((RDF_CANON / "manifest.jsonld").read_text())
EVALUATIONS = [e for e in MANIFEST["entries"] if e["type"] == "rdfc:RDFC10EvalTest"]
NEGATIVE = [e for e in MANIFEST["entries"] if e["type"] == "rdfc:RDFC10NegativeEvalTest"]
ALGORITHM = {"SHA384": ox.CanonicalizationAlgorithm.RDFC_1_0_SHA_384}


def quads(entry) -> list[ox.Quad]:
    return list(ox.parse(path=RDF_CANON / entry["action"], format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def bounded():
    canonicaliser = BoundedCanonicaliser()
    canonicaliser.warm()
    yield canonicaliser
    canonicaliser.close()


def test_the_suite_is_all_here():
    assert len(EVALUATIONS) == 64 and len(NEGATIVE) == 1


@pytest.mark.parametrize("entry", EVALUATIONS, ids=[e["id"].lstrip("#") for e in EVALUATIONS])
def test_rdfc10_evaluation(entry):
    expected = (RDF_CANON / entry["result"]).read_bytes()
    if entry.get("hashAlgorithm") in ALGORITHM:  # the SHA-384 variants: pyoxigraph's own option
        dataset = ox.Dataset(quads(entry))
        dataset.canonicalize(ALGORITHM[entry["hashAlgorithm"]])
        assert sorted_nquads(dataset) == expected
    else:
        assert canonical_nquads(quads(entry)) == expected


def test_bounded_canonicaliser_agrees_on_graphs_with_blank_nodes(bounded):
    with_blanks = [
        e
        for e in EVALUATIONS
        if "hashAlgorithm" not in e
        and any(isinstance(n, ox.BlankNode) for q in quads(e) for n in (q.subject, q.object, q.graph_name))
    ]
    assert len(with_blanks) > 30
    for entry in with_blanks[:12]:
        assert bounded(quads(entry)) == (RDF_CANON / entry["result"]).read_bytes(), entry["id"]


def test_the_poison_clique_is_refused_within_a_second_and_the_worker_recovers(bounded):
    poison = quads(NEGATIVE[0])
    started = time.monotonic()
    with pytest.raises(Problem) as refused:
        bounded(poison, source="poison.nq")
    assert time.monotonic() - started < 1.0
    assert refused.value.slug == "canonicalisation-refused"
    assert "blank nodes" in refused.value.detail and refused.value.findings[0].source == "poison.nq"
    entry = next(e for e in EVALUATIONS if e["id"] == "#test044c")  # a hard but computable graph
    assert bounded(quads(entry)) == (RDF_CANON / entry["result"]).read_bytes()


def test_too_many_blank_nodes_are_refused_before_canonicalising(bounded):
    p = ox.NamedNode("urn:ex:p")
    chain = [
        ox.Quad(ox.BlankNode(f"b{i}"), p, ox.BlankNode(f"b{i + 1}")) for i in range(bounded.max_blank_nodes)
    ]
    started = time.monotonic()
    with pytest.raises(Problem) as refused:
        bounded(chain)
    assert time.monotonic() - started < 0.2
    assert f"{bounded.max_blank_nodes + 1} blank nodes" in refused.value.detail
