"""The shipped EU reference tables: complete enough for the registry, attributed, CPV hierarchical."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from vocab_support import RDF_TYPE, REPO, SKOS, index

from stafett.vocabulary import SCHEMES, concept_iri, reference_quads

REFERENCE = index(reference_quads())


def test_cpv_has_every_code_and_its_hierarchy_resolves():
    cpv = [s for s, p in REFERENCE.items() if (SCHEMES["cpv"], None) in p[SKOS + "inScheme"]]
    assert len(cpv) == 9454
    dangling = [s for s in cpv for b, _ in REFERENCE[s][SKOS + "broader"] if b not in REFERENCE]
    assert not dangling


def test_cpv_area_query_finds_narrower_codes():
    """ "Who piloted solutions in a CPV area" needs skos:broader* from a case's code to the area."""
    store = ox.Store()
    store.extend(reference_quads())
    area = ox.NamedNode(concept_iri("cpv", "34000000"))
    query = "ASK { ?code skos:broader+ ?area }"
    result = store.query(
        query,
        prefixes={"skos": SKOS},
        substitutions={
            ox.Variable("code"): ox.NamedNode(concept_iri("cpv", "34144900")),
            ox.Variable("area"): area,
        },
    )
    assert bool(result)


def test_codes_the_registry_relies_on_exist():
    wanted = {
        "procedureType": "open restricted comp-dial innovation neg-w-call neg-wo-call comp-tend "
        "oth-single oth-mult",
        "country": "SWE NOR DNK FIN ISL",
        "language": "SWE NOB NNO DAN FIN ISL ENG",
        "currency": "SEK NOK DKK EUR ISK",
        "programme": "HORIZONEU H2020 ERDF_2021",
        "legalType": "la ra cga body-pl",
    }
    missing = [
        (k, c)
        for k, codes in wanted.items()
        for c in codes.split()
        if (SKOS + "Concept", None) not in REFERENCE[concept_iri(k, c)][RDF_TYPE]
    ]
    assert not missing


@pytest.mark.parametrize(("name", "lang"), [("icelandic", "is"), ("nynorsk", "nn")])
def test_added_labels_only_on_existing_concepts_and_marked(name, lang):
    path = REPO / "vocabulary" / "reference" / f"stafett-{name}-labels.ttl"
    added = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    labels = [q for q in added if q.predicate.value == SKOS + "prefLabel"]
    labelled = {q.subject.value for q in labels}
    assert labelled and all(q.object.language == lang for q in labels)
    # Only where the EU table has no label in that language: one prefLabel per language (SKOS S14).
    assert all(len([o for o, tag in REFERENCE[s][SKOS + "prefLabel"] if tag == lang]) == 1 for s in labelled)
    assert all((SKOS + "Concept", None) in REFERENCE[s][RDF_TYPE] for s in labelled)
    assert "ADDED BY STAFETT" in path.read_text("utf-8")


def test_readme_gives_attribution_and_licence():
    readme = (REPO / "vocabulary" / "reference" / "README.md").read_text("utf-8")
    for needed in ("CC BY 4.0", "Publications Office", "EU Vocabularies", "DFØ"):
        assert needed in readme
    assert (REPO / "vocabulary" / "reference" / "LICENSE-CC-BY-4.0.txt").exists()
