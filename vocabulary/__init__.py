"""What things mean: the Stafett ontology, its SKOS concept schemes and the EU reference tables.

All files ship inside the package and are read with `importlib.resources`, parsed once and cached
(the CPV table alone is 9,454 concepts, so nothing is parsed at import). Quads come back in the
default graph; callers that load them into a store choose the graph.

- `ontology_quads()`      the `stf:` classes and properties of cases (vocabulary/ontology.ttl)
- `registry_ontology_quads()` the `stf:` terms a registry writes about its harvests
                          (vocabulary/registry-ontology.ttl: sources, runs, routes, tombstones)
- `concept_quads()`       the Stafett schemes (vocabulary/concepts/*.ttl), `topic` among them
- `reference_quads()`     the EU authority tables and CPV (vocabulary/reference/*.ttl)
- `all_vocabulary_quads()` all of the above
- `as_rdflib(quads)`      the same triples as an rdflib Graph (for pySHACL or rdflib users)
- `SCHEMES`               JSON key -> scheme IRI for every concept-valued key of the context
- `concept_iri(key, code)` the IRI a publisher's code expands to under that key
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType

import pyoxigraph as ox

from stafett.languages import SUPPORTED
from stafett.vocabulary import terms

STF = terms.STF
ONTOLOGY_IRI = "https://w3id.org/stafett/ns"
# A separate module in the same namespace: registry bookkeeping is not what publishers write, so it
# is kept out of ontology.ttl (whose every term is a JSON key of the context).
REGISTRY_ONTOLOGY_IRI = "https://w3id.org/stafett/ns/registry"
CONCEPT_BASE = terms.STF_CONCEPT
EU_AUTHORITY = terms.EU_AUTHORITY
CPV_SCHEME = "http://data.europa.eu/cpv/cpv"
PLACE_BASE = terms.STF_PLACE
NUTS_SCHEME = terms.NUTS.rstrip("/")  # the scheme is the namespace without its last slash
LANGUAGES = SUPPORTED

# JSON key -> SKOS concept scheme IRI. A key's scoped `@vocab` in the context is this IRI plus "/"
# (tests/vocabulary keep the two in agreement), so a code `c` under key `k` is SCHEMES[k] + "/" + c.
SCHEMES = MappingProxyType(
    {
        "status": CONCEPT_BASE + "case-status",
        "innovationApproach": CONCEPT_BASE + "innovation-approach",
        "sector": CONCEPT_BASE + "sector",
        "effect": CONCEPT_BASE + "outcome-type",
        "fundingType": CONCEPT_BASE + "funding-type",
        "adoptionRoute": CONCEPT_BASE + "adoption-route",
        "documentType": CONCEPT_BASE + "document-type",
        "role": CONCEPT_BASE + "participant-role",
        "procedureType": EU_AUTHORITY + "procurement-procedure-type",
        "country": EU_AUTHORITY + "country",
        "language": EU_AUTHORITY + "language",
        "currency": EU_AUTHORITY + "currency",
        "programme": EU_AUTHORITY + "eu-programme",
        "legalType": EU_AUTHORITY + "buyer-legal-type",
        "cpv": CPV_SCHEME,
        # places (issue 12): Stafett's union schemes of the official Nordic codes, and NUTS
        "municipality": PLACE_BASE + "municipality",
        "region": PLACE_BASE + "region",
        "nuts": NUTS_SCHEME,
        "innovativeAcquisition": EU_AUTHORITY + "innovative-acquisition",  # eForms BT-776, on `procedure`
        # issue 13: what a case is about (about 150 concepts; the key maps to dct:subject)
        "topic": CONCEPT_BASE + "topic",
    }
)
# The schemes Stafett defines itself (one file each in vocabulary/concepts/).
PROJECT_SCHEMES = MappingProxyType({k: v for k, v in SCHEMES.items() if v.startswith(CONCEPT_BASE)})

__all__ = [
    "CONCEPT_BASE",
    "LANGUAGES",
    "ONTOLOGY_IRI",
    "PROJECT_SCHEMES",
    "REGISTRY_ONTOLOGY_IRI",
    "SCHEMES",
    "STF",
    "all_vocabulary_quads",
    "as_rdflib",
    "concept_iri",
    "concept_quads",
    "ontology_quads",
    "reference_quads",
    "registry_ontology_quads",
]


def concept_iri(key: str, code: str) -> str:
    """The IRI a code written under a concept-valued JSON key stands for."""
    return f"{SCHEMES[key]}/{code}"


def _parse_files(folder: str | None, pattern: str) -> tuple[ox.Quad, ...]:
    """Every Turtle file in `folder` whose name ends with `pattern`."""
    root = resources.files("stafett.vocabulary")
    if folder:
        root = root.joinpath(folder)
    quads: list[ox.Quad] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(pattern):
            quads.extend(ox.parse(entry.read_bytes(), ox.RdfFormat.TURTLE))
    return tuple(quads)


def _parse_file(name: str) -> tuple[ox.Quad, ...]:
    data = resources.files("stafett.vocabulary").joinpath(name).read_bytes()
    return tuple(ox.parse(data, ox.RdfFormat.TURTLE))


@cache
def ontology_quads() -> tuple[ox.Quad, ...]:
    """The Stafett ontology (classes and properties with labels in seven languages)."""
    return _parse_file("ontology.ttl")


@cache
def registry_ontology_quads() -> tuple[ox.Quad, ...]:
    """The registry bookkeeping terms the harvester writes (harvest sources, runs, routes,
    tombstones, run counters), documented in seven languages like the main ontology."""
    return _parse_file("registry-ontology.ttl")


@cache
def concept_quads() -> tuple[ox.Quad, ...]:
    """The Stafett SKOS concept schemes (one file each in vocabulary/concepts/)."""
    return _parse_files("concepts", ".ttl")


@cache
def reference_quads() -> tuple[ox.Quad, ...]:
    """The shipped EU authority tables (with CPV), Stafett's added Icelandic labels and the Nordic
    place schemes (municipalities, regions, NUTS)."""
    return _parse_files("reference", ".ttl")


@cache
def all_vocabulary_quads() -> tuple[ox.Quad, ...]:
    """Both ontology modules, the concept schemes and the reference tables."""
    return ontology_quads() + registry_ontology_quads() + concept_quads() + reference_quads()


def as_rdflib(quads):
    """Copy quads into a new rdflib Graph (imported lazily: rdflib is slow to import)."""
    from stafett.vocabulary.rdflib_terms import graph_of

    return graph_of(quads)
