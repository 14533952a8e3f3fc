"""Agreement test 4: concept-valued keys, their schemes and their concepts agree."""

from __future__ import annotations

from collections import Counter

import pytest
from vocab_support import RDF_TYPE, SEVEN, SKOS, index, term_definitions

from stafett.vocabulary import CONCEPT_BASE, PROJECT_SCHEMES, SCHEMES, concept_quads, reference_quads

CONCEPTS = index(concept_quads())
REFERENCE = index(reference_quads())
MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")

# The fixed codes from the common brief (the contract every helper codes against).
FIXED_CODES = {
    "case-status": "needs-analysis market-dialogue tendering development pilot implemented scaled-up "
    "adopted-by-others discontinued contract-awarded completed planned",  # 1.1 added contract-awarded,
    # completed; 1.2 planned (issue 15)
    "innovation-approach": "pcp ppi innovation-partnership competitive-dialogue competitive-negotiation "
    "market-dialogue functional-requirements design-contest innovation-competition "
    "testbed",
    "sector": "health-social-care education it-digitalisation environment-climate transport energy "
    "construction-housing public-administration water-waste culture-leisure public-safety "
    "food-meals transport-infrastructure research",  # 1.1 added the last two
    "outcome-type": "cost-savings quality-improvement time-savings environmental-benefit work-environment "
    "accessibility new-market scaled-solution knowledge-gained no-measurable-effect",
    "funding-type": "own-budget national-innovation-agency eu-programme regional-fund research-council "
    "nordic-cooperation private-co-funding other",
    "adoption-route": "framework-call-off join-next-procurement open-source licence-agreement "
    "reuse-documents new-procurement shared-ip",  # 1.2 added shared-ip (issue 15)
    "document-type": "notice tender-documents specification report evaluation contract presentation video "
    "web-page",
    "participant-role": "lead-buyer participating-buyer follower awarded-supplier subcontractor "  # 1.1
    "coordinator research-partner legal-adviser facilitator partner",
}


def concepts_of(graph: dict, scheme: str) -> list[str]:
    return sorted(s for s, p in graph.items() if (scheme, None) in p[SKOS + "inScheme"])


def is_concept(graph: dict, iri: str) -> bool:
    return (SKOS + "Concept", None) in graph.get(iri, {}).get(RDF_TYPE, [])


def concept_valued_keys() -> dict:
    return {k: v for k, v in term_definitions().items() if isinstance(v, dict) and v.get("@type") == "@vocab"}


def test_schemes_cover_exactly_the_concept_valued_keys():
    assert set(SCHEMES) == set(concept_valued_keys())


@pytest.mark.parametrize("key", sorted(SCHEMES))
def test_scoped_vocab_is_the_scheme_namespace_and_the_scheme_exists(key):
    vocab = concept_valued_keys()[key]["@context"]["@vocab"]
    assert vocab == SCHEMES[key] + "/"
    graph = CONCEPTS if SCHEMES[key].startswith(CONCEPT_BASE) else REFERENCE
    assert (SKOS + "ConceptScheme", None) in graph[SCHEMES[key]][RDF_TYPE], f"no scheme {SCHEMES[key]}"
    assert concepts_of(graph, SCHEMES[key]), f"scheme {SCHEMES[key]} has no concepts"


def test_every_project_scheme_file_is_used_by_a_key():
    shipped = {s for s, p in CONCEPTS.items() if (SKOS + "ConceptScheme", None) in p[RDF_TYPE]}
    assert shipped == set(PROJECT_SCHEMES.values())


@pytest.mark.parametrize("scheme_name", sorted(FIXED_CODES))
def test_scheme_holds_exactly_the_fixed_codes(scheme_name):
    scheme = CONCEPT_BASE + scheme_name
    notations = [CONCEPTS[c][SKOS + "notation"][0][0] for c in concepts_of(CONCEPTS, scheme)]
    assert sorted(notations) == sorted(FIXED_CODES[scheme_name].split())
    assert not [n for n, count in Counter(notations).items() if count > 1], "notations must be unique"
    head = CONCEPTS[scheme]
    assert sorted(lang for _, lang in head[SKOS + "prefLabel"]) == sorted(SEVEN)


