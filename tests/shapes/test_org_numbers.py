"""Organisation numbers (1.1): optional, and when given in a Nordic country checked for format and
check digit by the shared validator, as a Warning that names the field and the fix."""

from __future__ import annotations

import json

import pytest
from shapes_support import minimal_case

from stafett.shapes import validate_document
from stafett.shapes.orgnumbers import is_valid

# Numbers published in the national registers (public data) and the same numbers mistyped.
VALID = [
    ("SWE", "556036-0793"),
    ("SWE", "5560360793"),
    ("NOR", "974760673"),
    ("DNK", "13585628"),
    ("FIN", "0201256-6"),
    ("ISL", "450401-3150"),
]
MISTYPED = [
    ("SWE", "556036-0794"),
    ("NOR", "974760674"),
    ("DNK", "13585629"),
    ("FIN", "0201256-7"),
    ("ISL", "450401-3160"),
    ("SWE", "N/A"),
    ("NOR", "000"),
]


def org_findings(doc: dict) -> list:
    _, report = validate_document(json.dumps(doc).encode(), "application/ld+json")
    return [f for f in report.findings if f.rule.endswith("Organization-orgNumber-check")]


@pytest.mark.parametrize(("country", "number"), VALID)
def test_a_registered_number_passes(country, number):
    assert is_valid(number, country)
    buyer = {"name": {"sv": "K"}, "orgNumber": number, "country": country}
    assert org_findings(minimal_case(buyer=[buyer])) == []


@pytest.mark.parametrize(("country", "number"), MISTYPED)
def test_a_mistyped_number_is_a_warning_naming_the_field_and_the_fix(country, number):
    buyer = {"name": {"sv": "K"}, "orgNumber": number, "country": country}
    doc = minimal_case(buyer=[buyer])
    [finding] = org_findings(doc)
    assert (finding.severity, finding.field, finding.value) == ("Warning", "buyer.orgNumber", number)
    assert "national register" in finding.message and number in finding.message
    _, report = validate_document(json.dumps(doc).encode(), "application/ld+json")
    assert report.conforms  # a 1.0 document with a mistyped number stays valid


def test_nested_organisations_are_checked_with_their_own_country():
    supplier = {"name": {"nb": "AS"}, "orgNumber": "974760674", "country": "NOR"}
    participant = {
        "organization": {"name": {"da": "ApS"}, "orgNumber": "13585629", "country": "DNK"},
        "role": ["awarded-supplier"],
    }
    doc = minimal_case(solution=[{"supplier": [supplier]}], participant=[participant])
    assert sorted(f.field for f in org_findings(doc)) == [
        "participant.organization.orgNumber",
        "solution.supplier.orgNumber",
    ]


def test_a_buyer_without_a_country_is_checked_against_the_case_country():
    assert [f.field for f in org_findings(minimal_case(buyer=[{"name": {"sv": "K"}, "orgNumber": "1"}]))] == [
        "buyer.orgNumber"
    ]
    assert org_findings(minimal_case(buyer=[{"name": {"sv": "K"}, "orgNumber": "556036-0793"}])) == []


def test_numbers_of_other_countries_and_absent_numbers_are_not_checked():
    german = {"name": {"de": "GmbH"}, "orgNumber": "HRB 1234", "country": "DEU"}
    assert org_findings(minimal_case(buyer=[german])) == []
    assert org_findings(minimal_case()) == []


def test_the_finding_speaks_the_requested_language():
    doc = minimal_case(buyer=[{"name": {"sv": "K"}, "orgNumber": "556036-0794", "country": "SWE"}])
    _, report = validate_document(json.dumps(doc).encode(), "application/ld+json", lang="sv")
    [finding] = [f for f in report.findings if f.rule.endswith("Organization-orgNumber-check")]
    assert "organisationsnummer" in finding.message and "nationella registret" in finding.message
