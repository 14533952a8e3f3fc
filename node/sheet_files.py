"""Bytes of an uploaded or imported file -> a table of cells, or the reason it is not a sheet.

- XLSX is opened with openpyxl in read-only mode after the archive's sizes are checked (a zip
  bomb is refused before anything is unpacked); openpyxl parses its XML with defusedxml, so a DTD
  or an entity in a sheet is refused, never expanded. Cells come typed; a formula is kept as the
  formula text, flagged, and never evaluated (openpyxl does not compute, and its cached result is
  not trusted: it may be stale, or absent when the file was written by a program).
- CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), Windows-1252 and ISO-8859-1
  are detected from the bytes, and `,` `;` or a tab from the header row; both are reported.
- Old .xls, .ods and anything else that is not text are named as such, with what to do.
- `mojibake(text)` spots UTF-8 that was decoded as Windows-1252 or Latin-1 ("lÃ¸sninger").
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from stafett import texts
from stafett.languages import SUPPORTED

MAX_BYTES = 10 * 1024 * 1024  # an upload; 5,000 full rows of the template are about 5 MB
MAX_UNPACKED = 100 * 1024 * 1024  # what an XLSX may unpack to
MAX_ROWS = 5000
MAX_COLUMNS = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), and other old Office files
DELIMITERS = {",": "delimiter_comma", ";": "delimiter_semicolon", "\t": "delimiter_tab"}
CP1252_ONLY = frozenset(range(0x80, 0xA0)) - {0x81, 0x8D, 0x8F, 0x90, 0x9D}  # printable in 1252
# UTF-8 lead bytes (Ã, Â, â, Å, ...) read as 1252/Latin-1, followed by a continuation character
MOJIBAKE = re.compile(
    "[\u00c2-\u00df\u00e2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass
class SheetError(Exception):
    """The file as a whole cannot be read as a sheet; `message` is in the reader's language."""

    message: str
    rule: str


@dataclass
class Table:
    format: str  # "xlsx" | "csv"
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet program shows it, cells)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) -> formula

    def described(self, lang: str) -> str:
        if self.format == "xlsx":
            return texts.word("sheets", "read_xlsx", lang).format(sheet=self.sheet)
        delimiter = texts.word("sheets", DELIMITERS[self.delimiter or ","], lang)
        return texts.word("sheets", "read_csv", lang).format(encoding=self.encoding, delimiter=delimiter)


def refuse(key: str, lang: str, **values) -> SheetError:
    return SheetError(texts.word("sheets", key, lang).format(**values), key)


def read_table(data: bytes, filename: str, lang: str) -> Table:
    """The first data sheet of an XLSX file or the rows of a CSV file."""
    if len(data) > MAX_BYTES:
        raise refuse("too_large", lang, size=f"{len(data):,}", limit=f"{MAX_BYTES:,}")
    if data.startswith(OLE_MAGIC):
        raise refuse("old_xls", lang, file=filename)
    if data.startswith(b"PK"):
        return read_xlsx(data, filename, lang)
    return read_csv(data, filename, lang)


# -- XLSX -------------------------------------------------------------------------------------
def read_xlsx(data: bytes, filename: str, lang: str) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
        mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse("not_a_sheet", lang, file=filename) from None
    if b"opendocument" in mimetype:
        raise refuse("ods", lang, file=filename)
    if "xl/workbook.xml" not in names:
        raise refuse("not_a_sheet", lang, file=filename)
    if unpacked > MAX_UNPACKED:
        raise refuse("too_large", lang, size=f"{unpacked:,}", limit=f"{MAX_UNPACKED:,}")
    import openpyxl  # only when a workbook arrives

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged archive
        raise refuse("bad_xlsx", lang, file=filename, reason=type(error).__name__) from None
    try:
        return xlsx_table(workbook, lang)
    except SheetError:
        raise
    except Exception as error:  # read-only sheets are parsed row by row: a damaged or hostile
        # sheet (an XML entity, a DTD: openpyxl parses with defusedxml) fails while iterating
        raise refuse("bad_xlsx", lang, file=filename, reason=type(error).__name__) from None
    finally:
        workbook.close()


def codes_sheet_names() -> set[str]:
    return {texts.word("sheets", "codes_sheet", lang).casefold() for lang in SUPPORTED}


def xlsx_table(workbook, lang: str) -> Table:
    sheets = [ws for ws in workbook.worksheets if ws.title.casefold() not in codes_sheet_names()]
    if not sheets:
        raise refuse("empty_sheet", lang)
    sheet = sheets[0]
    headers: list[str] = []
    rows: list[tuple[int, list]] = []
    formulas: dict[tuple[int, int], str] = {}
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            raise refuse("too_many_rows", lang, limit=MAX_ROWS)
        if len(cells) > MAX_COLUMNS and any(c.value is not None for c in cells[MAX_COLUMNS:]):
            raise refuse("too_many_columns", lang, limit=MAX_COLUMNS)
        values = []
        for index, cell in enumerate(cells[:MAX_COLUMNS]):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                formulas[(number, index)] = str(getattr(value, "text", value))
                value = None
            values.append(value)
        if number == 1:
            headers = [("" if v is None else str(v)).strip() for v in values]
        else:
            rows.append((number, values))
    while headers and not headers[-1]:
        headers.pop()
    return Table("xlsx", headers, rows, sheet=sheet.title, formulas=formulas)


# -- CSV --------------------------------------------------------------------------------------
def decode(data: bytes, filename: str, lang: str) -> tuple[str, str]:
    """(text, the encoding's name as people know it)."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), "UTF-16"
    except UnicodeDecodeError:
        raise refuse("unreadable_text", lang, file=filename) from None
    if b"\x00" in data[:4096]:
        raise refuse("not_a_sheet", lang, file=filename)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    high = set(data) & set(range(0x80, 0xA0))
    if high and not high <= CP1252_ONLY:
        return data.decode("latin-1"), "ISO-8859-1 (Latin-1)"
    # Without bytes 0x80-0x9F the two are the same; Excel's default CSV on Windows is 1252
    return data.decode("cp1252"), "Windows-1252"


def looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > max(2, len(sample) // 100)


def sniff_delimiter(text: str) -> str:
    """The separator that splits the header row into the most columns, consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        if not widths:
            continue
        score = (widths[0], sum(1 for w in widths if w == widths[0]))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes, filename: str, lang: str) -> Table:
    text, encoding = decode(data, filename, lang)
    if looks_binary(text):
        raise refuse("not_a_sheet", lang, file=filename)
    delimiter = sniff_delimiter(text)
    headers: list[str] = []
    rows: list[tuple[int, list]] = []
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            if number > MAX_ROWS + 1:
                raise refuse("too_many_rows", lang, limit=MAX_ROWS)
            if len(cells) > MAX_COLUMNS:
                raise refuse("too_many_columns", lang, limit=MAX_COLUMNS)
            if number == 1:
                headers = [c.strip() for c in cells]
            else:
                rows.append((number, [c.strip() for c in cells]))
    except csv.Error:
        raise refuse("not_a_sheet", lang, file=filename) from None
    return Table("csv", headers, rows, encoding=encoding, delimiter=delimiter)


def mojibake(text: str) -> str | None:
    """The text as it was meant, when it is UTF-8 decoded as Windows-1252 or Latin-1; else None."""
    if not MOJIBAKE.search(text):
        return None
    for wrong in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(wrong).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text:
            return fixed
    return None
