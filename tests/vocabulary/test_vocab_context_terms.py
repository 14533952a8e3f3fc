"""Agreement test 1: every context term expands to an IRI that is defined somewhere we can name."""

from __future__ import annotations

import pytest
from vocab_support import RDF_TYPE, epo_declared, index, term_definitions, term_iri

from stafett.vocabulary import STF, ontology_quads

# Local names that exist in each reused standard (transcribed from the specifications: DCMI Terms,
# DCAT 3, ADMS, FOAF, ORG, PROV-O, vCard 4). A term outside these lists is a typo or an invention.
STANDARD_TERMS = {
    "http://purl.org/dc/terms/": {
        "title",
        "description",
        "type",
        "publisher",
        "identifier",
        "spatial",
        "language",
        "relation",
        "issued",
        "modified",
        "subject",
        "date",
        "isPartOf",
        "created",  # the created time of a Data Integrity proof (as the W3C security context maps it)
    },
    # W3C security vocabulary (Data Integrity 1.0): the terms of a DataIntegrityProof
    "https://w3id.org/security#": {
        "DataIntegrityProof",
        "proof",
        "cryptosuite",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
    },
    "http://www.w3.org/ns/dcat#": {
        "keyword",
        "startDate",
        "endDate",
        "landingPage",
        "contactPoint",
        "version",
        "Resource",
    },
    "http://www.w3.org/ns/adms#": {"status", "identifier", "Identifier"},
    "http://www.w3.org/2004/02/skos/core#": {"notation"},
    "http://xmlns.com/foaf/0.1/": {"name", "page", "Document"},
    "http://www.w3.org/ns/org#": {"Organization", "classification"},
    "http://www.w3.org/ns/prov#": {
        "wasDerivedFrom",
        "Entity",
        "qualifiedAttribution",
        "Attribution",
        "agent",
        "hadRole",
    },
    "http://www.w3.org/2006/vcard/ns#": {"Kind", "fn", "hasEmail", "hasTelephone"},
}
EPO = "http://data.europa.eu/a4g/ontology#"
KEYWORDS = {"@id", "@type"}


def split(iri: str) -> tuple[str, str]:
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    return iri[:cut], iri[cut:]


def stf_defined() -> set[str]:
    graph = index(ontology_quads())
    return {s for s, p in graph.items() if p[RDF_TYPE] and s.startswith(STF)}


@pytest.mark.parametrize("key", sorted(term_definitions()))
def test_term_expands_to_a_known_iri(key):
    iri = term_iri(term_definitions()[key])
    if iri in KEYWORDS:
        return
    namespace, local = split(iri)
    if namespace == STF:
        assert iri in stf_defined(), f"{key} -> {iri} is not defined in vocabulary/ontology.ttl"
    elif namespace == EPO:
        assert iri in epo_declared(), f"{key} -> {iri} does not exist in ePO 4.2.0 core"
    else:
        assert namespace in STANDARD_TERMS, f"{key} -> {iri}: namespace is not an allow-listed standard"
        assert local in STANDARD_TERMS[namespace], f"{key} -> {iri}: no such term in that standard"


def test_every_stf_term_is_used_by_the_context():
    used = {term_iri(d) for d in term_definitions().values()}
    unused = stf_defined() - used
    assert not unused, f"defined in the ontology but exposed by no JSON key: {sorted(unused)}"


def test_standard_terms_the_ontology_points_to_exist():
    """rdfs:seeAlso/subClassOf/subPropertyOf/range targets in the ePO namespace must exist in ePO."""
    declared = epo_declared()
    targets = {q.object.value for q in ontology_quads() if q.object.value.startswith(EPO)}
    missing = sorted(targets - declared)
    assert targets and not missing, f"ePO terms named by the ontology that ePO 4.2.0 lacks: {missing}"
