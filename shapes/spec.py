"""The one source of what a case may be: fields, kinds, severities and limits.

`shapes/build.py` turns these tables into `case-shapes.ttl` (SHACL) and `case.schema.json`
(JSON Schema), so the two cannot drift; `tests/shapes/test_agreement.py` then checks the two
generated files against each other and against the JSON-LD context without using this module.

Severity means: Violation = a case cannot be without it (or the value is malformed);
Warning = others need it to learn from the case; Info = nice to have.
"""

from __future__ import annotations

from dataclasses import dataclass

from stafett.vocabulary import terms

# The version of the rules (written into case-shapes.ttl and case.schema.json, stated in
# docs/vocabulary.md with the change log). 1.1 only relaxes 1.0 and adds keys; 1.2 only adds keys
# and codes (issue 15: planned needs and offers with terms and expiry).
SHAPES_VERSION = "1.2"

CONCEPT_BASE = terms.STF_CONCEPT
AUTHORITY_BASE = terms.EU_AUTHORITY
CPV_BASE = terms.CPV

# Language tags allowed on texts. `no` is kept for publishers who cannot tell nb from nn; `se` is
# North Sámi (the Sámi language with most speakers and the one public bodies publish in).
# Region subtags are allowed (SHACL sh:languageIn matches by prefix: `sv-FI` passes as `sv`).
TEXT_LANGUAGES = ("sv", "nb", "nn", "no", "da", "fi", "is", "en", "se")

TITLE_MAX = 300
LONG_TEXT_MAX = 10_000
KEYWORD_MAX = 100
PLAIN_TEXT_MAX = 300

# The project's own schemes (fixed codes shared by all helpers).
STAFETT_SCHEMES: dict[str, tuple[str, ...]] = {
    # 1.1 adds contract-awarded and completed (codes are only ever added, never renamed).
    "case-status": (
        "needs-analysis",
        "market-dialogue",
        "tendering",
        "development",
        "pilot",
        "implemented",
        "scaled-up",
        "adopted-by-others",
        "discontinued",
        "contract-awarded",
        "completed",
        "planned",  # issue 15: a planned need (1.2)
    ),
    "innovation-approach": (
        "pcp",
        "ppi",
        "innovation-partnership",
        "competitive-dialogue",
        "competitive-negotiation",
        "market-dialogue",
        "functional-requirements",
        "design-contest",
        "innovation-competition",
        "testbed",
    ),
    "sector": (
        "health-social-care",
        "education",
        "it-digitalisation",
        "environment-climate",
        "transport",
        "energy",
        "construction-housing",
        "public-administration",
        "water-waste",
        "culture-leisure",
        "public-safety",
        "food-meals",
        "transport-infrastructure",
        "research",
    ),
    "outcome-type": (
        "cost-savings",
        "quality-improvement",
        "time-savings",
        "environmental-benefit",
        "work-environment",
        "accessibility",
        "new-market",
        "scaled-solution",
        "knowledge-gained",
        "no-measurable-effect",
    ),
    "funding-type": (
        "own-budget",
        "national-innovation-agency",
        "eu-programme",
        "regional-fund",
        "research-council",
        "nordic-cooperation",
        "private-co-funding",
        "other",
    ),
    "adoption-route": (
        "framework-call-off",
        "join-next-procurement",
        "open-source",
        "licence-agreement",
        "reuse-documents",
        "new-procurement",
        "shared-ip",  # issue 15: a term of an open offer (1.2)
    ),
    # 1.1: what an organisation did in the case (see vocabulary/concepts/participant-role.ttl)
    "participant-role": (
        "lead-buyer",
        "participating-buyer",
        "follower",
        "awarded-supplier",
        "subcontractor",
        "coordinator",
        "research-partner",
        "legal-adviser",
        "facilitator",
        "partner",
    ),
    "document-type": (
        "notice",
        "tender-documents",
        "specification",
        "report",
        "evaluation",
        "contract",
        "presentation",
        "video",
        "web-page",
    ),
}
# Issue 13: Stafett schemes too large to list here; build.py reads their codes from the shipped
# vocabulary/concepts/<scheme>.ttl (about 150 topics, kept in one place).
CONCEPT_TABLES = ("topic",)
# EU authority tables used as-is (codes read from the shipped vocabulary/reference tables by build.py).
AUTHORITY_SCHEMES = (
    "procurement-procedure-type",
    "country",
    "language",
    "currency",
    "eu-programme",
    "buyer-legal-type",
)


