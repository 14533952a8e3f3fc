"""Spreadsheets as municipalities really save them (issue 14, item 5): each failure the issue lists
is a test here, against a real node store, with the findings read in the reader's language."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from writer_support import TEMPLATE

from stafett.node.settings import NodeSettings
from stafett.node.sheet_columns import header, parse_header, template_columns
from stafett.node.spreadsheet import import_rows, preview
from stafett.node.store import NodeStore

BASE = "http://127.0.0.1:9/"
HEAD = ["key", "title_sv", "summary_sv", "country", "buyer.name_sv"]


@pytest.fixture
def node(tmp_path):
    settings = NodeSettings(
        BASE, tmp_path / "node", {"sv": "Växjö kommun"}, "212000-0688", "SWE", ("sv", "en")
    )
    return settings, NodeStore(settings.database_path)


def sheet_bytes(rows: list[dict], *, delimiter=",", encoding="utf-8") -> bytes:
    columns = list(dict.fromkeys(c for row in rows for c in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def row(**cells) -> dict:
    base = {"key": "fall", "title_sv": "Digital nattillsyn", "summary_sv": "Kameror", "country": "SWE"}
    return base | {"buyer.name_sv": "Växjö kommun"} | {k.replace("__", "."): v for k, v in cells.items()}


def findings_of(sheet, column: str):
    return [f for r in sheet.rows for f in r.findings if f.column == column]


def test_excel_default_csv_in_windows_1252_with_semicolons_is_read_and_the_encoding_is_said(node):
    settings, store = node
    data = sheet_bytes(
        [row(title_sv="Trygghetslarm för äldre – nästa steg")], delimiter=";", encoding="cp1252"
    )
    sheet = preview(data, "fall.csv", "sv", settings, store)
    assert sheet.ok and sheet.encoding == "Windows-1252" and sheet.delimiter == ";"
    (read_as,) = [f for f in sheet.findings if f.rule == "sheet-read"]
    assert "Windows-1252" in read_as.message and "semikolon" in read_as.message  # said in Swedish
    (only,) = sheet.rows
    assert only.valid, only.findings
    report = import_rows(sheet, store, settings, as_drafts=False)
    assert [i.action for i in report.items] == ["created"]
    assert (
        store.get_case(settings.case_iri("fall")).document["title"]["sv"]
        == "Trygghetslarm för äldre – nästa steg"
    )


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("\ufeffkey,title_sv\r\nx,Åtgärd\r\n".encode(), "UTF-8 (BOM)", ","),
        ("key\ttitle_sv\nx\tÅtgärd\n".encode(), "UTF-8", "\t"),
        ("key\ttitle_sv\r\nx\tÅtgärd\r\n".encode("utf-16"), "UTF-16", "\t"),
        (b"key;title_sv\nx;\xc5tg\xe4rd \x81\n", "ISO-8859-1 (Latin-1)", ";"),
        (b"key;title_sv\nx;\xc5tg\xe4rd \x96 \x80\n", "Windows-1252", ";"),
    ],
)
def test_encodings_and_separators_are_detected(node, data, encoding, delimiter):
    settings, store = node
    sheet = preview(data, "fall.csv", "en", settings, store)
    assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
    assert sheet.rows[0].cells["title_sv"].startswith("Åtgärd")


def test_mojibake_is_refused_with_the_text_it_probably_was_and_nothing_is_published(node):
    settings, store = node
    data = sheet_bytes([row(title_sv="Nye lÃ¸sninger for hjemmetjenesten")])
    sheet = preview(data, "saker.csv", "nb", settings, store)
    (finding,) = [f for f in findings_of(sheet, "title_sv") if f.rule == "mojibake"]
    assert finding.severity == "Violation" and "Nye løsninger for hjemmetjenesten" in finding.message
    assert finding.header == "Tittel (sv)"  # the template's header, in Norwegian
    assert "dekodet to ganger" in finding.message
    report = import_rows(sheet, store, settings, as_drafts=False)
    assert [i.action for i in report.items] == ["failed"]
    assert store.get_case(settings.case_iri("fall")) is None


def test_two_suppliers_and_a_semicolon_in_a_summary_make_one_solution(node):
    settings, store = node
    cells = {
        "solution__name_sv": "Matval",
        "solution__summary_sv": "En app; en tavla i matsalen",
        "solution__supplier.name_sv": "Matval AB;Skolkök Syd AB",
    }
    sheet = preview(sheet_bytes([row(**cells)]), "fall.csv", "sv", settings, store)
    assert sheet.rows[0].valid, sheet.rows[0].findings
    import_rows(sheet, store, settings, as_drafts=False)
    (solution,) = store.get_case(settings.case_iri("fall")).document["solution"]
    assert solution["name"] == {"sv": "Matval"}
    assert solution["summary"] == {"sv": "En app; en tavla i matsalen"}
    assert sorted(s["name"]["sv"] for s in solution["supplier"]) == ["Matval AB", "Skolkök Syd AB"]


def test_suppliers_of_several_solutions_are_separated_with_a_bar_or_the_column_is_blamed(node):
    settings, store = node
    two = {"solution__name_sv": "Matval;Tavlan"}
    grouped = preview(
        sheet_bytes([row(**two, solution__supplier__name_sv="A AB;B AB|C AB")]),
        "f.csv",
        "sv",
        settings,
        store,
    )
    assert grouped.rows[0].valid, grouped.rows[0].findings
    import_rows(grouped, store, settings, as_drafts=False)
    solutions = store.get_case(settings.case_iri("fall")).document["solution"]
    suppliers = {s["name"]["sv"]: sorted(x["name"]["sv"] for x in s["supplier"]) for s in solutions}
    assert suppliers == {"Matval": ["A AB", "B AB"], "Tavlan": ["C AB"]}
    unclear = preview(
        sheet_bytes([row(**two, solution__supplier__name_sv="A AB;B AB;C AB")]),
        "f.csv",
        "sv",
        settings,
        store,
    )
    (finding,) = [f for f in unclear.rows[0].findings if f.severity == "Violation"]
    assert finding.column == "solution.supplier.name_sv" and "|" in finding.message
    assert finding.header == "Lösning: Leverantör: Namn (sv)"


def test_a_shape_finding_on_a_nested_object_blames_the_column_that_holds_it(node):
    settings, store = node
    cells = {"solution__name_sv": "Matval", "solution__supplier.name_sv": "Matval AB"}
    cells |= {
        "solution__supplier.orgNumber": "123",
        "solution__supplier.country": "SWE",
        "solution__url": "matval",
    }
    sheet = preview(sheet_bytes([row(**cells)]), "fall.csv", "en", settings, store)
    (org,) = [f for f in sheet.rows[0].findings if f.value == "123"]
    assert (
        org.column == "solution.supplier.orgNumber"
        and org.header == "Solution: Supplier: Organisation number"
    )
    (url,) = [f for f in sheet.rows[0].findings if f.severity == "Violation"]
    assert url.column == "solution.url" and "https://" in url.message
    assert "solution.name_sv" not in {f.column for f in sheet.rows[0].findings}


def test_one_document_type_for_two_addresses_types_both_and_says_so(node):
    settings, store = node
    cells = {
        "document__url": "https://a.example/r.pdf;https://a.example/b.pdf",
        "document__documentType": "Rapport",
    }
    sheet = preview(sheet_bytes([row(**cells)]), "fall.csv", "sv", settings, store)
    notes = [f.message for f in findings_of(sheet, "document.documentType")]
    assert any("report" in n for n in notes) and any("var och en" in n for n in notes), notes
    import_rows(sheet, store, settings, as_drafts=False)
    documents = store.get_case(settings.case_iri("fall")).document["document"]
    assert len(documents) == 2 and all(d["documentType"] == "report" for d in documents)


def test_codes_in_any_case_and_labels_in_any_of_the_seven_languages(node):
    settings, store = node
    rows = [
        row(key="a", status="Pilot", country="Sverige", sector="Sundhed og omsorg"),
        row(key="b", status="PILOT", country="Suomi", sector="Sosiaali- ja terveyspalvelut"),
        row(key="c", status="pilot", country="Ísland", sector="Heilbrigðis- og félagsþjónusta"),
    ]
    sheet = preview(sheet_bytes(rows), "fall.csv", "fi", settings, store)
    assert all(r.valid for r in sheet.rows), [r.findings for r in sheet.rows]
    import_rows(sheet, store, settings, as_drafts=True)
    countries = [store.get_case(settings.case_iri(k)).document["country"] for k in "abc"]
    assert countries == ["SWE", "FIN", "ISL"]
    notes = findings_of(sheet, "status")
    assert len(notes) == 2 and all(
        "luettiin koodina pilot" in f.message for f in notes
    )  # a and b, in Finnish
    assert {f.header for f in notes} == {"Tila"}


def test_every_finding_comes_in_one_round_in_the_readers_language(node):
    settings, store = node
    bad = row(key="x", title_sv="", **{"cost.amount": "tolv kronor", "cost.currency": "SEK", "colour": "röd"})
    sheet = preview(
        sheet_bytes([bad, row(key="y", startDate="31.12.2024")]), "fall.csv", "da", settings, store
    )
    assert [f.rule for f in sheet.findings if f.severity == "Warning"] == [
        "sheet-column"
    ]  # the unknown column
    first, second = sheet.rows
    by_column = {f.column: f for f in first.findings if f.severity == "Violation"}
    assert {"colour", "cost.amount", "title_sv"} <= set(by_column), first.findings
    assert (
        "er ikke et tal" in by_column["cost.amount"].message
        and by_column["cost.amount"].header == "Omkostning: Beløb"
    )
    assert by_column["title_sv"].header == "Titel (sv)"
    assert second.valid, second.findings
    assert any("2024-12-31" in f.message for f in findings_of(sheet, "startDate"))


def test_headers_in_the_readers_language_are_read_as_the_template_columns(node):
    settings, store = node
    for lang in ("sv", "is"):
        columns = template_columns(lang)
        assert all(parse_header(header(c, lang)) == c for c in columns)
    names = {header(c, "sv"): c.name for c in template_columns("sv")}
    swedish = {"Nyckel (fallets adress)": "h", "Titel (sv)": "Hemtjänst", "Sammanfattning (sv)": "Kort"}
    swedish |= {"Land": "Sverige", "Upphandlande organisation: Namn (sv)": "Växjö kommun"}
    assert set(swedish) - {"Nyckel (fallets adress)"} <= set(names)
    sheet = preview(sheet_bytes([swedish], delimiter=";"), "fall.csv", "sv", settings, store)
    assert sheet.rows[0].valid, sheet.rows[0].findings
    assert [c.column for c in sheet.columns] == ["key", "title_sv", "summary_sv", "country", "buyer.name_sv"]


def test_two_rows_with_one_key_the_second_is_refused_naming_the_first(node):
    settings, store = node
    sheet = preview(
        sheet_bytes([row(key="samma"), row(key="Samma", title_sv="Annan")]), "f.csv", "sv", settings, store
    )
    first, second = sheet.rows
    assert first.valid and not second.valid
    (finding,) = [f for f in second.findings if f.rule == "sheet-key"]
    assert (
        finding.column == "key" and "rad 2" in finding.message and finding.header == "Nyckel (fallets adress)"
    )
    report = import_rows(sheet, store, settings, as_drafts=False)
    assert [i.action for i in report.items] == ["created", "failed"]


def test_reimporting_the_same_file_changes_nothing(node):
    settings, store = node
    data = TEMPLATE.read_bytes()
    first = import_rows(preview(data, "t.csv", "en", settings, store), store, settings, as_drafts=False)
    assert [i.action for i in first.items] == ["created"], first.text()
    changes = store.count_changes()
    again = preview(data, "t.csv", "en", settings, store)
    assert [r.action for r in again.rows] == ["unchanged"]
    second = import_rows(again, store, settings, as_drafts=False)
    assert [i.action for i in second.items] == ["unchanged"] and store.count_changes() == changes


def workbook_bytes(rows: list[list], sheet_title="Fall") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet_title
    for cells in rows:
        ws.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_cells_come_typed_and_a_formula_is_refused_never_computed(node):
    settings, store = node
    head = [*HEAD, "startDate", "cost.amount", "cost.currency", "openForAdoption"]
    good = ["a", "Titel", "Kort", "SWE", "Kommunen", datetime(2024, 3, 1), 1234.5, "SEK", True]
    formula = ["b", "Titel", "Kort", "SWE", "Kommunen", date(2024, 3, 1), "=SUM(1,2)", "SEK", "nej"]
    sheet = preview(workbook_bytes([head, good, formula]), "fall.xlsx", "sv", settings, store)
    assert sheet.format == "xlsx" and "Fall" in sheet.findings[0].message
    first, second = sheet.rows
    assert first.valid, first.findings
    (refused,) = [f for f in second.findings if f.severity == "Violation"]
    assert (
        refused.column == "cost.amount"
        and "=SUM(1,2)" in refused.message
        and refused.header == "Kostnad: Belopp"
    )
    report = import_rows(sheet, store, settings, as_drafts=False)
    assert [i.action for i in report.items] == ["created", "failed"]
    doc = store.get_case(settings.case_iri("a")).document
    assert doc["startDate"] == "2024-03-01" and doc["openForAdoption"] is True
    assert float(doc["cost"]["amount"]) == 1234.5
    assert store.get_case(settings.case_iri("b")) is None


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02", "fall.pdf", "inget kalkylark"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.png", "inget kalkylark"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "gammal.xls", "Excel 97–2003"),
        (b"PK\x03\x04 not really a zip", "trasig.xlsx", "inget kalkylark"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gets_one_clear_finding(node, data, name, words):
    settings, store = node
    sheet = preview(data, name, "sv", settings, store)
    (finding,) = sheet.findings
    assert finding.severity == "Violation" and words in finding.message and not sheet.rows
    report = import_rows(sheet, store, settings, as_drafts=False)
    assert not report.ok and store.list_cases() == []


def test_a_workbook_with_an_xml_entity_is_refused_not_expanded(node):
    settings, store = node
    original = io.BytesIO(workbook_bytes([HEAD, ["a", "Titel", "Kort", "SWE", "Kommunen"]]))
    hostile = io.BytesIO()
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if b"Kommunen" in data:  # the sheet or its shared strings
                body = data.split(b"?>", 1)[-1]
                data = bomb.encode() + body.replace(b"Kommunen", b"&b;")
            target.writestr(item, data)
    sheet = preview(hostile.getvalue(), "fall.xlsx", "en", settings, store)
    (finding,) = sheet.findings
    assert finding.rule == "bad_xlsx" and not sheet.rows


def test_an_oversize_file_is_refused_before_it_is_read(node):
    settings, store = node
    sheet = preview(b"key,title_sv\n" + b"x,y\n" * 3_000_000, "stor.csv", "en", settings, store)
    (finding,) = sheet.findings
    assert finding.rule == "too_large" and "split" in finding.message


def test_a_hundred_rows_preview_and_import_within_ten_seconds(node):
    settings, store = node
    template = next(csv.DictReader(io.StringIO(TEMPLATE.read_text("utf-8"))))
    rows = [template | {"key": f"fall-{n}", "title_sv": f"Fall nummer {n}"} for n in range(100)]
    started = time.perf_counter()
    sheet = preview(sheet_bytes(rows), "hundra.csv", "sv", settings, store)
    report = import_rows(sheet, store, settings, as_drafts=False)
    elapsed = time.perf_counter() - started
    assert report.counts() == {"created": 100}, report.text()
    assert elapsed <= 10, f"100 rows took {elapsed:.1f} s"


def test_a_header_decoded_twice_is_named_with_what_it_probably_was(node):
    settings, store = node
    data = sheet_bytes([{"key": "x", "title_sv": "Titel", "MÃ¥lgrupp": "Äldre"}])
    sheet = preview(data, "f.csv", "sv", settings, store)
    (finding,) = [f for f in sheet.findings if f.rule == "mojibake"]
    assert "Målgrupp" in finding.message
    assert not sheet.rows[0].valid  # its value would be lost


@pytest.mark.parametrize("lang", ["sv", "nb", "nn", "da", "fi", "is", "en"])
def test_the_downloaded_template_filled_in_reads_back_in_every_language(node, lang):
    from stafett.node.sheet_codes import label_of
    from stafett.node.sheet_template import template

    settings, store = node
    head = template(lang, "csv").decode("utf-8-sig").strip().split(";")
    names = [c.name for c in template_columns(lang)]
    values = {
        "key": f"mall-{lang}",
        f"title_{lang}": "Hemtjänst",
        f"summary_{lang}": "Kort",
        "status": "pilot",
    }
    values |= {"country": label_of("country", "FIN", lang), f"buyer.name_{lang}": "Kommunen"}
    cells = [values.get(name, "") for name in names]
    data = ";".join(head).encode("utf-8-sig") + b"\r\n" + ";".join(cells).encode() + b"\r\n"
    sheet = preview(data, "mall.csv", lang, settings, store)
    assert [c.column for c in sheet.columns] == names
    (only,) = sheet.rows
    assert only.valid, only.findings
    import_rows(sheet, store, settings, as_drafts=True)
    assert store.get_case(settings.case_iri(f"mall-{lang}")).document["country"] == "FIN"


def test_cells_right_of_the_last_header_are_never_dropped_silently(node):
    settings, store = node
    data = (
        "key;title_sv;summary_sv;country;buyer.name_sv\nx;Titel;Kort;SWE;Kommunen;glömd anteckning\n".encode()
    )
    (only,) = preview(data, "f.csv", "sv", settings, store).rows
    shifted, finding = [f for f in only.findings if f.severity == "Violation"]
    assert finding.column == "F" and "glömd anteckning" in finding.message and not only.valid
    assert "6 celler" in shifted.message and "citattecken" in shifted.message  # the likely cause, first


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n", b"key\n", b'key,title_sv\n"unterminated,x\n', bytes(range(256)) * 4, b"\xff\xfe\x00"],
)
def test_odd_files_get_findings_never_an_exception(node, data):
    settings, store = node
    sheet = preview(data, "odd.csv", "fi", settings, store)
    assert sheet.findings and all(f.message for f in sheet.all_findings())
    assert not import_rows(sheet, store, settings, as_drafts=False).ok or not sheet.rows
    assert store.list_cases() == []


def test_without_a_key_the_id_column_or_the_title_gives_the_address_and_reimports_change_nothing(node):
    settings, store = node
    by_id = {k: v for k, v in row(title_sv="Matval i skolan").items() if k != "key"}
    by_title = {k: v for k, v in row(title_sv="Trygg hemtjänst").items() if k != "key"}
    data = sheet_bytes([by_id | {"id": "https://vaxjo.stafett.example/case/matval"}, by_title | {"id": ""}])
    sheet = preview(data, "f.csv", "sv", settings, store)
    assert [r.slug for r in sheet.rows] == ["matval", "trygg-hemtjanst"]
    assert [c.column for c in sheet.columns][-1] == "id"
    import_rows(sheet, store, settings, as_drafts=False)
    again = import_rows(preview(data, "f.csv", "sv", settings, store), store, settings, as_drafts=False)
    assert [i.action for i in again.items] == ["unchanged", "unchanged"]


def test_a_title_above_the_header_is_said_and_the_header_found_below_it(node):
    settings, store = node
    book = workbook_bytes(
        [["Innovationsupphandlingar 2024"], [], HEAD, ["a", "Titel", "Kort", "Sverige", "Kommunen"]]
    )
    sheet = preview(book, "fall.xlsx", "sv", settings, store)
    (title,) = [f for f in sheet.findings if f.rule == "sheet-title"]
    assert "rad 3" in title.message and "Innovationsupphandlingar 2024" in title.message
    (only,) = sheet.rows
    assert only.number == 4 and only.valid, only.findings
