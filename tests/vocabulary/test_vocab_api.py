"""The small public API of stafett.vocabulary: complete, cached, and consistent with the files."""

from __future__ import annotations

from vocab_support import term_definitions

import stafett.vocabulary as vocabulary
from stafett.vocabulary import (
    SCHEMES,
    all_vocabulary_quads,
    as_rdflib,
    concept_iri,
    concept_quads,
    ontology_quads,
    reference_quads,
    registry_ontology_quads,
)


def test_all_names_exist_and_public_functions_are_exported():
    assert all(hasattr(vocabulary, name) for name in vocabulary.__all__)
    public = {
        n
        for n, v in vars(vocabulary).items()
        if callable(v) and not n.startswith("_") and getattr(v, "__module__", "") == vocabulary.__name__
    }
    assert public <= set(vocabulary.__all__)


def test_loaders_are_cached_and_add_up():
    assert ontology_quads() is ontology_quads()
    assert registry_ontology_quads() is registry_ontology_quads()
    total = (
        len(ontology_quads()) + len(registry_ontology_quads()) + len(concept_quads()) + len(reference_quads())
    )
    assert len(all_vocabulary_quads()) == total > 60_000


def test_concept_iri_is_what_the_context_expands_a_code_to():
    from stafett.vocabulary.jsonld import json_ld_to_quads

    doc = {
        "@context": "https://w3id.org/stafett/context/v1",
        "id": "https://n.example/case/x",
        "type": "Case",
        "sector": ["energy"],
        "country": "NOR",
    }
    objects = {q.object.value for q in json_ld_to_quads(doc)}
    assert concept_iri("sector", "energy") in objects
    assert concept_iri("country", "NOR") in objects


def test_schemes_mapping_is_read_only():
    try:
        SCHEMES["status"] = "x"  # type: ignore[index]
    except TypeError:
        pass
    else:
        raise AssertionError("SCHEMES must not be mutable")
    assert set(SCHEMES) <= set(term_definitions())


def test_rdflib_view_has_the_same_triples():
    graph = as_rdflib(ontology_quads())
    assert len(graph) == len(set(ontology_quads()))


def test_as_rdflib_keeps_strings_plain_and_lexical_forms_as_written():
    import pyoxigraph as ox
    import rdflib

    s, p = ox.NamedNode("https://x.example/s"), ox.NamedNode("https://x.example/p")
    quads = [
        ox.Quad(s, p, ox.Literal("SEK")),
        ox.Quad(
            s,
            p,
            ox.Literal(
                "2026-03-01T08:00:00Z", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
            ),
        ),
    ]
    graph = as_rdflib(quads)
    assert rdflib.Literal("SEK") in set(graph.objects())  # equal to a plain literal, as shapes write it
    assert "2026-03-01T08:00:00Z" in {str(o) for o in graph.objects()}  # not rewritten to +00:00
