"""What a registry holds beside the example cases: its suggested topics, in its provenance graph.

The example-query fixtures (tests/examples, tests/harvester/test_sparql_*) load the cases as a
registry stores them; a registry also suggests topics for the cases without any
(stafett.harvester.suggest), and query 21 asks for those. This runs the harvester's own
suggestion over each case, as a harvest would, into one provenance graph.
"""

from __future__ import annotations

import pyoxigraph as ox

from stafett.harvester.suggest import suggestion_triples

REGISTRY = "https://registry.stafett.example/"
PROVENANCE = ox.NamedNode(REGISTRY + "graph/provenance")
HARVESTED = "2026-01-01T00:00:00Z"


def suggested_topic_quads(cases: dict[str, list]) -> list[ox.Quad]:
    """Case IRI -> its triples or quads (any graph) => the suggestion quads for all of them."""
    out = []
    for iri, quads in cases.items():
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        out += [
            ox.Quad(t.subject, t.predicate, t.object, PROVENANCE)
            for t in suggestion_triples(REGISTRY, iri, triples, HARVESTED)
        ]
    return out
