"""The case template to download, in each interface language, as XLSX or CSV.

The header row is the template's columns in the reader's language (node/sheet_columns.py). The
XLSX has a second sheet listing, for every column of codes, each code with its SKOS label in that
language (codes and labels are both accepted when the sheet is read back), and a code column with
a short list gets a drop-down of those names. CSV has no
second sheet, so the same list is a CSV file of its own (`codes_csv`). CSV is written the way
Nordic Excel reads it without an import dialogue: UTF-8 with a BOM, separated by semicolons.
"""

from __future__ import annotations

import csv
import io

from stafett import texts
from stafett.languages import SUPPORTED
from stafett.node.publish import slugify
from stafett.node.sheet_codes import codes_for
from stafett.node.sheet_columns import header, template_columns

FORMATS = ("xlsx", "csv")
PICK_LIST_MAX = 300  # longer code lists (CPV, municipalities) get no drop-down
MAX_TEMPLATE_ROWS = 5001  # the drop-downs cover as many rows as a sheet may have (sheet_files.MAX_ROWS)
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def checked(lang: str, fmt: str) -> tuple[str, str]:
    if lang not in SUPPORTED:
        raise ValueError(f"language {lang!r} is not one of {', '.join(SUPPORTED)}")
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    return lang, fmt


def filename(lang: str, fmt: str, *, codes: bool = False) -> str:
    """e.g. stafett-fall-sv.xlsx; the word for "cases" in the reader's language, folded to ASCII."""
    name = texts.word("common", "cases", lang) if not codes else texts.word("sheets", "codes_sheet", lang)
    return f"stafett-{slugify(name)}-{lang}.{fmt}"


def header_row(lang: str, text_languages: tuple[str, ...] = ()) -> list[str]:
    return [header(column, lang) for column in template_columns(lang, text_languages)]


def code_rows(lang: str) -> list[tuple[str, str, str]]:
    """(column header, code to write, its label) for every column whose values are codes."""
    rows: list[tuple[str, str, str]] = []
    for column in template_columns(lang):
        if column.name == "state":
            for state in ("published", "draft"):
                word = texts.word("sheets", f"state_{state}", lang)
                rows.append((header(column, lang), word, word))
            continue
        if column.path and is_boolean(column):
            yes, no = (texts.word("sheets", w, lang) for w in ("yes", "no"))
            rows += [(header(column, lang), yes, yes), (header(column, lang), no, no)]
            continue
        if not column.path or not column.term().vocab:
            continue
        rows += [(header(column, lang), code, label) for code, label in codes_for(column.leaf, lang)]
    return rows


def is_boolean(column) -> bool:
    return (column.term().datatype or "").endswith("#boolean")


def codes_header(lang: str) -> list[str]:
    return [texts.word("sheets", key, lang) for key in ("codes_column", "codes_code", "codes_label")]


def template(lang: str, fmt: str, text_languages: tuple[str, ...] = ()) -> bytes:
    """The empty template (header row only) in `lang`, as XLSX or CSV; text columns in `lang`, or
    one per language of `text_languages` (a node publishing in sv and en: `("sv", "en")`)."""
    lang, fmt = checked(lang, fmt)
    for tag in text_languages:
        checked(tag, fmt)
    headers = header_row(lang, text_languages)
    return template_xlsx(lang, headers) if fmt == "xlsx" else csv_bytes([headers])


def codes_csv(lang: str) -> bytes:
    lang, _ = checked(lang, "csv")
    return csv_bytes([codes_header(lang), *code_rows(lang)])


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def template_xlsx(lang: str, headers: list[str]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    cases = book.create_sheet(texts.word("common", "cases", lang))
    codes_title = texts.word("sheets", "codes_sheet", lang)
    cases.freeze_panes = "A2"
    bold = Font(bold=True)
    for index, text in enumerate(headers):
        letter = openpyxl.utils.get_column_letter(index + 1)
        cases.column_dimensions[letter].width = max(12, min(40, len(text) + 2))
    rows = code_rows(lang)
    for validation in pick_lists(headers, rows, codes_title):
        cases.data_validations.append(validation)
    cases.append([bold_cell(WriteOnlyCell, cases, text, bold) for text in headers])
    codes = book.create_sheet(codes_title)
    codes.freeze_panes = "A2"
    for letter, width in (("A", 36), ("B", 24), ("C", 60)):
        codes.column_dimensions[letter].width = width
    codes.append([bold_cell(WriteOnlyCell, codes, text, bold) for text in codes_header(lang)])
    for row in rows:
        codes.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pick_lists(headers: list[str], rows: list[tuple[str, str, str]], codes_title: str) -> list:
    """A drop-down of the code names (from the codes sheet) on each short code column.

    Any other text stays allowed (no error box): a cell may hold several codes (`a;b`), a code, or
    a name in another language, and the import says how it read each. Lists longer than
    `PICK_LIST_MAX` (CPV, municipalities) are left to the codes sheet.
    """
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    spans: dict[str, tuple[int, int]] = {}
    for number, (column, _, _) in enumerate(rows, start=2):  # row 1 of the codes sheet is its header
        first, _ = spans.get(column, (number, number))
        spans[column] = (first, number)
    found = []
    for index, text in enumerate(headers, start=1):
        if text not in spans or spans[text][1] - spans[text][0] + 1 > PICK_LIST_MAX:
            continue
        first, last = spans[text]
        source = f"{quote_sheetname(codes_title)}!$C${first}:$C${last}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{MAX_TEMPLATE_ROWS}")
        found.append(validation)
    return found


def bold_cell(cell_type, sheet, text: str, font):
    cell = cell_type(sheet, value=text)
    cell.font = font
    return cell
