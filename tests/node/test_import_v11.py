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
from stafett.node.spreadsheet import preview
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


def test_a_sector_written_as_its_swedish_label_is_accepted_and_the_reading_is_said(tmp_path):
    settings, store = make(tmp_path)
    sheet = tmp_path / "cases.csv"
    sheet.write_text(
        "key,title_sv,summary_sv,country,buyer.name_sv,sector\n"
        'x,Titel,Kort,SWE,Kommunen,"Hälsa, vård och omsorg"\n',
        "utf-8",
    )
    report = import_paths(store, settings, [sheet])
    (item,) = report.items
    assert item.action == "created", report.text()
    assert store.get_case(settings.case_iri("x")).document["sector"] in (
        ["health-social-care"],
        "health-social-care",
    )
    notes = [f for f in item.findings if f.field == "Sector" and f.severity == "Info"]
    assert notes and "health-social-care" in notes[0].message and "Hälsa, vård och omsorg" in notes[0].message


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


# A label, a wrong case and a code with a space for every code-valued column of the sheet: each row
# is either read as its code with a note naming that row and column, or fails on its own naming them
# (nothing dropped unseen, nothing guessed).
CODE_COLUMNS = {
    "sector": ("Hälsa, vård och omsorg", {}, "health-social-care"),
    "status": ("Pilot", {}, "pilot"),
    "region": ("Kronobergs län", {}, "SE-07"),
    "municipality": ("se-0780", {}, "SE-0780"),
    "nuts": ("SE 212", {}, "SE212"),
    "innovationApproach": ("PCP", {}, "pcp"),
    "effect": ("Kostnadsbesparing", {}, None),
    "adoptionRoute": ("Öppen källkod", {}, "open-source"),
    "country": ("Sverige", {}, "SWE"),
    "language": ("svenska", {}, "SWE"),
    "cpv": ("3414 4900", {}, "34144900"),
    "procedure.procedureType": ("Öppet förfarande", {}, None),
    "procedure.innovativeAcquisition": ("RD-ACT", {}, "rd-act"),
    "document.documentType": ("Rapport", {"document.url": "https://d.example/r.pdf"}, "report"),
    "funding.fundingType": ("Egen budget", {}, "own-budget"),
    "funding.programme": ("Horisont Europa", {}, None),
    "participant.role": ("Koordinator", {"participant.organization.name_sv": "Org"}, "coordinator"),
    "milestone.status": ("Tilldelat kontrakt", {}, None),
    "cost.currency": ("kronor", {"cost.amount": "5"}, None),
    "buyer.legalType": ("Kommun", {}, None),
    "buyer.country": ("Sverige", {}, "SWE"),
}


def test_every_code_column_reads_a_label_or_refuses_it_naming_the_row_and_the_column(tmp_path):
    settings, store = make(tmp_path)
    needed = ["key", "title_sv", "summary_sv", "country", "buyer.name_sv"]
    extra = sorted({c for _, more, _ in CODE_COLUMNS.values() for c in more} | set(CODE_COLUMNS))
    columns = needed + [c for c in extra if c not in needed]
    rows = []
    for n, (column, (bad, more, _)) in enumerate(CODE_COLUMNS.items()):
        row = {"key": f"case-{n}", "title_sv": "Titel", "summary_sv": "Kort", "country": "SWE"}
        row |= {"buyer.name_sv": "Kommunen", **more, column: bad}
        rows.append(row)
    sheet = tmp_path / "cases.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)
    sheet_preview = preview(sheet.read_bytes(), "cases.csv", "en", settings, store)
    assert len(sheet_preview.rows) == len(CODE_COLUMNS)
    for n, (row, (column, (bad, _, code))) in enumerate(
        zip(sheet_preview.rows, CODE_COLUMNS.items(), strict=True), start=2
    ):
        assert row.number == n
        mine = [f for f in row.findings if f.column == column]
        if code is None:
            assert not row.valid, (column, row.findings)
            assert {f.column for f in row.findings if f.severity == "Violation"} == {column}, (
                column,
                row.findings,
            )
        else:
            assert row.valid, (column, row.findings)
            assert any(f.severity == "Info" and code in f.message and bad in f.message for f in mine), (
                column,
                mine,
            )
