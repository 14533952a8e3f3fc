"""Read an OCDS 1.1 release or release package (planning, tender, award) into draft case fields.

Each mapped field is listed with its OCDS path in docs/node.md ("Start a case from a notice").
"""

from __future__ import annotations

import re

from stafett.vocabulary.languages import TAG_TO_CODE

CPV_DIGITS = re.compile(r"^([0-9]{8})(?:[.-].*)?$")  # "45233130.0", "45233162-2" -> 8 digits
# OCDS procurementMethod -> EU procurement-procedure-type, only where the meaning is the same.
PROCEDURES = {"open": "open", "selective": "restricted"}
# OCDS `language` is ISO 639-1; the case key `language` takes the EU language table's codes.
EU_LANGUAGES = TAG_TO_CODE


class NotOcds(ValueError):
    """The JSON is neither an OCDS release nor a release package."""


def releases(document) -> list[dict]:
    if isinstance(document, dict) and isinstance(document.get("releases"), list):
        found = [r for r in document["releases"] if isinstance(r, dict)]
    elif isinstance(document, dict) and "ocid" in document:
        found = [document]
    else:
        raise NotOcds("not an OCDS release (no `ocid`) nor a release package (no `releases` list)")
    if not found:
        raise NotOcds("the release package has no releases")
    return found


def latest(document) -> dict:
    """The newest release (by `date`) of the package: it says the most about the process."""
    return max(releases(document), key=lambda r: str(r.get("date", "")))


def text_map(value, language: str) -> dict[str, str]:
    return {language: value.strip()} if isinstance(value, str) and value.strip() else {}


def party(parties: dict[str, dict], ref, language: str) -> dict | None:
    """A case Organization from an OrganizationReference (name) and its `parties` entry (identifier)."""
    if not isinstance(ref, dict):
        return None
    full = parties.get(str(ref.get("id")), {})
    name = ref.get("name") or full.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    org: dict = {"name": {language: name.strip()}}
    identifier = full.get("identifier") if isinstance(full.get("identifier"), dict) else {}
    if identifier.get("id"):
        org["orgNumber"] = str(identifier["id"])
    return org


def cpv_codes(items) -> list[str]:
    seen: dict[str, None] = {}
    for entry in items if isinstance(items, list) else []:
        if not isinstance(entry, dict):
            continue
        classes = [entry.get("classification"), *(entry.get("additionalClassifications") or [])]
        for c in classes:
            if isinstance(c, dict) and str(c.get("scheme", "")).upper() == "CPV":
                match = CPV_DIGITS.match(str(c.get("id", "")))
                if match:
                    seen.setdefault(match.group(1), None)
    return list(seen)


def value_of(value) -> dict | None:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    out: dict = {"amount": value["amount"]}
    if value.get("currency"):
        out["currency"] = value["currency"]
    return out


def day(value) -> str | None:
    return value[:10] if isinstance(value, str) and re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else None


def case_fields(release: dict) -> dict:
    language = release.get("language") if isinstance(release.get("language"), str) else "und"
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    awards = [a for a in release.get("awards") or [] if isinstance(a, dict)]
    parties = {str(p.get("id")): p for p in release.get("parties") or [] if isinstance(p, dict)}
    case: dict = {"title": text_map(tender.get("title"), language)}
    summary = text_map(tender.get("description"), language)
    if language in EU_LANGUAGES:
        case["language"] = [EU_LANGUAGES[language]]
    if summary:
        case["summary"] = summary
    buyer = party(parties, release.get("buyer"), language)
    if buyer:
        case["buyer"] = [buyer]
    cpv = cpv_codes(tender.get("items")) + [c for a in awards for c in cpv_codes(a.get("items"))]
    if cpv:
        case["cpv"] = list(dict.fromkeys(cpv))
    awarded = [v for v in (value_of(a.get("value")) for a in awards) if v]
    cost = awarded[0] if awarded else value_of(tender.get("value"))
    if cost:
        case["cost"] = cost
    method = PROCEDURES.get(str(tender.get("procurementMethod")))
    if method:
        case["procedure"] = {"procedureType": method}
    period = next(
        (a.get("contractPeriod") for a in awards if isinstance(a.get("contractPeriod"), dict)),
        tender.get("contractPeriod"),
    )
    if isinstance(period, dict):
        for key, field in (("startDate", "startDate"), ("endDate", "endDate")):
            if day(period.get(field)):
                case[key] = day(period.get(field))
    if isinstance(release.get("ocid"), str):
        case["noticeIdentifier"] = [{"identifierScheme": "ocds", "notation": release["ocid"]}]
    refs = [ref for a in awards for ref in a.get("suppliers") or []]
    suppliers = [s for s in (party(parties, ref, language) for ref in refs) if s]
    if suppliers:
        case["solution"] = [{"supplier": suppliers}]
    return case
