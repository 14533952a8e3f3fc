"""Spreadsheets in, cases out: the preview a person checks, then the import of its valid rows.

`preview(data, filename, lang, settings, store)` reads an XLSX or CSV file (node/sheet_files.py),
maps its header to the template's columns (node/sheet_columns.py), reads every row
(node/sheet.py) and validates each case with the same shapes as the API and the harvester
(node/publish.py). Nothing is written. Every finding comes back in one round, in the reader's
language: the file's (how it was read, columns not in the template) and each row's, by row and by
the template's column header, the shapes' findings included.

`import_rows(preview, store, settings, as_drafts=...)` writes the rows without violations through
the same publishing flow as the API (`importer.import_entry`); rows with violations are never
written. Each row's case is addressed by its `key` column or, without one, by its title, so
importing the same file again changes nothing.

The node's browser upload page and `stafett node import` both call these two functions.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import orjson
import pyoxigraph as ox

from stafett import texts
from stafett.node import publish
from stafett.node.settings import NodeSettings
from stafett.node.sheet import CellFinding, row_document
from stafett.node.sheet_columns import Column, example_text_column, header, parse_header, template_columns
from stafett.node.sheet_files import SheetError, Table, mojibake, read_table
from stafett.node.sheet_values import as_text
from stafett.node.store import NodeStore
from stafett.problems import Finding, Problem

HEADER_SEARCH = 10  # rows below row 1 where a header under a title is looked for


@dataclass(frozen=True)
class SheetFinding:
    severity: str  # Violation | Warning | Info
    message: str  # in the reader's language
    row: int | None  # the row number the spreadsheet program shows; None for the whole file
    column: str | None  # technical column name (buyer.name_sv); None for the whole row or file
    header: str | None  # that column's header in the template, in the reader's language
    value: str | None = None
    rule: str | None = None

    def as_finding(self, source: str) -> Finding:
        field = self.header or self.column  # a person wrote the column header, not a JSON key
        return Finding(
            self.severity, self.message, field=field, value=self.value, rule=self.rule, source=source
        )


@dataclass(frozen=True)
class PreviewColumn:
    written: str  # the header as the file has it
    column: str | None  # the template column it names, or None
    header: str | None  # the template's header in the reader's language


@dataclass
class PreviewRow:
    number: int
    cells: dict[str, str]  # header as written -> the cell as text
    slug: str | None
    state: str
    findings: list[SheetFinding] = field(default_factory=list)
    action: str = "invalid"  # create | update | unchanged | invalid
    triples: list[ox.Triple] | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return self.triples is not None and not any(f.severity == "Violation" for f in self.findings)


@dataclass
class SheetPreview:
    filename: str
    lang: str
    format: str | None  # xlsx | csv | None when the file is not a sheet
    encoding: str | None
    delimiter: str | None
    columns: list[PreviewColumn]
    rows: list[PreviewRow]
    findings: list[SheetFinding]  # about the whole file
    digest: str  # SHA-256 of the bytes, so a page can check it imports the file it previewed
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """The file itself is readable (rows may still have findings)."""
        return not any(f.severity == "Violation" for f in self.findings)

    @property
    def valid_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.valid] if self.ok else []

    def all_findings(self) -> list[SheetFinding]:
        return [*self.findings, *(f for row in self.rows for f in row.findings)]


def word(name: str, lang: str, /, **values) -> str:
    return texts.word("sheets", name, lang).format(**values)


# -- preview ----------------------------------------------------------------------------------
def preview(
    data: bytes, filename: str, lang: str, settings: NodeSettings, store: NodeStore | None = None
) -> SheetPreview:
    """Every row of the sheet with its findings, nothing written; `store` tells create from update."""
    started = time.perf_counter()
    digest = hashlib.sha256(data).hexdigest()
    try:
        table = read_table(data, filename, lang)
    except SheetError as error:
        finding = SheetFinding("Violation", error.message, None, None, None, rule=error.rule)
        return SheetPreview(filename, lang, None, None, None, [], [], [finding], digest)
    reader = SheetReader(table, filename, lang, settings, store)
    result = reader.read()
    result.digest = digest
    result.seconds = time.perf_counter() - started
    return result


class SheetReader:
    def __init__(self, table: Table, filename: str, lang: str, settings: NodeSettings, store):
        self.table, self.filename, self.lang = table, filename, lang
        self.settings, self.store = settings, store
        self.file_findings = [
            SheetFinding("Info", table.described(lang), None, None, None, rule="sheet-read")
        ]
        self.columns: list[tuple[int, str, Column | None, str | None]] = []  # index, written, column, problem
        self.template = {c.name: c for c in template_columns(lang)}

    def read(self) -> SheetPreview:
        self.find_header()
        self.map_header()
        # a finding about a text the sheet lacks names the column in the language the sheet writes in
        written = [c.lang for _, _, c, problem in self.columns if c and c.lang and not problem]
        if written:
            text_lang = max(dict.fromkeys(written), key=written.count)
            self.template = {c.name: c for c in template_columns(self.lang, (text_lang,))}
        rows = []
        slugs: dict[str, int] = {}
        for number, cells in self.table.rows:
            if all(as_text(v) == "" for v in cells) and not self.formulas_in(number):
                continue
            row = self.read_row(number, cells)
            self.check_unique(row, slugs)
            rows.append(row)
        if self.table.headers and not rows:
            self.file_findings.append(
                SheetFinding("Warning", word("no_rows", self.lang), None, None, None, rule="sheet-empty")
            )
        columns = [
            PreviewColumn(written, c.name if c and not problem else None, header(c, self.lang) if c else None)
            for _, written, c, problem in self.columns
        ]
        t = self.table
        return SheetPreview(
            self.filename, self.lang, t.format, t.encoding, t.delimiter, columns, rows, self.file_findings, ""
        )

    def find_header(self) -> None:
        """A sheet made by hand often has a title above its header: the header is the first of the
        first rows that names at least two template columns (and more than row 1 does)."""
        t = self.table

        def known(cells) -> int:
            return sum(1 for c in cells if as_text(c) and parse_header(as_text(c)) is not None)

        first = known(t.headers)
        for position, (number, cells) in enumerate(t.rows[:HEADER_SEARCH]):
            if known(cells) >= 2 and known(cells) > first:
                above = [t.headers, *(c for _, c in t.rows[:position])]
                text = " / ".join(
                    " ".join(as_text(c) for c in r if as_text(c)) for r in above if any(map(as_text, r))
                )
                self.file_finding("Info", "title_rows", "sheet-title", row=number, text=text[:200])
                t.headers = [as_text(c) for c in cells]
                while t.headers and not t.headers[-1]:
                    t.headers.pop()
                t.rows = t.rows[position + 1 :]
                return

    def file_finding(self, severity: str, key: str, rule: str, **values) -> None:
        self.file_findings.append(
            SheetFinding(severity, word(key, self.lang, **values), None, None, None, rule=rule)
        )

    def map_header(self) -> None:
        if not any(self.table.headers):
            self.file_finding("Violation", "empty_sheet", "sheet-header")
            return
        seen: dict[str, str] = {}
        for index, written in enumerate(self.table.headers):
            column = parse_header(written) if written else None
            problem = None
            if column is None:
                problem = "unknown"
                if written and (fixed := mojibake(written)) is not None:
                    self.file_finding("Warning", "mojibake", "mojibake", value=written, fixed=fixed)
                elif written:
                    self.file_finding("Warning", "unknown_column", "sheet-column", header=written)
            elif column.path and column.term().language_map and not column.lang:
                problem = "language"
                example = example_text_column(column, self.lang)
                self.file_finding(
                    "Warning", "needs_language", "sheet-column", header=written, example=example
                )
            elif column.lang and not (column.path and column.term().language_map):
                problem = "unknown"
                self.file_finding("Warning", "unknown_column", "sheet-column", header=written)
            elif column.name in seen:
                problem = "duplicate"
                self.file_finding("Violation", "duplicate_column", "sheet-column", header=written)
            else:
                seen[column.name] = written
            self.columns.append((index, written, column, problem))

    def formulas_in(self, number: int) -> bool:
        return any(row == number for row, _ in self.table.formulas)

    def shown(self, column: Column) -> str:
        return header(column, self.lang)

    def read_row(self, number: int, cells: list) -> PreviewRow:
        findings: list[SheetFinding] = []
        usable: list[tuple[Column, object]] = []
        texts_by_header: dict[str, str] = {}
        for index, written, column, problem in self.columns:
            value = cells[index] if index < len(cells) else None
            formula = self.table.formulas.get((number, index))
            text = as_text(value)
            texts_by_header[written or f"#{index + 1}"] = formula or text
            label = written or column_letter(index)  # a column not in the template goes by its header
            name, shown = (column.name, self.shown(column)) if column else (label, label)
            if formula:
                message = word("formula", self.lang, formula=formula)
                findings.append(
                    SheetFinding("Violation", message, number, name, shown, formula, "sheet-formula")
                )
            elif text and problem:
                key = "unknown_column_value" if problem != "language" else "needs_language"
                example = example_text_column(column, self.lang) if column and problem == "language" else ""
                message = word(
                    key, self.lang, header=written or column_letter(index), value=text, example=example
                )
                findings.append(SheetFinding("Violation", message, number, name, shown, text, "sheet-column"))
            elif column and not problem:
                usable.append((column, value))
        extra = [index for index in range(len(self.columns), len(cells)) if as_text(cells[index])]
        if extra and self.table.format == "csv":  # most often an unquoted separator inside a cell
            delimiter = {";": ";", ",": ",", "\t": "tab"}.get(self.table.delimiter or ",", ",")
            message = word(
                "shifted_row", self.lang, n=extra[-1] + 1, m=len(self.columns), delimiter=delimiter
            )
            findings.append(SheetFinding("Violation", message, number, None, None, None, "sheet-shifted"))
        for index in extra:  # cells right of the last header
            text = as_text(cells[index])
            if text:
                letter = column_letter(index)
                message = word("unknown_column_value", self.lang, header=letter, value=text)
                findings.append(
                    SheetFinding("Violation", message, number, letter, letter, text, "sheet-column")
                )
        reading = row_document(usable, self.lang)
        findings += [self.cell_finding(number, f) for f in reading.findings]
        row = PreviewRow(number, texts_by_header, None, reading.state, findings)
        self.validate(row, reading.document, reading.key, reading.identifier)
        return row

    def cell_finding(self, number: int, f: CellFinding) -> SheetFinding:
        column = parse_header(f.column) if f.column else None
        shown = self.shown(column) if column else None
        return SheetFinding(f.severity, f.message, number, f.column, shown, f.value, f.rule)

    def validate(
        self, row: PreviewRow, document: dict, key: str | None, identifier: str | None = None
    ) -> None:
        source = f"{self.filename} {word('row', self.lang, n=row.number)}"
        blamed = {f.column for f in row.findings if f.severity == "Violation"}
        try:
            triples = publish.parse(
                orjson.dumps(document), "application/ld+json", self.settings, source=source
            )
            row.slug = self.slug_of(key, identifier, triples)
            prepared = publish.prepare(triples, self.settings, row.slug, source=source, lang=self.lang)
            current = self.store.get_case(prepared.case_iri) if self.store else None
            version = current.version + 1 if current else 1
            found = publish.validate(prepared, self.settings, lang=self.lang, version=version, source=source)
        except Problem as problem:
            found = problem.findings or [
                Finding("Violation", problem.detail or problem.title, rule=problem.slug)
            ]
            triples = None
        else:
            row.triples = triples
            row.action = self.action(prepared, current, row)
        for finding in found:
            if finding.rule == "node-set":
                continue
            column = self.column_for(finding, row)
            if column and column.name in blamed:
                continue  # the reading already said what is wrong with this column
            name, shown = (column.name, self.shown(column)) if column else (None, None)
            row.findings.append(
                SheetFinding(
                    finding.severity, finding.message, row.number, name, shown, finding.value, finding.rule
                )
            )
        if any(f.severity == "Violation" for f in row.findings):
            row.action = "invalid"

    def slug_of(self, key: str | None, identifier: str | None, triples) -> str:
        """The key, else the `id` column's last path segment, else the title (idempotent re-imports)."""
        if key:
            return publish.slugify(key)
        from_id = publish.key_slug(identifier, self.settings) if identifier else None
        return from_id or publish.title_slug(triples, self.settings)

    def action(self, prepared, current, row: PreviewRow) -> str:
        if current is None or current.state == "deleted":
            return "create"
        same = self.store.content_hash_of(prepared.case_iri) == prepared.content_hash
        return "unchanged" if same and current.state == row.state else "update"

    def column_for(self, finding: Finding, row: PreviewRow) -> Column | None:
        """The sheet's (or else the template's) column a shape finding is about."""
        if not finding.field:
            return None
        base = ".".join((*object_path(finding.focus_node), finding.field))
        present = [c for _, _, c, problem in self.columns if c and not problem]
        for candidates in (present, list(self.template.values())):
            exact = [c for c in candidates if c.base == base]
            if exact:
                return exact[0]
            nested = [c for c in candidates if c.base.startswith(base + ".")]
            if nested:
                return nested[0]
        return None

    def check_unique(self, row: PreviewRow, slugs: dict[str, int]) -> None:
        if row.slug is None:
            return
        if row.slug in slugs:
            message = word("duplicate_key", self.lang, other=slugs[row.slug], key=row.slug)
            key_column = self.template["key"]
            row.findings.append(
                SheetFinding(
                    "Violation", message, row.number, "key", self.shown(key_column), row.slug, "sheet-key"
                )
            )
            row.action = "invalid"
        else:
            slugs[row.slug] = row.number


