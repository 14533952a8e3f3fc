"""`stafett node import-notice FILE`: a draft case pre-filled from an eForms notice or OCDS release.

The draft says only what the notice says; the publisher completes it (need, outcome, status, …) and
imports it with `stafett node import`, or lets `--import` put it into the node as a draft case
(`importer.import_document`) to complete there.
It works offline on a file: nothing is fetched, and the file is capped before it is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import orjson
from defusedxml import DefusedXmlException

from stafett.node import eforms, ocds
from stafett.problems import Problem
from stafett.shapes import spec, validate_document
from stafett.vocabulary.jsonld import CONTEXT_URL, Limits, load_json

MAX_BYTES = 5_000_000  # the maximal eForms SDK example is 110 kB; OCDS packages of one process are small
JSON_LIMITS = Limits(max_bytes=MAX_BYTES, max_depth=32, max_nodes=200_000)


@dataclass
class Draft:
    case: dict
    source: str  # what the file was: "eForms contract notice", "OCDS release (tender)"
    notes: list[str] = field(default_factory=list)  # what the publisher should know or still add


def unreadable(path: Path, why: str) -> Problem:
    return Problem(
        400,
        "unreadable-input",
        "Unreadable notice",
        f"{path}: {why}. import-notice reads eForms XML (PIN, CN, CAN) or an OCDS release or "
        "release package as JSON.",
    )


def read_capped(path: Path) -> bytes:
    if not path.is_file():
        raise Problem(400, "not-found", "No such file", f"{path} does not exist")
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Problem(
            413,
            "too-large",
            "Notice too large",
            f"{path} is over {MAX_BYTES:,} bytes; a notice of one procedure is far smaller",
        )
    return data


def from_eforms(path: Path, data: bytes) -> Draft:
    try:
        root = eforms.parse(data)
    except (ParseError, DefusedXmlException, eforms.NotEforms) as err:
        raise unreadable(path, str(err) or type(err).__name__) from None
    draft = Draft(eforms.case_fields(root), f"eForms {eforms.kind(root)}")
    if eforms.innovative_acquisition(root):
        draft.notes.append(
            "the notice states an innovative acquisition (BT-776): say how the innovation "
            "was bought in `innovationApproach` (e.g. pcp, ppi)"
        )
    return draft


def from_ocds(path: Path, data: bytes) -> Draft:
    document = load_json(data, JSON_LIMITS, str(path))
    try:
        release = ocds.latest(document)
    except ocds.NotOcds as err:
        raise unreadable(path, str(err)) from None
    tag = ", ".join(t for t in release.get("tag") or [] if isinstance(t, str)) or "untagged"
    draft = Draft(ocds.case_fields(release), f"OCDS release ({tag})")
    if len(ocds.releases(document)) > 1:
        draft.notes.append("the package has several releases; the draft is made from the newest")
    return draft


def draft_case(path: Path) -> Draft:
    """Read one notice file into a draft case, with notes on what was not carried over."""
    data = read_capped(path)
    draft = from_eforms(path, data) if data.lstrip()[:1] == b"<" else from_ocds(path, data)
    draft.case = {"@context": CONTEXT_URL, "type": "Case"} | {k: v for k, v in draft.case.items() if v}
    draft.notes += language_notes(draft.case)
    return draft


TEXT_KEYS = ("title", "summary", "name")  # the language maps an import fills


def language_notes(case: dict) -> list[str]:
    """Texts in languages a case cannot carry are kept in the draft, for the publisher to translate."""
    found: set[str] = set()
    stack: list = [case]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in TEXT_KEYS and isinstance(inner, dict):
                    found |= {lang for lang in inner if lang.split("-")[0] not in spec.TEXT_LANGUAGES}
                elif isinstance(inner, dict | list):
                    stack.append(inner)
        elif isinstance(value, list):
            stack.extend(value)
    return [
        f"texts in `{lang}` are kept as the notice wrote them: translate them to one of "
        f"{', '.join(spec.TEXT_LANGUAGES)}"
        for lang in sorted(found)
    ]


def still_to_complete(case: dict) -> list[str]:
    """The validator's violations on the draft: what the publisher must add or fix before import."""
    _, report = validate_document(orjson.dumps(case), "application/ld+json")
    return [f"{f.field or 'case'}: {f.message}" for f in report.by_severity("Violation")]
