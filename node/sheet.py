"""One row of the case template -> one case document, with a finding for every cell it could not
read or read differently from how it was written (all of them, never only the first).

Column rules (node/case-template.csv; docs/node.md "Spreadsheets"):
- a column is a path of JSON keys, with a language for text: `title_sv`, `buyer.name_sv`;
- multi-valued keys take `;`-separated values: `sector`, `cpv`, `keyword_sv`;
- in a list of objects (`buyer`, `solution`, `funding`, `milestone`, `participant`, `document`,
  `contact`, ...) the n-th `;` part of each column belongs to the n-th object; how many objects
  there are is said by the columns of codes, names, addresses, numbers and dates. A longer text
  (a summary, a title) is split only when it has exactly that many parts, so a `;` inside a
  sentence stays in the sentence and never makes a second, nameless object;
- one code or yes/no for several objects is used for each of them (with a note): one document
  type for two documents types both;
- a list inside a list (`solution.supplier.name_sv`): the `;` parts are the inner objects (two
  suppliers of one solution); with several solutions, `|` separates the solutions (`A;B|C`);
- `key` is the case's stable address (its slug), `state` is published (default) or draft, in
  any of the seven languages; without a `key`, an `id` column (a case IRI, as an export has it)
  gives the address by its last path segment, and without either the title does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stafett import texts
from stafett.languages import SUPPORTED
from stafett.node.sheet_columns import Column, header, key_label
from stafett.node.sheet_files import mojibake
from stafett.node.sheet_values import CellError, as_text, read_value
from stafett.node.vocab import Term, context_terms
from stafett.vocabulary.jsonld import CONTEXT_URL

NAME_KEYS = frozenset({"name", "fullName"})
OUTER = "|"
INNER = ";"


@dataclass(frozen=True)
class CellFinding:
    severity: str  # Violation | Warning | Info
    message: str  # in the reader's language
    column: str | None  # technical column name; None for the row as a whole
    value: str | None = None
    rule: str = "sheet"


@dataclass
class RowReading:
    document: dict
    key: str | None
    state: str
    findings: list[CellFinding] = field(default_factory=list)
    identifier: str | None = None  # the `id` column: the case's IRI elsewhere (an export's)

    @property
    def readable(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)


def word(name: str, lang: str, /, **values) -> str:
    return texts.word("sheets", name, lang).format(**values)


def state_words(state: str) -> set[str]:
    return {state} | {texts.word("sheets", f"state_{state}", lang).casefold() for lang in SUPPORTED}


def split(text: str, sep: str = INNER) -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]


def list_levels(column: Column) -> list[int]:
    """Positions in the path of keys whose value is a list of objects (buyer, solution.supplier)."""
    terms = context_terms()[0]
    return [i for i, key in enumerate(column.path[:-1]) if terms[key].is_set]


def is_free_text(column: Column) -> bool:
    term = column.term()
    return term.language_map and not term.is_set and column.leaf not in NAME_KEYS


class RowBuilder:
    """Builds one case document from the cells of one row."""

    def __init__(self, lang: str):
        self.lang = lang
        self.document: dict = {"@context": CONTEXT_URL, "type": "Case"}
        self.findings: list[CellFinding] = []
        self.lists: dict[tuple[str, ...], list[dict]] = {}

    def note(self, severity: str, message: str, column: Column | None, value=None, rule="sheet") -> None:
        shown = None if value is None else as_text(value)
        self.findings.append(CellFinding(severity, message, column.name if column else None, shown, rule))

    # -- values -------------------------------------------------------------------------
    def convert(self, column: Column, part) -> tuple[bool, object]:
        term = column.term()
        try:
            value, notes = read_value(term, column.leaf, part, self.lang, header(column, self.lang))
        except CellError as error:
            self.note("Violation", error.message, column, part, rule="sheet-value")
            return False, None
        for n in notes:
            self.note("Info", n.message, column, part, rule="sheet-normalised")
        return True, value

    def put(self, target: dict, column: Column, cell) -> None:
        """Set the leaf of `column` in `target` from one cell or one `;` part of it."""
        term: Term = column.term()
        if term.language_map:
            text = as_text(cell)
            if term.is_set:
                target.setdefault(column.leaf, {})[column.lang] = split(text)
            else:
                target.setdefault(column.leaf, {})[column.lang] = text
            return
        parts = split(as_text(cell)) if term.is_set and isinstance(cell, str) else [cell]
        converted = [self.convert(column, part) for part in parts]
        if not all(ok for ok, _ in converted):
            return
        values = [value for _, value in converted]
        target[column.leaf] = values if term.is_set else values[0]

    # -- objects ------------------------------------------------------------------------
    def single(self, path: tuple[str, ...], root: dict | None = None) -> dict:
        node = self.document if root is None else root
        for key in path:
            node = node.setdefault(key, {})
        return node

    def objects(self, container: dict, key_path: tuple[str, ...], count: int) -> list[dict]:
        """The list at `key_path` under `container`, with at least `count` objects."""
        parent = self.single(key_path[:-1], container)
        items = parent.setdefault(key_path[-1], [])
        while len(items) < count:
            items.append({})
        return items

    # -- a whole row ----------------------------------------------------------------------
    def build(self, cells: list[tuple[Column, object]]) -> RowReading:
        key, state, identifier = None, "published", None
        filled = []
        for column, value in cells:
            if value is None or as_text(value) == "":
                continue
            if column.name == "key":
                key = as_text(value)
            elif column.name == "id":
                identifier = as_text(value)
            elif column.name == "state":
                state = self.read_state(column, as_text(value)) or state
            elif isinstance(value, str) and (fixed := mojibake(value)) is not None:
                self.note(
                    "Violation",
                    word("mojibake", self.lang, value=value, fixed=fixed),
                    column,
                    value,
                    "mojibake",
                )
            else:
                filled.append((column, value))
        counts = self.object_counts(filled)
        for column, value in filled:
            self.place(column, value, counts)
        prune(self.document)
        return RowReading(self.document, key, state, self.findings, identifier)

    def read_state(self, column: Column, text: str) -> str | None:
        for state in ("published", "draft"):
            if text.casefold() in state_words(state):
                return state
        published, draft = word("state_published", self.lang), word("state_draft", self.lang)
        self.note(
            "Violation",
            word("bad_state", self.lang, value=text, published=published, draft=draft),
            column,
            text,
        )
        return None

    def object_counts(self, filled) -> dict[tuple[str, ...], int]:
        """How many objects each list of objects has in this row, from its countable columns."""
        counts: dict[tuple[str, ...], int] = {}
        for column, value in filled:
            levels = list_levels(column)
            if not levels:
                continue
            outer = column.path[: levels[0] + 1]
            text = as_text(value)
            if len(levels) == 1 and not is_free_text(column):
                counts[outer] = max(counts.get(outer, 1), len(split(text)) or 1)
            elif len(levels) == 2 and OUTER in text:
                counts[outer] = max(counts.get(outer, 1), len(split(text, OUTER)))
        return counts

    def place(self, column: Column, value, counts) -> None:
        levels = list_levels(column)
        if not levels:
            self.put(self.single(column.path[:-1]), column, value)
            return
        outer = column.path[: levels[0] + 1]
        count = counts.get(outer, 1)
        text = as_text(value)
        if len(levels) == 1:
            self.place_in_list(column, value, text, outer, count)
        else:
            self.place_in_inner_list(column, text, outer, count, levels)

    def place_in_list(self, column: Column, value, text: str, outer, count: int) -> None:
        rest = column.path[len(outer) : -1]
        parts = split(text) if isinstance(value, str) else [value]
        if is_free_text(column) and len(parts) != count:
            parts = [text]  # a `;` in a sentence is part of the sentence
        objects = self.objects(self.document, outer, count)
        if len(parts) == 1 and count > 1 and (column.term().vocab or is_boolean(column.term())):
            name = key_label(outer[-1], self.lang)
            self.note(
                "Info",
                word("applied_to_all", self.lang, n=count, object=name),
                column,
                value,
                "sheet-applied",
            )
            parts = parts * count
        for target, part in zip(objects, parts, strict=False):
            self.put(self.single(rest, target), column, part)

    def place_in_inner_list(self, column: Column, text: str, outer, count: int, levels) -> None:
        inner = column.path[len(outer) : levels[1] + 1]
        rest = column.path[levels[1] + 1 : -1]
        if OUTER in text:
            groups = [split(chunk) for chunk in text.split(OUTER)]
        elif count == 1:
            groups = [split(text)]
        elif len(split(text)) == count:
            groups = [[part] for part in split(text)]
        else:
            name = key_label(outer[-1], self.lang)
            message = word("ambiguous_parts", self.lang, n=len(split(text)), m=count, object=name)
            self.note("Violation", message, column, text, "sheet-parts")
            return
        for target, parts in zip(self.objects(self.document, outer, len(groups)), groups, strict=False):
            for inner_target, part in zip(self.objects(target, inner, len(parts)), parts, strict=False):
                self.put(self.single(rest, inner_target), column, part)


def is_boolean(term: Term) -> bool:
    return bool(term.datatype and term.datatype.endswith("#boolean"))


def prune(node) -> None:
    """Drop objects that ended up empty (every cell of theirs had a finding)."""
    if isinstance(node, dict):
        for key in list(node):
            prune(node[key])
            if node[key] in ({}, []):
                del node[key]
    elif isinstance(node, list):
        for item in node:
            prune(item)
        node[:] = [item for item in node if item not in ({}, [])]


def row_document(cells: list[tuple[Column, object]], lang: str) -> RowReading:
    return RowBuilder(lang).build(cells)