def object_path(focus: str | None) -> tuple[str, ...]:
    """`<case>#solution-1-supplier-2` -> ("solution", "supplier"); the case itself -> ()."""
    if not focus or "#" not in focus:
        return ()
    return tuple(part for part in focus.split("#", 1)[1].split("-") if part and not part.isdigit())


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- import -----------------------------------------------------------------------------------
def import_rows(
    sheet: SheetPreview,
    store: NodeStore,
    settings: NodeSettings,
    *,
    as_drafts: bool,
    dry_run: bool = False,
    state: str | None = None,
):
    """Write the valid rows (as drafts, or in the state each row says, or in `state`); report every row."""
    from stafett.node.importer import Entry, ImportItem, ImportReport, import_entry

    report = ImportReport()
    if not sheet.ok:
        source = sheet.filename
        findings = [f.as_finding(source) for f in sheet.findings]
        report.items.append(ImportItem(source, None, "failed", findings))
        return report
    for row in sheet.rows:
        source = f"{sheet.filename} {word('row', sheet.lang, n=row.number)}"
        if not row.valid:
            shown = [f.as_finding(source) for f in row.findings]  # each finding is its own line
            report.items.append(ImportItem(source, row.slug, "failed", shown))
            continue
        chosen = "draft" if as_drafts else (state or row.state)
        entry = Entry(source, row.triples, row.slug, chosen)
        item = import_entry(
            store, settings, entry, state=chosen, dry_run=dry_run, only_own=False, lang=sheet.lang
        )
        item.findings = [f.as_finding(source) for f in row.findings if f.severity != "Violation"]
        report.items.append(item)
    return report
