"""`stafett node template` and `stafett node import SHEET --lang` as a newcomer runs them (issue 14,
items 5 and 8): the template in the chosen language, and one report with every finding in it."""

from __future__ import annotations

import io
import pathlib
import subprocess
import sys

import openpyxl

from stafett.node.sheet_columns import header, template_columns
from stafett.node.sheet_template import codes_csv, template


def stafett(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stafett", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def new_node(tmp_path: pathlib.Path) -> str:
    data_dir = str(tmp_path / "node")
    made = stafett(
        "node", "init", "--data-dir", data_dir, "--base-url", "http://127.0.0.1:9/",
        "--org-name", "sv=Lillby kommun", "--country", "SWE", "--languages", "sv,en",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return data_dir


def test_the_template_command_writes_xlsx_with_a_codes_sheet_in_the_chosen_language(tmp_path):
    out = tmp_path / "mall.xlsx"
    done = stafett("node", "template", "--lang", "sv", "--format", "xlsx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out, read_only=True)
    cases, codes = book.worksheets
    assert (cases.title, codes.title) == ("Fall", "Koder")
    first = [c.value for c in next(cases.iter_rows(max_row=1))]
    assert first == [header(c, "sv") for c in template_columns("sv")]
    rows = [tuple(c.value for c in r) for r in codes.iter_rows(min_row=2)]
    assert ("Sektor", "health-social-care", "Hälsa, vård och omsorg") in rows
    assert ("Status", "pilot", "Pilot") in rows
    assert ("Land", "ISL", "Island") in rows
    picks = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in openpyxl.load_workbook(out).worksheets[0].data_validations.dataValidation
    }
    status = first.index("Status")
    status_rows = [n for n, r in enumerate(rows, start=2) if r[0] == "Status"]
    letter = openpyxl.utils.get_column_letter(status + 1)
    assert picks[f"{letter}2"] == f"'Koder'!$C${status_rows[0]}:$C${status_rows[-1]}"  # a drop-down of names


def test_the_csv_template_and_its_codes_file_open_in_nordic_excel(tmp_path):
    data = template("fi", "csv")
    assert data.startswith("\ufeff".encode()) and b";" in data and b"Otsikko (fi)" in data
    codes = codes_csv("fi").decode("utf-8-sig")
    assert "Toimiala;health-social-care;Sosiaali- ja terveyspalvelut" in codes.replace('"', "")
    done = stafett(
        "node", "template", "--lang", "da", "--format", "csv", "--text-languages", "da,en",
        "--out", str(tmp_path / "t.csv"), "--codes", str(tmp_path / "k.csv"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    head = (tmp_path / "t.csv").read_text("utf-8-sig").splitlines()[0].split(";")
    assert "Titel (da)" in head and "Titel (en)" in head
    assert (tmp_path / "k.csv").read_text("utf-8-sig").startswith("Kolonne i arket;")


def test_import_reports_everything_in_one_round_in_swedish_by_row_and_template_column(tmp_path):
    data_dir = new_node(tmp_path)
    book = openpyxl.load_workbook(io.BytesIO(template("sv", "xlsx")))
    sheet = book.worksheets[0]
    columns = {c.name: n for n, c in enumerate(template_columns("sv"))}

    def put(row: int, **cells):
        for name, value in cells.items():
            sheet.cell(row=row, column=columns[name.replace("__", ".")] + 1, value=value)

    buyer = {"buyer__name_sv": "Lillby kommun"}
    cost = {"cost__amount": "1 234,50", "cost__currency": "SEK"}
    put(
        2, key="hemtjanst", title_sv="Digital hemtjänst", summary_sv="Kort", country="Sverige", status="Pilot"
    )
    put(2, **buyer, **cost)
    put(3, key="trasig", title_sv="Trasig rad", country="SWE", cost__amount="tolv kronor", status="kanske")
    put(3, **buyer)
    sheet.cell(row=1, column=len(columns) + 1, value="Färg")
    sheet.cell(row=3, column=len(columns) + 1, value="röd")
    path = tmp_path / "fall.xlsx"
    book.save(path)
    done = stafett("node", "import", "--data-dir", data_dir, "--lang", "sv", str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    text = done.stdout
    assert "läst som Excel-arbetsbok" in text
    assert "rad 2: skapat hemtjanst" in text and "rad 3: inte importerat" in text
    assert "[Kostnad: Belopp]" in text and "”tolv kronor” är inget tal" in text
    assert "[Status]" in text and "”kanske” är inte ett av de tillåtna värdena" in text
    assert "[Färg]" in text and "”röd” skulle gå förlorat" in text
    assert "”Pilot” lästes som koden pilot" in text and "”Sverige” lästes som koden SWE" in text
    assert "amount" not in text.replace("Belopp", "")  # the template's column, never the JSON key
    again = stafett("node", "import", "--data-dir", data_dir, "--lang", "sv", str(path))
    assert "rad 2: oförändrat hemtjanst" in again.stdout
