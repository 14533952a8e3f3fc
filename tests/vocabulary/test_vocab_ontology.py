"""Agreement test 2: every Stafett class and property is documented in seven languages and linked.

Both ontology modules are held to the same rules: the case ontology (ontology.ttl) and the registry
bookkeeping module (registry-ontology.ttl); each term must say which of the two defines it.
"""

from __future__ import annotations

import pytest
from vocab_support import OWL, RDF_TYPE, RDFS, SEVEN, SKOS, index

from stafett.vocabulary import (
    ONTOLOGY_IRI,
    REGISTRY_ONTOLOGY_IRI,
    STF,
    ontology_quads,
    registry_ontology_quads,
)

GRAPH = index(ontology_quads())
TERMS = sorted(s for s, p in GRAPH.items() if s.startswith(STF) and p[RDF_TYPE])
REGISTRY_GRAPH = index(registry_ontology_quads())
REGISTRY_TERMS = sorted(s for s, p in REGISTRY_GRAPH.items() if s.startswith(STF) and p[RDF_TYPE])
# (module IRI, graph, term) for every term of both modules.
ALL_TERMS = [(ONTOLOGY_IRI, GRAPH, t) for t in TERMS] + [
    (REGISTRY_ONTOLOGY_IRI, REGISTRY_GRAPH, t) for t in REGISTRY_TERMS
]
ALL_PROPERTIES = [(g, t) for _, g, t in ALL_TERMS if (OWL + "Class", None) not in g[t][RDF_TYPE]]
IDS = [t[len(STF) :] for _, _, t in ALL_TERMS]
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"


def languages(values) -> list[str]:
    return sorted(lang for _, lang in values)


def test_the_ontology_defines_the_expected_terms():
    # The list of stf: terms the brief names; the context test checks that each is also used.
    expected = {
        "Case",
        "Solution",
        "Funding",
        "need",
        "outcome",
        "lessonsLearned",
        "risks",
        "riskSharing",
        "adoptionNote",
        "innovationApproach",
        "sector",
        "effect",
        "adoptionRoute",
        "fundingType",
        "buyer",
        "solution",
        "supplier",
        "procedure",
        "funding",
        "funder",
        "openForAdoption",
        "openForPartners",
        "scaledUpFrom",
        "adoptedFrom",
        "adoptedBy",
        "milestone",
        "Milestone",
    }  # added in 1.1
    expected |= {"municipality", "region", "innovativeAcquisition"}  # 1.1: places, BT-776
    # 1.2 (issue 15): offers with an end, planned needs with dates
    expected |= {"openForAdoptionUntil", "openForPartnersUntil", "expectedTenderDate", "expectedStartDate"}
    assert {t[len(STF) :] for t in TERMS} == expected


@pytest.mark.parametrize(("module", "graph", "term"), ALL_TERMS, ids=IDS)
def test_term_has_one_label_and_definition_per_language(module, graph, term):
    for predicate in (RDFS + "label", SKOS + "definition"):
        langs = languages(graph[term][predicate])
        assert sorted(SEVEN) == langs, f"{term} {predicate}: {langs}, want one per language"
        assert all(value.strip() for value, _ in graph[term][predicate])


@pytest.mark.parametrize(("module", "graph", "term"), ALL_TERMS, ids=IDS)
def test_term_is_defined_by_its_module(module, graph, term):
    assert graph[term][RDFS + "isDefinedBy"] == [(module, None)]


@pytest.mark.parametrize(("graph", "prop"), ALL_PROPERTIES, ids=[p[len(STF) :] for _, p in ALL_PROPERTIES])
def test_property_has_domain_and_range(graph, prop):
    assert graph[prop][RDFS + "domain"], f"{prop} has no rdfs:domain"
    assert graph[prop][RDFS + "range"], f"{prop} has no rdfs:range"


def test_no_term_is_defined_by_both_modules():
    both = set(TERMS) & set(REGISTRY_TERMS)
    assert REGISTRY_TERMS and not both, f"defined in both ontology files: {sorted(both)}"


@pytest.mark.parametrize(("iri", "graph"), [(ONTOLOGY_IRI, GRAPH), (REGISTRY_ONTOLOGY_IRI, REGISTRY_GRAPH)])
def test_ontology_header(iri, graph):
    head = graph[iri]
    assert (OWL + "Ontology", None) in head[RDF_TYPE]
    assert head[OWL + "versionInfo"][0][0] in ("1.0", "1.2")  # the case ontology is 1.2, the registry 1.0
    assert head[DCT + "license"] and head[DCT + "title"]
    assert sorted(SEVEN) == languages(head[DCT + "title"])
    assert ("stf", None) in head["http://purl.org/vocab/vann/preferredNamespacePrefix"]
    assert (STF, None) in head["http://purl.org/vocab/vann/preferredNamespaceUri"]


def test_the_two_modules_link_each_other():
    assert (REGISTRY_ONTOLOGY_IRI, None) in GRAPH[ONTOLOGY_IRI][RDFS + "seeAlso"]
    assert (ONTOLOGY_IRI, None) in REGISTRY_GRAPH[REGISTRY_ONTOLOGY_IRI][OWL + "imports"]


def test_links_to_standards():
    assert (PROV + "wasDerivedFrom", None) in GRAPH[STF + "scaledUpFrom"][RDFS + "subPropertyOf"]
    assert (PROV + "wasDerivedFrom", None) in GRAPH[STF + "adoptedFrom"][RDFS + "subPropertyOf"]
    assert GRAPH[STF + "adoptedBy"][OWL + "inverseOf"] == [(STF + "adoptedFrom", None)]
    assert (DCT + "subject", None) in GRAPH[STF + "sector"][RDFS + "subPropertyOf"]
    assert (PROV + "Entity", None) in GRAPH[STF + "Case"][RDFS + "subClassOf"]
    assert ("http://www.w3.org/ns/dcat#Resource", None) in GRAPH[STF + "Case"][RDFS + "subClassOf"]
    buyer_comment = " ".join(v for v, _ in GRAPH[STF + "buyer"][RDFS + "comment"])
    assert "epo:Buyer" in buyer_comment and "epo:playedBy" in buyer_comment
