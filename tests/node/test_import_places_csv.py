"""A sheet can say the places and official notices of a case: the columns follow the JSON keys
(`municipality`, `noticeIdentifier.notation`, …), and a bad code fails its row with the column named."""

from __future__ import annotations

from stafett.node.importer import import_paths
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore

HEAD = (
    "key,title_sv,summary_sv,need_sv,status,country,language,buyer.name_sv,municipality,region,nuts,"
    "procedure.innovativeAcquisition,noticeIdentifier.identifierScheme,noticeIdentifier.notation\n"
)
ROW = (
    "nattillsyn,Digital nattillsyn,Kameror i stället för besök,Färre störda nätter,pilot,SWE,SWE,"
    "Växjö kommun,SE-0780;SE-0764,SE-07,SE212,rd-act,ted;doffin,{notice};2024-012345\n"
)


def import_sheet(tmp_path, notice: str):
    settings = NodeSettings(
        "http://127.0.0.1:9/", tmp_path / "node", {"sv": "Växjö kommun"}, "212000-0688", "SWE", ("sv",)
    )
    sheet = tmp_path / "cases.csv"
    sheet.write_text(HEAD + ROW.format(notice=notice), "utf-8")
    return import_paths(NodeStore(settings.database_path), settings, [sheet], dry_run=True)


def test_places_and_notices_import_from_a_sheet(tmp_path):
    report = import_sheet(tmp_path, "00123456-2024")
    assert report.ok, report.text()


def test_a_malformed_notice_in_a_sheet_fails_its_row_with_the_reason(tmp_path):
    report = import_sheet(tmp_path, "123456-2024")
    assert not report.ok
    assert "noticeIdentifier" in report.text() and "00123456-2024" in report.text()
