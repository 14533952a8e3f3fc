"""One spreadsheet cell -> one JSON value, read the way Nordic spreadsheet programs write it.

- numbers: `1 234,50`, `1.234,50`, `1,234.50`, `1234.5` (spaces, no-break spaces and thin spaces
  group thousands; the last `,` or `.` before 1-2 or 4+ digits is the decimal sign; a lone
  `1.234` is a thousand in Danish, Norwegian and Icelandic, and one point two in the others);
- dates: `2024-03-01`, `2024-03`, `2024`, `1.3.2024`, `01.03.2024`, `1/3/2024`, `01-03-2024`
  (always day first: no Nordic program writes month first);
- yes/no: ja/nej/kyllä/ei/já/nei/yes/no/true/false/1/0 and the words Excel shows for TRUE and
  FALSE in the seven languages (SANT/FALSKT, SAND/FALSK, SANN/USANN, TOSI/EPÄTOSI, SATT/ÓSATT);
- codes: in any letter case and as their SKOS labels in any of the seven languages.

A conversion that changed how a value is written returns a note (an Info finding) saying so;
a value that cannot be read raises `CellError`, never guessed. XLSX cells arrive typed
(int, float, bool, datetime) and are taken as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from stafett import texts
from stafett.node.sheet_codes import lookup_code
from stafett.node.vocab import Term

TRUE_WORDS = frozenset({"true", "yes", "ja", "kyllä", "já", "1", "sant", "sand", "sann", "tosi", "satt", "x"})
FALSE_WORDS = frozenset(
    {"false", "no", "nej", "nei", "ei", "0", "falskt", "falsk", "usann", "epätosi", "ósatt", "osann"}
)
GROUPING = re.compile(r"[\s\u00a0\u202f\u2009']")
DOT_THOUSANDS_LANGS = frozenset({"da", "nb", "nn", "is"})
MIDNIGHT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]00:00(:00(\.0+)?)?$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})$")
YEAR_FIRST_SLASH = re.compile(r"^(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})$")
WEB_ADDRESS = re.compile(r"^https?://[^\s/]+\.[^\s]*$|^https?://[^\s/]+(:\d+)?/\S*$", re.IGNORECASE)
NUMBER_EXAMPLE = {"en": "1234.50", "da": "1.234,50", "nb": "1 234,50", "nn": "1 234,50", "is": "1.234,50"}


@dataclass
class CellError(Exception):
    """A value that cannot be read; `message` is already in the reader's language."""

    message: str


@dataclass(frozen=True)
class Note:
    """How a value was read when that differs from how it was written (an Info finding)."""

    message: str


def word(name: str, lang: str, /, **values) -> str:
    return texts.word("sheets", name, lang).format(**values)


