"""Vocabulary 1.1 on the node: 1.0 sheets still import, nothing is dropped unseen, the language is
derived from the texts, and the organisation number is optional."""

from __future__ import annotations

import csv
import json
import pathlib

import pytest
from writer_support import TEMPLATE

from stafett.node.importer import import_paths
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore

BASE = "http://127.0.0.1:9/"
SHEETS = pathlib.Path(__file__).resolve().parent / "sheets"
DCT_IDENTIFIER = b"<http://purl.org/dc/terms/identifier>"


def make(tmp_path, org_number: str | None = "212000-0688"):
    settings = NodeSettings(
        BASE, tmp_path / "node", {"sv": "Exempelby kommun"}, org_number, "SWE", ("sv", "en")
    )
    return settings, NodeStore(settings.database_path)


def imported(store, settings, item) -> dict:
    return store.get_case(settings.case_iri(item.slug)).document


def test_a_sheet_made_from_the_1_0_template_still_imports(tmp_path):
    settings, store = make(tmp_path)
    report = import_paths(store, settings, [SHEETS / "case-template-1.0.csv"])
    assert report.ok, report.text()
    (item,) = report.items
    doc = imported(store, settings, item)
    assert doc["status"] == "pilot"
    assert doc["startDate"] == "2024-01-15"


def test_the_1_1_template_fills_milestones_participants_and_projects(tmp_path):
    settings, store = make(tmp_path)
    report = import_paths(store, settings, [TEMPLATE])
    assert report.ok, report.text()
    (item,) = report.items
    doc = imported(store, settings, item)
    stages = {m["status"]: m.get("date") for m in doc["milestone"]}
    # a day stays a plain string; a year-month is written as its explicit value object
    assert stages == {
        "market-dialogue": {"@value": "2023-09", "@type": "xsd:gYearMonth"},
        "contract-awarded": {"@value": "2023-12", "@type": "xsd:gYearMonth"},
        "pilot": "2024-01-15",
    }
    roles = {p["organization"]["name"]["sv"]: p["role"] for p in doc["participant"]}
    assert roles == {"Exempelby kommun": ["lead-buyer"], "Matval AB": ["awarded-supplier"]}
    assert doc["partOf"][0]["name"]["sv"] == "Hållbara skolmåltider i länet"


def test_a_sector_written_as_its_label_is_refused_with_a_finding_not_dropped(tmp_path):
    settings, store = make(tmp_path)
    sheet = tmp_path / "cases.csv"
    sheet.write_text(
        "key,title_sv,summary_sv,country,buyer.name_sv,sector\n"
        'x,Titel,Kort,SWE,Kommunen,"Hälsa, vård och omsorg"\n',
        "utf-8",
    )
    report = import_paths(store, settings, [sheet])
    (item,) = report.items
    assert item.action == "failed" and "sector" in report.text()
    assert store.get_case(settings.case_iri("x")) is None


def write_case(tmp_path, **fields) -> pathlib.Path:
    doc = {
        "@context": "https://w3id.org/stafett/context/v1",
        "type": "Case",
        "title": {"sv": "Titel", "en": "Title"},
        "need": {"sv": "Behov"},
        "country": "SWE",
        "buyer": [{"name": {"sv": "Kommunen"}}],
    } | fields
    path = tmp_path / "case.jsonld"
    path.write_text(json.dumps(doc), "utf-8")
    return path


def test_the_language_is_derived_from_the_text_tags_when_absent(tmp_path):
    settings, store = make(tmp_path)
    report = import_paths(store, settings, [write_case(tmp_path)])
    assert report.ok, report.text()
    assert sorted(imported(store, settings, report.items[0])["language"]) == ["ENG", "SWE"]


def test_a_stated_language_is_kept_as_stated(tmp_path):
    settings, store = make(tmp_path)
    report = import_paths(store, settings, [write_case(tmp_path, language=["SWE"])])
    assert imported(store, settings, report.items[0])["language"] in (["SWE"], "SWE")


@pytest.mark.parametrize(("org_number", "has_identifier"), [(None, False), ("212000-0688", True)])
def test_the_publisher_carries_an_org_number_only_when_the_node_has_one(tmp_path, org_number, has_identifier):
    settings, store = make(tmp_path, org_number)
    report = import_paths(store, settings, [write_case(tmp_path)])
    assert report.ok, report.text()
    record = store.get_case(settings.case_iri(report.items[0].slug))
    subject = f"<{settings.publisher_iri}>".encode()
    publisher = [line for line in record.ntriples.splitlines() if line.startswith(subject)]
    assert publisher and any(DCT_IDENTIFIER in line for line in publisher) == has_identifier


# A label, a wrong case and a code with a space for every code-valued column of the sheet; each row
# must fail on its own with a finding naming that row and that column (nothing dropped unseen).
CODE_COLUMNS = {
    "sector": ("Hälsa, vård och omsorg", {}),
    "status": ("Pilot", {}),
    "region": ("Kronobergs län", {}),
    "municipality": ("se-0780", {}),
    "nuts": ("SE 212", {}),
    "innovationApproach": ("PCP", {}),
    "effect": ("Kostnadsbesparing", {}),
    "adoptionRoute": ("Öppen källkod", {}),
    "country": ("Sverige", {}),
    "language": ("svenska", {}),
    "cpv": ("3414 4900", {}),
    "procedure.procedureType": ("Öppet förfarande", {}),
    "procedure.innovativeAcquisition": ("RD-ACT", {}),
    "document.documentType": ("Rapport", {"document.url": "https://d.example/r.pdf"}),
    "funding.fundingType": ("Egen budget", {}),
    "funding.programme": ("Horisont Europa", {}),
    "participant.role": ("Koordinator", {"participant.organization.name_sv": "Org"}),
    "milestone.status": ("Tilldelat kontrakt", {}),
    "cost.currency": ("kronor", {"cost.amount": "5"}),
    "buyer.legalType": ("Kommun", {}),
    "buyer.country": ("Sverige", {}),
}


def test_every_code_column_refuses_a_label_naming_the_row_and_the_column(tmp_path):
    settings, store = make(tmp_path)
    needed = ["key", "title_sv", "summary_sv", "country", "buyer.name_sv"]
    extra = sorted({c for _, more in CODE_COLUMNS.values() for c in more} | set(CODE_COLUMNS))
    columns = needed + [c for c in extra if c not in needed]
    rows = []
    for n, (column, (bad, more)) in enumerate(CODE_COLUMNS.items()):
        row = {"key": f"case-{n}", "title_sv": "Titel", "summary_sv": "Kort", "country": "SWE"}
        row |= {"buyer.name_sv": "Kommunen", **more, column: bad}
        rows.append(row)
    sheet = tmp_path / "cases.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)
    report = import_paths(store, settings, [sheet], dry_run=True)
    assert len(report.items) == len(CODE_COLUMNS)
    for n, (item, column) in enumerate(zip(report.items, CODE_COLUMNS, strict=True), start=2):
        assert item.action == "failed", (column, item)
        assert item.source.endswith(f"row {n}"), (column, item.source)
        fields = {f.field for f in item.findings if f.severity == "Violation"}
        assert fields == {column}, (column, fields)