# ---- places and notices (issue 12, items 4 and 5) ----
# Place codes are read from the shipped vocabulary/reference/places-*.ttl and nuts*.ttl by build.py
# (each scheme's concepts are `<base><code>`).
PLACE_SCHEMES = {
    "municipality": terms.STF_PLACE + "municipality/",
    "region": terms.STF_PLACE + "region/",
    "nuts": terms.NUTS,
}
# Municipality codes of the countries whose list is not shipped (no openly licensed source with codes
# and names was found): accepted by the documented format of the official code, without a name.
MUNICIPALITY_FORMATS = {"DK": "[0-9]{3}", "FI": "[0-9]{3}", "IS": "[0-9]{4}"}
# eForms BT-776 on `procedure` (issue 12): the EU table is shipped in vocabulary/reference already.
MORE_AUTHORITY_SCHEMES = ("innovative-acquisition",)
PLACE_HINTS = {
    "region": "SE-01, NO-03, DK-1084, FI-18, IS-1 … (Nordic regions)",
    "nuts": "SE110, NO081, DK011, FI1B1, IS001 … (NUTS 2021 and 2024, Nordic countries)",
}


def scheme_base(scheme: str) -> str:
    if scheme in PLACE_SCHEMES:
        return PLACE_SCHEMES[scheme]
    if scheme in STAFETT_SCHEMES or scheme in CONCEPT_TABLES:
        return f"{CONCEPT_BASE}{scheme}/"
    return f"{AUTHORITY_BASE}{scheme}/"


@dataclass(frozen=True)
class Field:
    """One JSON key of an object, and what its values may be.

    kind: lang (language map of texts), keywords (language map of word lists), code (a concept from
    `scheme`), cpv, date (xsd:date; since 1.1 also xsd:gYearMonth or xsd:gYear), datetime,
    amount, boolean, email, phone, url, text (plain string),
    node (a nested object described by `node`).
    presence: severity when the key is missing (None = silently optional); minimum count 1.
    """

    key: str
    kind: str
    presence: str | None = None
    max_count: int | None = None
    max_length: int | None = None
    scheme: str | None = None
    node: str | None = None


def lang(key, presence=None, max_length=LONG_TEXT_MAX):
    return Field(key, "lang", presence, max_length=max_length)


