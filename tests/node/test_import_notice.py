"""`stafett node import-notice`: real eForms and OCDS samples become draft cases that say only what
the notice says, in values the validator accepts; hostile or foreign files are refused cleanly.

The samples are published ones (eForms SDK 1.15 examples, DFØ's Norwegian test notice, OCDS sample
data), copied into tests/reference/notices with their origin and licence.
"""

from __future__ import annotations

import json
import pathlib

import pytest

from stafett.cli import main
from stafett.node.importer import import_paths
from stafett.node.notice_import import MAX_BYTES, draft_case
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.problems import Problem
from stafett.shapes import validate_document

NOTICES = pathlib.Path(__file__).resolve().parents[1] / "reference" / "notices"
# What the publisher adds that no notice says (the truthful minimum of vocabulary 1.0).
COMPLETION = {"status": "tendering", "need": {"en": "Written by the publisher."}}


def run(capsys, name: str, tmp_path) -> tuple[dict, str]:
    out = tmp_path / "draft.jsonld"
    assert main(["node", "import-notice", str(NOTICES / name), "--out", str(out)]) == 0
    return json.loads(out.read_text("utf-8")), capsys.readouterr().err


def test_norwegian_contract_notice_maps_every_field_it_has(capsys, tmp_path):
    case, report = run(capsys, "eforms-nor-cn-standard-nor-env.xml", tmp_path)
    assert case["@context"] == "https://w3id.org/stafett/context/v1" and case["type"] == "Case"
    assert case["title"] == {"no": "Rammeavtale", "en": "Framework"}  # BT-21 per languageID
    assert case["buyer"] == [
        {
            "name": {"no": "Test", "en": "Oslo kommune v/ Sykehjemsetaten"},
            "orgNumber": "990612498",
            "country": "NOR",
            "legalType": "body-pl-la",
        }
    ]
    assert (case["country"], case["cpv"], case["nuts"]) == ("NOR", ["15810000"], ["NO081"])
    assert case["cost"] == {"amount": "22000000", "currency": "NOK"}  # BT-27
    assert case["procedure"] == {"procedureType": "open"}  # BT-105
    assert (case["startDate"], case["endDate"]) == ("2026-08-24", "2030-08-24")  # BT-536, BT-537
    assert case["noticeIdentifier"] == [
        {"identifierScheme": "eforms-procedure", "notation": "f79cb212-298d-4071-bd29-e21f7441f43c"}
    ]  # BT-04
    assert "draft case from eForms contract notice" in report
    assert "to complete: status" not in report  # vocabulary 1.1: a stage is never required
    _, checked = validate_document(json.dumps(case | COMPLETION).encode(), "application/ld+json")
    assert checked.conforms, [f.message for f in checked.by_severity("Violation")]


def test_award_notice_names_the_winner_and_the_awarded_value(capsys, tmp_path):
    case, report = run(capsys, "eforms-can_24_minimal.xml", tmp_path)
    assert case["cost"] == {"amount": "390697.84", "currency": "EUR"}  # BT-161, not the estimate
    assert case["solution"] == [
        {"supplier": [{"name": {"fr": "Espaces Verts Lemire"}, "orgNumber": "326 912 557", "country": "FRA"}]}
    ]
    assert "texts in `fr` are kept" in report  # kept for translation, never dropped


def test_innovative_acquisition_is_kept_and_the_maximal_notice_parses(capsys, tmp_path):
    case, report = run(capsys, "eforms-pin-rtl_24.xml", tmp_path)
    assert case["procedure"] == {"innovativeAcquisition": ["rd-act"]} and "BT-776" in report
    case, report = run(capsys, "eforms-cn_24_maximal.xml", tmp_path)
    assert len(case["cpv"]) >= 2 and case["procedure"] == {
        "procedureType": "neg-w-call",
        "innovativeAcquisition": ["proc-innov"],
    }


def test_ocds_award_release_package(capsys, tmp_path):
    case, report = run(capsys, "ocds-213czf-000-00001-04-award.json", tmp_path)
    assert case["title"] == {"en": "Planned cycle lane improvements"} and case["language"] == ["ENG"]
    assert case["cpv"] == ["45233130", "45233162"]  # "45233130.0" and "45233162-2" in the file
    assert case["noticeIdentifier"] == [{"identifierScheme": "ocds", "notation": "ocds-213czf-000-00001"}]
    assert case["solution"][0]["supplier"][0]["name"] == {"en": "AnyCorp Cycle Provision"}
    assert case["buyer"][0]["name"] == {"en": "London Borough of Barnet"}
    assert "OCDS release (award)" in report