def as_text(value) -> str:
    """A typed XLSX value as the text a person sees (1.0 -> "1", a date -> 2024-03-01)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_boolean(value, lang: str) -> tuple[bool, list[Note]]:
    if isinstance(value, bool):
        return value, []
    text = as_text(value).casefold()
    if text in TRUE_WORDS:
        return True, []
    if text in FALSE_WORDS:
        return False, []
    raise CellError(
        word("bad_boolean", lang, value=as_text(value), yes=word("yes", lang), no=word("no", lang))
    )


def read_number(value, lang: str) -> tuple[str, list[Note]]:
    """A decimal as the text of an xsd:decimal (`1234.50`)."""
    if isinstance(value, bool):
        raise CellError(word("bad_number", lang, value=as_text(value), example=number_example(lang)))
    if isinstance(value, int | float | Decimal):
        return format_decimal(Decimal(str(value))), []
    written = as_text(value)
    text = GROUPING.sub("", written).replace("\u2212", "-")
    number, ambiguous = parse_number_text(text, lang)
    if number is None:
        raise CellError(word("bad_number", lang, value=written, example=number_example(lang)))
    notes = [Note(word("read_number", lang, value=written, number=number))] if ambiguous else []
    return number, notes


def number_example(lang: str) -> str:
    return NUMBER_EXAMPLE.get(lang, "1 234,50")


def parse_number_text(text: str, lang: str) -> tuple[str | None, bool]:
    """(decimal text or None, whether the reading was a guess between two conventions)."""
    if not re.fullmatch(r"-?[\d.,]+", text) or not re.search(r"\d", text):
        return None, False
    ambiguous = False
    last = max(text.rfind(","), text.rfind("."))
    if last == -1:
        whole, fraction = text, ""
    elif "," in text and "." in text:
        whole, fraction = text[:last], text[last + 1 :]  # the later sign is the decimal one
        whole = whole.replace(",", "").replace(".", "")
    else:
        sign = text[last]
        groups = text.lstrip("-").split(sign)
        looks_grouped = len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        thousands = looks_grouped and (
            len(groups) > 2 or (sign == "." and lang in DOT_THOUSANDS_LANGS) or (sign == "," and lang == "en")
        )
        if thousands:
            whole, fraction = text.replace(sign, ""), ""
            ambiguous = len(groups) == 2
        elif text.count(sign) > 1:
            return None, False
        else:
            whole, fraction = text[:last], text[last + 1 :]
            ambiguous = looks_grouped
    try:
        number = Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    except InvalidOperation:
        return None, False
    return format_decimal(number), ambiguous


def format_decimal(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def read_date(value, lang: str) -> tuple[str, list[Note]]:
    """An ISO 8601 date, year-month or year (the shapes accept all three)."""
    if isinstance(value, datetime):
        return value.date().isoformat(), []
    if isinstance(value, date):
        return value.isoformat(), []
    written = as_text(value)
    if MIDNIGHT.match(written):  # a date a program wrote with its (empty) time of day
        return checked_date(written[:10], written, lang), []
    if ISO_DATE.match(written):
        return checked_date(written, written, lang), []
    match = DAY_FIRST.match(written) or YEAR_FIRST_SLASH.match(written)
    if not match:
        raise CellError(word("bad_date", lang, value=written))
    iso = f"{int(match['y']):04d}-{int(match['m']):02d}-{int(match['d']):02d}"
    return checked_date(iso, written, lang), [Note(word("read_date", lang, value=written, date=iso))]


def checked_date(iso: str, written: str, lang: str) -> str:
    try:
        if len(iso) == 10:
            date.fromisoformat(iso)
        elif len(iso) == 7 and not 1 <= int(iso[5:]) <= 12:
            raise ValueError(iso)
    except ValueError:
        raise CellError(word("bad_date", lang, value=written)) from None
    return iso


def read_code(key: str, value, lang: str, header: str) -> tuple[str, list[Note]]:
    """The code a cell means, written as a code in any case or as a label in any language."""
    written = as_text(value)
    found = lookup_code(key, written, lang)
    if found.code is None:
        if found.candidates:
            raise CellError(word("code_ambiguous", lang, value=written, codes=", ".join(found.candidates)))
        if found.known_scheme:
            codes = word("codes_sheet", lang)
            raise CellError(word("code_unknown", lang, value=written, header=header, codes=codes))
        return written, []  # a scheme the node ships no list for: the shapes decide
    if found.code == written:
        return written, []
    label = found.label or found.code
    return found.code, [Note(word("code_normalised", lang, value=written, code=found.code, label=label))]


def read_value(term: Term, key: str, value, lang: str, header: str) -> tuple[object, list[Note]]:
    """The JSON value of one cell (one `;` part) under the JSON key `key`."""
    datatype = term.datatype or ""
    if datatype.endswith("#boolean"):
        return read_boolean(value, lang)
    if datatype.endswith("#decimal"):
        return read_number(value, lang)
    if datatype.endswith("#date"):
        return read_date(value, lang)
    if term.vocab:
        return read_code(key, value, lang, header)
    text = as_text(value)
    if term.coerce_id and key not in ("email", "phone") and not WEB_ADDRESS.match(text):
        raise CellError(word("bad_url", lang, value=text))  # else it would resolve against the node's base
    if key == "email" and ":" not in text:
        return "mailto:" + text, []  # people write the bare address; the context wants an IRI
    if key == "phone" and ":" not in text:
        return "tel:" + re.sub(r"[\s()-]", "", text), []
    return text, []
