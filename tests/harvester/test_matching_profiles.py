"""Profiles read back in batches (harvester/matching/profile.py): one query for many cases gives
each case its own codes and the registry's suggestions for it alone, and a deleted case none."""

from __future__ import annotations

import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester.matching.profile import read_profile, read_profiles
from stafett.vocabulary.terms import DCT, RDF, STF, term

BASE = "https://registry.example/"
PROVENANCE = BASE + "graph/provenance"


def case_quads(case: str, title: str, sector: str) -> list[ox.Quad]:
    subject, graph = ox.NamedNode(case), ox.NamedNode(case)
    return [
        ox.Quad(subject, term(RDF, "type"), term(STF, "Case"), graph),
        ox.Quad(subject, term(DCT, "title"), ox.Literal(title, language="en"), graph),
        ox.Quad(subject, term(STF, "sector"), ox.NamedNode(vocabulary.concept_iri("sector", sector)), graph),
    ]


def suggestion(case: str, topic: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(case),
        term(STF, "suggestedTopic"),
        ox.NamedNode(vocabulary.concept_iri("topic", topic)),
        ox.NamedNode(PROVENANCE),
    )


def test_each_case_gets_its_own_values_and_suggestions_and_a_deleted_case_none():
    a, b, c, gone = (f"{BASE}case/{name}" for name in ("a", "b", "c", "gone"))
    store = ox.Store()
    store.extend(case_quads(a, "Electric buses", "transport"))
    store.extend(case_quads(b, "School meals", "food-meals"))
    store.extend(case_quads(c, "Not asked for", "energy"))
    store.extend([suggestion(a, "t1"), suggestion(b, "t2"), suggestion(c, "t3"), suggestion(gone, "t4")])
    found = read_profiles(store, [a, b, gone], PROVENANCE)
    assert set(found) == {a, b, gone}
    assert found[gone] is None
    assert found[a] is not None and found[b] is not None
    assert found[a].topics == {vocabulary.concept_iri("topic", "t1")}
    assert found[b].topics == {vocabulary.concept_iri("topic", "t2")}
    assert found[a].sectors == {vocabulary.concept_iri("sector", "transport")}
    assert found[a].titles == {"en": "Electric buses"}
    assert read_profile(store, a, PROVENANCE) == found[a]
