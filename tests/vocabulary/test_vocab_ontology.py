"""Agreement test 2: every Stafett class and property is documented in seven languages and linked."""

from __future__ import annotations

import pytest
from stafett.vocabulary import ONTOLOGY_IRI, STF, ontology_quads
from vocab_support import OWL, RDF_TYPE, RDFS, SEVEN, SKOS, index

GRAPH = index(ontology_quads())
TERMS = sorted(s for s, p in GRAPH.items() if s.startswith(STF) and p[RDF_TYPE])
PROPERTIES = [t for t in TERMS if (OWL + "Class", None) not in GRAPH[t][RDF_TYPE]]
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"


def languages(values) -> list[str]:
    return sorted(lang for _, lang in values)


def test_the_ontology_defines_the_expected_terms():
    # The list of stf: terms the brief names; the context test checks that each is also used.
    expected = {"Case", "Solution", "Funding", "need", "outcome", "lessonsLearned", "risks", "riskSharing",
                "adoptionNote", "innovationApproach", "sector", "effect", "adoptionRoute", "fundingType",
                "buyer", "solution", "supplier", "procedure", "funding", "funder", "openForAdoption",
                "openForPartners", "scaledUpFrom", "adoptedFrom", "adoptedBy"}
    assert {t[len(STF):] for t in TERMS} == expected


@pytest.mark.parametrize("term", TERMS)
def test_term_has_one_label_and_definition_per_language(term):
    for predicate in (RDFS + "label", SKOS + "definition"):
        langs = languages(GRAPH[term][predicate])
        assert sorted(SEVEN) == langs, f"{term} {predicate}: {langs}, want one per language"
        assert all(value.strip() for value, _ in GRAPH[term][predicate])


@pytest.mark.parametrize("term", TERMS)
def test_term_is_defined_by_the_ontology(term):
    assert GRAPH[term][RDFS + "isDefinedBy"] == [(ONTOLOGY_IRI, None)]


@pytest.mark.parametrize("prop", PROPERTIES)
def test_property_has_domain_and_range(prop):
    assert GRAPH[prop][RDFS + "domain"], f"{prop} has no rdfs:domain"
    assert GRAPH[prop][RDFS + "range"], f"{prop} has no rdfs:range"


def test_ontology_header():
    head = GRAPH[ONTOLOGY_IRI]
    assert (OWL + "Ontology", None) in head[RDF_TYPE]
    assert ("1.0", None) in head[OWL + "versionInfo"]
    assert head[DCT + "license"] and head[DCT + "title"]
    assert ("stf", None) in head["http://purl.org/vocab/vann/preferredNamespacePrefix"]
    assert (STF, None) in head["http://purl.org/vocab/vann/preferredNamespaceUri"]


def test_links_to_standards():
    assert (PROV + "wasDerivedFrom", None) in GRAPH[STF + "scaledUpFrom"][RDFS + "subPropertyOf"]
    assert (PROV + "wasDerivedFrom", None) in GRAPH[STF + "adoptedFrom"][RDFS + "subPropertyOf"]
    assert GRAPH[STF + "adoptedBy"][OWL + "inverseOf"] == [(STF + "adoptedFrom", None)]
    assert (DCT + "subject", None) in GRAPH[STF + "sector"][RDFS + "subPropertyOf"]
    assert (PROV + "Entity", None) in GRAPH[STF + "Case"][RDFS + "subClassOf"]
    assert ("http://www.w3.org/ns/dcat#Resource", None) in GRAPH[STF + "Case"][RDFS + "subClassOf"]
    buyer_comment = " ".join(v for v, _ in GRAPH[STF + "buyer"][RDFS + "comment"])
    assert "epo:Buyer" in buyer_comment and "epo:playedBy" in buyer_comment