def test_ocds_tender_release_gives_the_procedure_and_estimate(tmp_path):
    case = draft_case(NOTICES / "ocds-213czf-000-00001-02-tender.json").case
    assert case["procedure"] == {"procedureType": "open"} and case["cost"]["currency"] == "GBP"


def test_completed_draft_imports_into_a_node(capsys, tmp_path):
    case, _ = run(capsys, "eforms-nor-cn-standard-nor-env.xml", tmp_path)
    completed = tmp_path / "case.jsonld"
    completed.write_text(json.dumps(case | COMPLETION | {"language": ["NOB"]}), "utf-8")
    settings = NodeSettings(
        "http://127.0.0.1:9/", tmp_path / "node", {"nb": "Oslo kommune"}, "990612498", "NOR", ("nb", "en")
    )
    report = import_paths(NodeStore(settings.database_path), settings, [completed], state="draft")
    assert report.ok, report.text()


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ContractNotice>&a;</ContractNotice>',
            "unreadable-input",
        ),
        (b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd"><ContractNotice/>', "unreadable-input"),
        (b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", "unreadable-input"),
        (b"<ContractNotice", "unreadable-input"),
        (b'{"releases": []}', "unreadable-input"),
        (b'{"title": "not ocds"}', "unreadable-input"),
        (b"[" * 100 + b"]" * 100, "too-large"),  # nested deeper than the JSON limits
        (b" " * (MAX_BYTES + 1), "too-large"),
    ],
)
def test_hostile_and_foreign_files_are_refused_with_a_problem(tmp_path, body, slug):
    path = tmp_path / "notice"
    path.write_bytes(body)
    with pytest.raises(Problem) as refused:
        draft_case(path)
    assert refused.value.slug == slug
    named = [refused.value.detail, *(f.source or "" for f in refused.value.findings)]
    assert any(str(path) in text for text in named)  # the message names the file


def test_cli_reports_a_missing_file(capsys, tmp_path):
    assert main(["node", "import-notice", str(tmp_path / "absent.xml")]) != 0
    assert "absent.xml" in capsys.readouterr().err


def init_node(tmp_path, capsys) -> pathlib.Path:
    data = tmp_path / "node"
    args = ["--base-url", "http://127.0.0.1:9/", "--org-name", "nb=Oslo kommune", "--country", "NOR"]
    assert main(["node", "init", "--data-dir", str(data), *args, "--languages", "nb,en"]) == 0
    capsys.readouterr()
    return data


def node_store(data: pathlib.Path) -> NodeStore:
    return NodeStore(data / "node.sqlite3")


def test_import_puts_the_draft_into_the_node_as_a_draft_case(capsys, tmp_path):
    data = init_node(tmp_path, capsys)
    notice = NOTICES / "eforms-nor-cn-standard-nor-env.xml"
    assert main(["node", "import-notice", str(notice), "--import", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "1 created" in out and "{" not in out.split("\n", 1)[0]  # a report, not the JSON-LD
    (record,) = node_store(data).list_cases()
    assert record.state == "draft" and node_store(data).count_published() == 0
    assert record.document["title"] == draft_case(notice).case["title"]
    # run again: the case made the first time (perhaps completed since) is never replaced
    assert main(["node", "import-notice", str(notice), "--import", "--data-dir", str(data)]) == 1
    assert "already" in capsys.readouterr().out
    assert [r.version for r in node_store(data).list_cases()] == [1]


def test_import_of_a_draft_the_node_cannot_hold_names_what_to_add(capsys, tmp_path):
    data = init_node(tmp_path, capsys)
    notice = NOTICES / "ocds-213czf-000-00001-04-award.json"  # OCDS gives no country code
    assert main(["node", "import-notice", str(notice), "--import", "--data-dir", str(data)]) == 1
    out = capsys.readouterr().out
    assert "failed" in out and "Violation [country]" in out
    assert node_store(data).list_cases() == []
