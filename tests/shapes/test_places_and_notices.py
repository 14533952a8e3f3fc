"""Places (municipality, region, NUTS) and official notice identifiers: what the shapes accept.

The refusals are in tests/shapes/invalid (bad-municipality-code, bad-ted-number, …); here the codes
and identifiers a publisher may write are accepted by both validators (SHACL and JSON Schema), and
the shipped place schemes hold what their sources have.
"""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from shapes_support import minimal_case

from stafett.shapes import validate_document
from stafett.vocabulary import SCHEMES, reference_quads
from stafett.vocabulary.notices import NOTICE_SCHEMES, notice_link

SKOS = "http://www.w3.org/2004/02/skos/core#"


def verdicts(schema: dict, document: dict) -> tuple[bool, bool, list[str]]:
    _, report = validate_document(json.dumps(document).encode(), "application/ld+json")
    schema_ok = Draft202012Validator(schema).is_valid(document)
    return report.conforms, schema_ok, [f.field or "" for f in report.by_severity("Violation")]


ACCEPTED = {
    "swedish-kommun": {"municipality": ["SE-0780", "SE-0180"]},
    "norwegian-kommune-2024": {"municipality": ["NO-0301", "NO-4601"]},
    "icelandic-iso-code": {"municipality": ["IS-RKV"]},
    "danish-format-only": {"municipality": ["DK-101"]},
    "finnish-format-only": {"municipality": ["FI-091"]},
    "icelandic-number-format-only": {"municipality": ["IS-0000"]},
    "regions-of-every-country": {"region": ["SE-07", "NO-03", "DK-1084", "FI-18", "IS-1"]},
    "nuts-2024-and-2021-only": {"nuts": ["SE212", "NO0A2", "NO082", "FI1B1", "IS001", "DK"]},
} | {
    f"notice-{name}": {"noticeIdentifier": [{"identifierScheme": name, "notation": s.example}]}
    for name, s in NOTICE_SCHEMES.items()
}
REFUSED = {
    "norwegian-number-retired-in-2024": ({"municipality": ["NO-0219"]}, "municipality"),  # Bærum is 3201
    "danish-four-digits": ({"municipality": ["DK-0101"]}, "municipality"),
    "lower-case-prefix": ({"municipality": ["se-0180"]}, "municipality"),
    "norwegian-fylke-retired-in-2024": ({"region": ["NO-02"]}, "region"),  # Akershus is 32 again
    "nuts-with-country-prefix-twice": ({"nuts": ["SE-SE212"]}, "nuts"),
    "ted-without-year": (
        {"noticeIdentifier": [{"identifierScheme": "ted", "notation": "00123456"}]},
        "noticeIdentifier",
    ),
    "uuid-in-capitals": (
        {
            "noticeIdentifier": [
                {"identifierScheme": "eforms-procedure", "notation": "1E86A664-AE3C-41EB-8529-0242AC130003"}
            ]
        },
        "noticeIdentifier",
    ),
    "ocid-without-prefix": (
        {"noticeIdentifier": [{"identifierScheme": "ocds", "notation": "213czf-000-00001"}]},
        "noticeIdentifier",
    ),
    "doffin-number-in-ted-scheme": (
        {"noticeIdentifier": [{"identifierScheme": "ted", "notation": "2024-012345"}]},
        "noticeIdentifier",
    ),
    # missing, and so in no scheme's format either
    "identifier-without-scheme": (
        {"noticeIdentifier": [{"notation": "2024-012345"}]},
        "noticeIdentifier noticeIdentifier.identifierScheme",
    ),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_places_and_notices_are_accepted_by_both_validators(schema, name):
    shacl_ok, schema_ok, violations = verdicts(schema, minimal_case(**ACCEPTED[name]))
    assert (shacl_ok, schema_ok) == (True, True), violations


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_malformed_places_and_notices_are_refused_by_both_validators(schema, name):
    changes, field = REFUSED[name]
    shacl_ok, schema_ok, violations = verdicts(schema, minimal_case(**changes))
    assert (shacl_ok, schema_ok) == (False, False)
    assert sorted(violations) == field.split()


def concepts_in(scheme: str) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for q in reference_quads():
        found.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    return {s: p for s, p in found.items() if any(o.value == scheme for o in p.get(SKOS + "inScheme", []))}


def test_shipped_place_schemes_hold_every_code_of_their_sources():
    municipalities = concepts_in(SCHEMES["municipality"])
    regions = concepts_in(SCHEMES["region"])
    prefix_counts = {
        c: sum(1 for p in municipalities.values() if p[SKOS + "notation"][0].value.startswith(c))
        for c in ("SE-", "NO-", "IS-", "DK-", "FI-")
    }
    assert prefix_counts == {"SE-": 290, "NO-": 357, "IS-": 64, "DK-": 0, "FI-": 0}
    assert len(regions) == 21 + 15 + 5 + 19 + 8
    vaxjo = municipalities[SCHEMES["municipality"] + "/SE-0780"]
    assert [(o.value, o.language) for o in vaxjo[SKOS + "prefLabel"]] == [("Växjö", "sv")]
    assert [o.value for o in vaxjo[SKOS + "broader"]] == [SCHEMES["region"] + "/SE-07"]


def test_every_region_points_to_a_shipped_nuts_code_and_every_broader_resolves():
    nuts = concepts_in(SCHEMES["nuts"])
    places = concepts_in(SCHEMES["region"]) | concepts_in(SCHEMES["municipality"])
    for iri, props in concepts_in(SCHEMES["region"]).items():
        matches = [o.value for p in ("exactMatch", "broadMatch") for o in props.get(SKOS + p, [])]
        assert matches and all(m in nuts for m in matches), iri
    dangling = [
        iri for iri, props in places.items() for o in props.get(SKOS + "broader", []) if o.value not in places
    ]
    assert not dangling


def test_notice_links():
    assert notice_link("ted", "00123456-2024") == "https://ted.europa.eu/en/notice/-/detail/123456-2024"
    assert notice_link("doffin", "2024-012345") == "https://doffin.no/notices/2024-012345"
    assert notice_link("hilma", "2024-012345") is None  # Hilma's page also needs the project id
    assert notice_link("unknown", "x") is None


def test_the_documented_example_is_valid():
    from stafett.vocabulary.docs import PLACES_AND_NOTICES_EXAMPLE

    _, report = validate_document(PLACES_AND_NOTICES_EXAMPLE.encode(), "application/ld+json")
    assert report.conforms, [f.message for f in report.by_severity("Violation")]
