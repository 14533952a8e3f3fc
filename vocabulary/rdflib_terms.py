"""Handing pyoxigraph triples to rdflib (for pySHACL and rdflib users) without its two traps.

rdflib treats `"SEK"^^xsd:string` as unequal to the plain `"SEK"` that shapes and queries
write, so `sh:in` and `==` fail for every document; and by default it normalises lexical forms
(`...Z` becomes `+00:00`, `1.5E0` is rewritten), which breaks `sh:pattern` and hashes. Both are
avoided here, once, for every caller (see docs/security.md and the design's threat notes).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

XSD_STRING = str(XSD.string)


def to_rdflib(term):
    """One pyoxigraph term as the rdflib term that compares equal to what users write."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language, normalize=False)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return rdflib.Literal(term.value)  # plain: equal to the plain literals in shapes and queries
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)


def graph_of(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """The quads' triples (graph names dropped) as a new rdflib Graph."""
    graph = rdflib.Graph()
    for quad in quads:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
