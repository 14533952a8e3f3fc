"""The CSV template a procurement officer fills in: one row per case -> one case document.

Column rules (see node/case-template.csv and docs/node.md):
- a column is a field of the case document: `status`, `startDate`, `cpv`, ...;
- `<field>_<lang>` fills a language map: `title_sv`, `summary_en`, `keyword_fi`;
- `<object>.<field>` fills nested objects: `buyer.orgNumber`, `buyer.name_sv`,
  `funding.funder.name_sv`; for list-valued objects (`buyer`, `solution`, `funding`,
  `document`, `contact`) the n-th `;`-separated part goes into the n-th object;
- multi-valued cells (lists, keywords) are separated by `;`;
- `key` is the case's stable address (its slug); without it the title gives one;
  `state` is `published` (default) or `draft`; empty cells are ignored.
"""

from __future__ import annotations

import csv
import io
import re

from stafett.node.vocab import context_terms
from stafett.problems import Finding, Problem
from stafett.vocabulary.jsonld import CONTEXT_URL

META_COLUMNS = ("key", "state")
BOOLEAN_WORDS = {
    "true": True,
    "yes": True,
    "ja": True,
    "kyllä": True,
    "já": True,
    "1": True,
    "false": False,
    "no": False,
    "nej": False,
    "nei": False,
    "ei": False,
    "nei.": False,
    "0": False,
}
LANG_SUFFIX = re.compile(r"^(?P<field>[A-Za-z]+)_(?P<lang>[a-z]{2,3})$")
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def read_rows(raw: bytes, source: str) -> list[dict[str, str]]:
    """Rows as dicts; accepts UTF-8 with or without BOM, comma or semicolon separated."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(
            400,
            "unreadable-input",
            "The input could not be read",
            f"{source} is not UTF-8 text; save the sheet as 'CSV UTF-8'",
        ) from None
    sample = text.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def split_values(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def convert(field: str, text: str, source: str):
    term = context_terms()[0].get(field)
    datatype = term.datatype if term else None
    if datatype and datatype.endswith("#boolean"):
        value = BOOLEAN_WORDS.get(text.lower())
        if value is None:
            raise cell_problem(field, text, "write true or false", source)
        return value
    if datatype and datatype.endswith("#decimal"):
        number = text.replace(" ", "").replace("\u00a0", "")
        if not NUMBER.match(number):
            raise cell_problem(field, text, "write a number such as 1200000 or 1200000.50", source)
        return number.replace(",", ".")
    if field == "email" and ":" not in text:
        return "mailto:" + text  # people write the bare address; the context wants an IRI
    if field == "phone" and ":" not in text:
        return "tel:" + re.sub(r"[\s()-]", "", text)
    return text


def cell_problem(field: str, text: str, fix: str, source: str) -> Problem:
    detail = f"{source}: column {field!r} has {text!r}; {fix}"
    return Problem(
        422,
        "validation-failed",
        "The case is not valid",
        detail,
        [Finding("Violation", detail, field=field, value=text, rule="csv", source=source)],
    )


def put_value(target: dict, column: str, cell: str, source: str) -> None:
    """Set one cell's value(s) into a (possibly nested) object."""
    terms = context_terms()[0]
    match = LANG_SUFFIX.match(column)
    field, lang = (match["field"], match["lang"]) if match and match["field"] in terms else (column, None)
    term = terms.get(field)
    if term is None:
        raise cell_problem(
            column, cell, "rename the column to a field of the case (see the template)", source
        )
    if lang:
        if not term.language_map:
            raise cell_problem(column, cell, f"{field!r} takes no language suffix", source)
        values = split_values(cell) if term.is_set else [cell]
        target.setdefault(field, {})[lang] = values if term.is_set else cell
        return
    if term.language_map:
        raise cell_problem(column, cell, f"add a language, e.g. {field}_sv", source)
    if term.is_set:
        target[field] = [convert(field, v, source) for v in split_values(cell)]
    else:
        target[field] = convert(field, cell, source)


def put_nested(document: dict, path: list[str], cell: str, source: str) -> None:
    """`buyer.name_sv` etc.: the n-th ';' part goes into the n-th object of a list field."""
    head, rest = path[0], path[1:]
    term = context_terms()[0].get(head)
    if term is None:
        raise cell_problem(".".join(path), cell, "rename the column (see the template)", source)
    parts = split_values(cell) if term.is_set else [cell]
    if term.is_set:
        objects = document.setdefault(head, [])
        while len(objects) < len(parts):
            objects.append({})
        targets = objects[: len(parts)]
    else:
        targets = [document.setdefault(head, {})]
    for target, part in zip(targets, parts, strict=False):
        node = target
        for segment in rest[:-1]:
            node = node.setdefault(segment, {})
        put_value(node, rest[-1], part, source)


def row_document(row: dict[str, str], source: str) -> tuple[dict, str | None, str]:
    """(case document, key or None, state) for one row."""
    document: dict = {"@context": CONTEXT_URL, "type": "Case"}
    for column, cell in row.items():
        if not column or not cell or column in META_COLUMNS:
            continue
        path = column.split(".")
        if len(path) == 1:
            put_value(document, column, cell, source)
        else:
            put_nested(document, path, cell, source)
    state = row.get("state") or "published"
    if state not in ("published", "draft"):
        raise cell_problem("state", state, "write published or draft", source)
    return document, row.get("key") or None, state
