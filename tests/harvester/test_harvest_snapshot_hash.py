"""The snapshot hash (harvester/load.py) is the RDFC-1.0 + sorted N-Triples sha256, on both paths."""

import hashlib

import pyoxigraph as ox
from harvest_support import case_doc, snapshot

from stafett.harvester.validated import snapshot_sha256


def rdfc_sha256(triples: list[ox.Triple]) -> str:
    """The definition, spelled out: canonicalise always, then sorted unique N-Quads lines."""
    dataset = ox.Dataset([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(
        {line for line in ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode().splitlines() if line}
    )
    return hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()


def skolemised(triples: list[ox.Triple]) -> list[ox.Triple]:
    """As a node publishes them: every nested object named `<case>#...`."""

    def name(term):
        if isinstance(term, ox.BlankNode):
            return ox.NamedNode(f"https://kommun.example/case/c1#{term.value}")
        return term

    return [ox.Triple(name(t.subject), t.predicate, name(t.object)) for t in triples]


def test_without_blank_nodes_the_shortcut_gives_the_canonical_hash():
    triples = skolemised(snapshot(case_doc("https://kommun.example/", "c1")))
    blank = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    assert len(triples) > 10 and not blank
    assert snapshot_sha256(triples) == rdfc_sha256(triples)
    assert snapshot_sha256(triples + triples[:3]) == snapshot_sha256(list(reversed(triples)))  # a set


def test_with_blank_nodes_equal_graphs_hash_equal_whatever_their_labels():
    p, case = ox.NamedNode("http://ex.test/p"), ox.NamedNode("http://ex.test/case")

    def graph(label):
        b = ox.BlankNode(label)
        return [ox.Triple(case, p, b), ox.Triple(b, p, ox.Literal("x"))]

    assert snapshot_sha256(graph("a1")) == snapshot_sha256(graph("zz")) == rdfc_sha256(graph("q"))
    assert snapshot_sha256(graph("a1")) != snapshot_sha256(graph("a1")[:1])