ALL_PROJECT_CONCEPTS = [c for s in PROJECT_SCHEMES.values() for c in concepts_of(CONCEPTS, s)]


@pytest.mark.parametrize("concept", ALL_PROJECT_CONCEPTS)
def test_concept_is_complete(concept):
    node = CONCEPTS[concept]
    scheme, _, code = concept.rpartition("/")
    assert is_concept(CONCEPTS, concept)
    assert node[SKOS + "inScheme"] == [(scheme, None)]
    assert node[SKOS + "topConceptOf"] == [(scheme, None)]
    assert node[SKOS + "notation"] == [(code, None)], "notation must equal the code in the IRI"
    labels = sorted(lang for _, lang in node[SKOS + "prefLabel"])
    assert labels == sorted(SEVEN), f"{concept}: prefLabel languages {labels}"
    definitions = {lang for _, lang in node[SKOS + "definition"]}
    assert {"en", "sv"} <= definitions


def test_no_concept_without_a_scheme():
    orphans = [s for s in CONCEPTS if is_concept(CONCEPTS, s) and not CONCEPTS[s][SKOS + "inScheme"]]
    assert not orphans


def test_every_match_target_exists_in_the_reference_tables():
    """EU tables and CPV for every scheme; topics also match the Stafett sectors (another scheme)."""
    targets = [(c, m, t) for c in ALL_PROJECT_CONCEPTS for m in MATCHES for t, _ in CONCEPTS[c][SKOS + m]]
    sector = SCHEMES["sector"] + "/"
    missing = [
        (c, m, t)
        for c, m, t in targets
        if not is_concept(REFERENCE, t) and not (t.startswith(sector) and is_concept(CONCEPTS, t))
    ]
    assert targets and not missing, f"match targets absent from vocabulary/reference: {missing}"


TOPICS = concepts_of(CONCEPTS, SCHEMES["topic"])


def test_topic_scheme_is_large_and_every_topic_names_its_sector_and_synonyms():
    assert len(TOPICS) >= 140
    for topic in TOPICS:
        node = CONCEPTS[topic]
        sectors = [t for t, _ in node[SKOS + "broadMatch"] if t.startswith(SCHEMES["sector"] + "/")]
        assert sectors, f"{topic} has no broadMatch to a sector"
        alt_languages = {lang for _, lang in node[SKOS + "altLabel"]}
        assert len(alt_languages) >= 6, f"{topic}: synonyms in only {sorted(alt_languages)}"


def test_no_two_topics_share_a_label_in_one_language():
    """Suggestion and query expansion go from a label to its concept: a label must name one topic."""
    owners: dict = {}
    for topic in TOPICS:
        for kind in ("prefLabel", "altLabel"):
            for value, lang in CONCEPTS[topic][SKOS + kind]:
                owners.setdefault((lang, value.lower()), set()).add(topic)
    shared = {key: sorted(owner) for key, owner in owners.items() if len(owner) > 1}
    assert not shared, shared


def test_home_care_has_the_words_people_write_in_each_language():
    node = CONCEPTS[SCHEMES["topic"] + "/home-care"]
    labels = {v.lower() for kind in ("prefLabel", "altLabel") for v, _ in node[SKOS + kind]}
    written = {"hemtjänst", "hjemmetjeneste", "hjemmehjelp", "hjemmepleje", "kotihoito", "heimaþjónusta"}
    assert written | {"home care"} <= labels


def test_key_matches_the_brief_asks_for():
    ppt = "http://publications.europa.eu/resource/authority/procurement-procedure-type/"
    approach = CONCEPT_BASE + "innovation-approach/"
    assert (ppt + "innovation", None) in CONCEPTS[approach + "innovation-partnership"][SKOS + "exactMatch"]
    assert (ppt + "comp-dial", None) in CONCEPTS[approach + "competitive-dialogue"][SKOS + "exactMatch"]
    assert (ppt + "neg-w-call", None) in CONCEPTS[approach + "competitive-negotiation"][SKOS + "closeMatch"]
    # There is no EU code for PCP: nothing may claim to be the same concept.
    assert not CONCEPTS[approach + "pcp"][SKOS + "exactMatch"]
