"""The official notice identifiers a case may carry (key `noticeIdentifier`): formats and links.

One table, read by shapes/spec.py (the formats the shapes check) and by the node's case page (the
links). A scheme is written as `identifierScheme` (epo:hasScheme, a plain name as ePO has it) beside
the `notation` (skos:notation) of an adms:Identifier. `link` is None where no public address can be
made from the identifier alone: the page then links the identifier's own `url` when it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class NoticeScheme:
    label: str
    pattern: str  # kept to the regex subset SHACL (XPath) and JSON Schema (ECMA) share
    example: str
    link: str | None  # address template, `{id}` = the notation as the link wants it


NOTICE_SCHEMES = MappingProxyType(
    {
        # ePO's epo:hasNoticePublicationNumber: "The format of this identifier is XXXXXXXX-YYYY".
        "ted": NoticeScheme(
            "TED publication number",
            r"^[0-9]{8}-[0-9]{4}$",
            "00123456-2024",
            "https://ted.europa.eu/en/notice/-/detail/{id}",
        ),
        # eForms BT-04 Procedure Identifier: a UUID in lower case.
        "eforms-procedure": NoticeScheme(
            "eForms procedure identifier (BT-04)",
            r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "1e86a664-ae3c-41eb-8529-0242ac130003",
            None,
        ),
        "doffin": NoticeScheme(
            "Doffin reference (Norway)",
            r"^[0-9]{4}-[0-9]{6}$",
            "2024-012345",
            "https://doffin.no/notices/{id}",
        ),
        # Hilma's notice number is year-id; its public page also needs the procurement project's id.
        "hilma": NoticeScheme("Hilma notice number (Finland)", r"^[0-9]{4}-[0-9]{6}$", "2024-012345", None),
        # Sweden has several registered advertising databases, each with its own reference format.
        "se-annonsdatabas": NoticeScheme(
            "Swedish advertising database procurement id",
            r"^[A-Za-z0-9][A-Za-z0-9._/:-]{1,79}$",
            "UH-2024-1234",
            None,
        ),
        "ocds": NoticeScheme(
            "OCDS open contracting id (ocid)",
            r"^ocds-[a-z0-9]{6}-[^\s]{1,100}$",
            "ocds-213czf-000-00001",
            None,
        ),
    }
)


def notice_link(scheme: str, notation: str) -> str | None:
    """The public address of a notice from its identifier alone, or None."""
    known = NOTICE_SCHEMES.get(scheme)
    if not known or not known.link:
        return None
    if scheme == "ted":  # TED shows its numbers without the leading zeros ("123456-2024")
        number, year = notation.split("-")
        notation = f"{int(number)}-{year}"
    return known.link.format(id=notation)


def notice_display(identifier: dict) -> dict:
    """What a case page shows for one `noticeIdentifier`: its scheme's label and notation, linked to
    the notice (from the identifier alone, else the identifier's own `url`). The caller still checks
    the address's URL scheme before it becomes a link."""
    scheme, notation = identifier.get("identifierScheme"), identifier.get("notation")
    known = NOTICE_SCHEMES.get(scheme) if isinstance(scheme, str) else None
    shown = f"{known.label if known else scheme}: {notation}"
    href = None
    well_formed = isinstance(notation, str) and known is not None and re.fullmatch(known.pattern, notation)
    if isinstance(scheme, str) and isinstance(notation, str) and well_formed:
        href = notice_link(scheme, notation)
    href = href or identifier.get("url")
    return {"text": shown, "href": href} if isinstance(href, str) else {"text": shown}