CASE = (
    lang("title", "Violation", TITLE_MAX),
    lang("summary", "Warning"),  # one of summary/need is required (ONE_OF below)
    lang("need", "Warning"),
    lang("outcome", "Warning"),
    lang("lessonsLearned", "Warning"),
    lang("risks"),
    lang("riskSharing"),
    lang("adoptionNote"),
    Field("keyword", "keywords", "Info", max_count=50, max_length=KEYWORD_MAX),
    # 1.1: optional; a stage is recommended as status or milestones (ONE_OF), the current one derived.
    Field("status", "code", None, max_count=1, scheme="case-status"),
    Field("innovationApproach", "code", "Warning", max_count=10, scheme="innovation-approach"),
    Field("sector", "code", "Warning", max_count=14, scheme="sector"),
    Field("topic", "code", None, max_count=30, scheme="topic"),  # issue 13: optional, suggested if absent
    Field("effect", "code", "Info", max_count=10, scheme="outcome-type"),
    Field("adoptionRoute", "code", None, max_count=6, scheme="adoption-route"),
    Field("country", "code", "Violation", max_count=1, scheme="country"),
    # 1.1: optional; derived from the language tags of the texts when absent (vocabulary.languages).
    Field("language", "code", None, max_count=10, scheme="language"),
    Field("cpv", "cpv", "Info", max_count=20),
    Field("buyer", "node", "Violation", max_count=50, node="Organization"),
    Field("publisher", "node", None, max_count=1, node="Organization"),
    # 1.1: every organisation with its role (prov:qualifiedAttribution), and the projects or
    # programmes the case is part of (dct:isPartOf an epo:Project with its own funding).
    Field("participant", "node", None, max_count=100, node="Participant"),
    Field("partOf", "node", None, max_count=5, node="Project"),
    Field("procedure", "node", None, max_count=1, node="Procedure"),
    Field("solution", "node", None, max_count=10, node="Solution"),
    Field("cost", "node", "Info", max_count=1, node="MonetaryValue"),
    Field("funding", "node", "Info", max_count=20, node="Funding"),
    # 1.1: stages with the date each was reached (adms:status + dct:date on a plain object).
    Field("milestone", "node", None, max_count=20, node="Milestone"),
    Field("startDate", "date", None, max_count=1),
    Field("endDate", "date", None, max_count=1),
    Field("openForAdoption", "boolean", None, max_count=1),
    Field("openForPartners", "boolean", None, max_count=1),
    # 1.2 (issue 15): how long an offer stands (read at read time: an offer past its day is not open),
    # and what a planned need (status `planned`) can say; all optional, partial dates allowed.
    Field("openForAdoptionUntil", "date", None, max_count=1),
    Field("openForPartnersUntil", "date", None, max_count=1),
    Field("expectedTenderDate", "date", None, max_count=1),
    Field("expectedStartDate", "date", None, max_count=1),
    Field("estimatedValue", "node", None, max_count=1, node="MonetaryValue"),
    Field("scaledUpFrom", "url", None, max_count=50),
    Field("adoptedFrom", "url", None, max_count=50),
    Field("adoptedBy", "url", None, max_count=50),
    Field("relatedCase", "url", None, max_count=50),
    Field("document", "node", "Info", max_count=20, node="Document"),
    Field("contact", "node", "Warning", max_count=10, node="Contact"),
    Field("issued", "datetime", None, max_count=1),
    Field("modified", "datetime", None, max_count=1),
    Field("version", "text", None, max_count=1, max_length=50),
    # issue 12: places and official notices
    Field("municipality", "municipality", None, max_count=50, scheme="municipality"),
    Field("region", "code", None, max_count=30, scheme="region"),
    Field("nuts", "code", None, max_count=30, scheme="nuts"),
    Field("noticeIdentifier", "node", None, max_count=20, node="Identifier"),
)

# 1.2 (issue 15): what only a case that has run can tell. A planned need (status `planned`) is not
# asked for these; every other case still is, with the field's own severity.
NOT_ASKED_OF_PLANNED = ("outcome", "lessonsLearned", "effect")
PLANNED_STATUS = "planned"

