"""What a registry holds beside the example cases: its matches graph (issue 15).

The example-query fixtures (tests/examples, tests/harvester/test_sparql_*) load the cases as a
registry stores them; a registry also keeps matches (stafett.harvester.matching), and queries
18-20 ask for those. This runs the registry's own matcher over the example cases, as a harvest
would, each case published by its organisation (the node's `<origin>#publisher`, as a node adds
it), on a fixed day, and returns the quads of the matches graph.
"""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox

from stafett.harvester.matching.engine import Matcher
from stafett.harvester.matching.graph import matches_graph

REGISTRY = "https://registry.stafett.example/"
PROVENANCE = REGISTRY + "graph/provenance"
DAY = date(2026, 12, 1)  # the example offers' ends lie years after it
PUBLISHER = ox.NamedNode("http://purl.org/dc/terms/publisher")


def example_match_quads(cases: dict[str, list], suggestions: list[ox.Quad] = ()) -> list[ox.Quad]:
    """Case IRI -> its triples or quads (any graph) => the matches graph's quads for all of them."""
    scratch = ox.Store()
    for iri, quads in cases.items():
        graph = ox.NamedNode(iri)
        scratch.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        origin = iri.split("/case/")[0] + "/"
        scratch.add(ox.Quad(graph, PUBLISHER, ox.NamedNode(origin + "#publisher"), graph))
    scratch.extend(suggestions)
    Matcher(scratch, PROVENANCE, REGISTRY, today=lambda: DAY).load()
    return list(scratch.quads_for_pattern(None, None, None, ox.NamedNode(matches_graph(REGISTRY))))
