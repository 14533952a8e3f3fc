"""The template's columns, and their headers in each interface language.

A column is a path of JSON keys with an optional language: `buyer.name_sv` is the buyer's name in
Swedish. A sheet may head it with that technical name (node/case-template.csv does) or with the
template's header in any of the seven languages: "Upphandlande organisation: Namn (sv)",
"Buyer: Name (sv)". The header of a key is the field label the node's pages show for it
(node/web/templates/strings.json), so a sheet and a case page use the same words; findings name
a column by the header in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import orjson

from stafett import texts
from stafett.languages import SUPPORTED
from stafett.node.vocab import Term, context_terms

META_COLUMNS = ("key", "state", "id")  # id: a case IRI, as in an export (not in the template)
SEPARATOR = ": "
LANG_SUFFIX = re.compile(r"^(?P<base>.+?)\s*\((?P<lang>[a-z]{2,3})\)$")
TECHNICAL = re.compile(r"^(?P<path>[A-Za-z]+(\.[A-Za-z]+)*)(_(?P<lang>[a-z]{2,3}))?$")
# Columns of the template besides those in node/case-template.csv (places, notices, more links).
EXTRA_PATHS = (
    "municipality",
    "region",
    "nuts",
    "procedure.innovativeAcquisition",
    "funding.programme",
    "noticeIdentifier.identifierScheme",
    "noticeIdentifier.notation",
    "scaledUpFrom",
    "adoptedBy",
)


@dataclass(frozen=True)
class Column:
    name: str  # technical: buyer.name_sv, key, state
    path: tuple[str, ...]  # ("buyer", "name"); () for key and state
    lang: str | None = None

    @property
    def base(self) -> str:
        return ".".join(self.path)

    @property
    def leaf(self) -> str:
        return self.path[-1] if self.path else self.name

    def term(self) -> Term:
        return context_terms()[0][self.leaf]


@cache
def field_labels() -> dict[str, dict[str, str]]:
    raw = resources.files("stafett.node.web").joinpath("templates/strings.json").read_bytes()
    return orjson.loads(raw)["fields"]


def key_label(key: str, lang: str) -> str:
    labels = field_labels().get(key)
    if labels is None:
        return texts.word("sheets", f"field_{key}", lang)
    return labels.get(lang) or labels["en"]


@cache
def template_paths() -> tuple[str, ...]:
    """The paths of the template's columns, in the template's order, without languages."""
    raw = resources.files("stafett.node").joinpath("case-template.csv").read_text("utf-8")
    header = raw.splitlines()[0].split(",")
    paths: list[str] = []
    for name in [*header, *EXTRA_PATHS]:
        if name in META_COLUMNS:
            continue
        base = TECHNICAL.match(name)["path"]  # type: ignore[index]
        if base not in paths:
            paths.append(base)
    return tuple(paths)


def is_text(path: str) -> bool:
    return context_terms()[0][path.rsplit(".", 1)[-1]].language_map


def template_columns(lang: str, text_languages: tuple[str, ...] = ()) -> list[Column]:
    """The template for a reader of `lang`: text columns in that language (or in `text_languages`)."""
    columns = [Column("key", ()), Column("state", ())]
    for base in template_paths():
        path = tuple(base.split("."))
        if not is_text(base):
            columns.append(Column(base, path))
            continue
        columns += [Column(f"{base}_{tag}", path, tag) for tag in (text_languages or (lang,))]
    return columns


def header(column: Column, lang: str) -> str:
    """The column's header in the reader's language."""
    if not column.path:
        return texts.word("sheets", f"col_{column.name}", lang)
    text = SEPARATOR.join(key_label(key, lang) for key in column.path)
    return f"{text} ({column.lang})" if column.lang else text


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@cache
def headers_index() -> dict[str, str]:
    """Folded header (any of the seven languages, without a language) -> technical path."""
    index: dict[str, str] = {}
    for lang in SUPPORTED:
        for meta in META_COLUMNS:
            index.setdefault(fold(texts.word("sheets", f"col_{meta}", lang)), meta)
        for base in template_paths():
            index.setdefault(fold(header(Column(base, tuple(base.split("."))), lang)), base)
    return index


def parse_header(text: str) -> Column | None:
    """The column a header names (technical or a template header in any language), else None."""
    text = text.strip().lstrip("\ufeff")
    if text in META_COLUMNS:
        return Column(text, ())
    match = TECHNICAL.match(text)
    if match and valid_path(match["path"]):
        return column_of(match["path"], match["lang"])
    found = LANG_SUFFIX.match(text)
    base, lang = (found["base"], found["lang"]) if found else (text, None)
    path = headers_index().get(fold(base))
    if path is None:
        return None
    if path in META_COLUMNS:
        return Column(path, ())
    return column_of(path, lang)


def column_of(path: str, lang: str | None) -> Column:
    return Column(f"{path}_{lang}" if lang else path, tuple(path.split(".")), lang)


def valid_path(path: str) -> bool:
    terms = context_terms()[0]
    keys = path.split(".")
    if not all(key in terms for key in keys):
        return False
    return all(is_object(terms[key]) for key in keys[:-1])


def is_object(term: Term) -> bool:
    """A key whose value is a nested object (buyer, funding.funder), not a literal or a code."""
    return not (term.language_map or term.vocab or term.datatype or term.coerce_id)


def example_text_column(column: Column, lang: str) -> str:
    """How a text column without a language should be headed (for the finding that says so)."""
    return header(Column(f"{column.base}_{lang}", column.path, lang), lang)