# Nested objects are checked through `sh:node`, and SHACL counts a value node with *any* result as
# not conforming, so nested shapes hold only Violation-level rules (a nested warning would turn into
# a case-level violation).
NODES: dict[str, tuple[Field, ...]] = {
    "Organization": (
        lang("name", "Violation", TITLE_MAX),
        Field("orgNumber", "text", None, max_count=1, max_length=50),
        Field("country", "code", None, max_count=1, scheme="country"),
        Field("legalType", "code", None, max_count=1, scheme="buyer-legal-type"),
    ),
    "Procedure": (
        Field("procedureType", "code", None, max_count=1, scheme="procurement-procedure-type"),
        Field("jointProcurement", "boolean", None, max_count=1),
        Field("innovativeAcquisition", "code", None, max_count=4, scheme="innovative-acquisition"),
    ),
    "MonetaryValue": (
        Field("amount", "amount", "Violation", max_count=1),
        Field("currency", "code", None, max_count=1, scheme="currency"),  # 1.1: optional
    ),
    "Funding": (
        Field("fundingType", "code", None, max_count=1, scheme="funding-type"),  # 1.1: optional
        Field("funder", "node", None, max_count=1, node="Organization"),
        Field("amount", "amount", None, max_count=1),
        Field("currency", "code", None, max_count=1, scheme="currency"),
        Field("programme", "code", None, max_count=1, scheme="eu-programme"),
    ),
    "Solution": (
        lang("name", None, TITLE_MAX),  # 1.1: optional (ONE_OF)
        lang("summary"),
        Field("url", "url", None, max_count=1),
        Field("supplier", "node", None, max_count=50, node="Organization"),
    ),
    "Participant": (
        Field("organization", "node", "Violation", max_count=1, node="Organization"),
        Field("role", "code", "Violation", max_count=3, scheme="participant-role"),
        Field("date", "date", None, max_count=1),  # when it joined (a follower's, say)
    ),
    "Project": (
        lang("name", "Violation", TITLE_MAX),
        lang("summary"),
        Field("url", "url", None, max_count=1),
        Field("funding", "node", None, max_count=20, node="Funding"),
    ),
    "Milestone": (
        Field("status", "code", "Violation", max_count=1, scheme="case-status"),
        Field("date", "date", None, max_count=1),
    ),
    "Document": (
        Field("url", "url", "Violation", max_count=1),
        lang("title", None, TITLE_MAX),
        Field("documentType", "code", None, max_count=1, scheme="document-type"),
    ),
    "Contact": (
        Field("fullName", "text", None, max_count=1, max_length=PLAIN_TEXT_MAX),
        Field("email", "email", None, max_count=1),
        Field("phone", "phone", None, max_count=1),
    ),
    # An official notice identifier; its format per scheme is one node-level rule (build.py).
    "Identifier": (
        Field("identifierScheme", "text", "Violation", max_count=1, max_length=50),
        Field("notation", "text", "Violation", max_count=1, max_length=200),
        Field("url", "url", None, max_count=1),
    ),
}


@dataclass(frozen=True)
class OneOf:
    """At least one of `keys` must be given (SHACL sh:or; JSON Schema anyOf of `required` when the
    severity is Violation, SHACL-only otherwise). `message` names a template of shapes/messages.py."""

    keys: tuple[str, ...]
    severity: str
    message: str


# Per object (`Case` or a NODES name). Nested objects hold Violation-level rules only (see NODES).
ONE_OF: dict[str, tuple[OneOf, ...]] = {
    "Case": (
        OneOf(("summary", "need"), "Violation", "one_of"),
        OneOf(("status", "milestone"), "Warning", "stage_tip"),
    ),
    "Contact": (OneOf(("email", "phone"), "Violation", "reachable"),),
    "Funding": (OneOf(("fundingType", "funder", "amount", "programme"), "Violation", "one_of"),),
    "Solution": (OneOf(("name", "summary", "url", "supplier"), "Violation", "one_of"),),
}

# Patterns shared by SHACL (sh:pattern, XPath regex flavour) and JSON Schema (ECMA flavour); kept
# to the common subset of both.
PATTERNS = {
    # `"` unescaped: `\"` is an invalid escape in Unicode-mode (JavaScript `u`/`v`) regular expressions
    "url": r'^https?://[^\s<>"{}|\\^`]+$',
    "email": r"^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$",
    "phone": r"^tel:\+?[0-9][0-9 ()-]{2,30}$",
    "cpv": "^" + CPV_BASE.replace(".", r"\.") + r"[0-9]{8}$",
    # 1.1: a year, a year and month, or a day (xsd:gYear, xsd:gYearMonth, xsd:date)
    "date": r"^[0-9]{4}(-(0[1-9]|1[0-2])(-[0-9]{2})?)?$",
    "amount": r"^-?[0-9]+(\.[0-9]+)?$",  # the sign is left to sh:minInclusive for a clearer message
    "nonblank": r"\S",
}
