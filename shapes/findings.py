"""Turn engine results into `Finding`s a publisher can act on, and check the document as a whole.

A finding names the JSON key the publisher wrote (`field`, dotted for nested objects such as
`buyer.name`), says what is wrong and how to fix it in the requested language, and is sorted
deterministically (severity, field, rule, value, message) so reports and tests are stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import cast

import pyoxigraph as ox

from stafett.problems import Finding
from stafett.shapes._engine import EngineResult
from stafett.shapes.messages import pick, say
from stafett.shapes.orgnumbers import is_valid, register_name
from stafett.vocabulary import terms
from stafett.vocabulary.jsonld import context_document

RDF_TYPE = terms.RDF_TYPE.value
CASE_CLASS = terms.STF_CASE.value
SHAPES_NS = terms.STF_SHAPES
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
XSD = terms.XSD
XSD_DATE = XSD + "date"
START_DATE = terms.DCAT + "startDate"
END_DATE = terms.DCAT + "endDate"
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PARTIAL = {XSD + "gYear": re.compile(r"([0-9]{4})"), XSD + "gYearMonth": re.compile(r"([0-9]{4})-([0-9]{2})")}
DCT_IDENTIFIER = terms.DCT + "identifier"
DCT_SPATIAL = terms.DCT + "spatial"
COUNTRY_BASE = "http://publications.europa.eu/resource/authority/country/"
# The keys whose values are organisations (an orgNumber is checked only there).
ORGANISATION_KEYS = frozenset({"buyer", "publisher", "supplier", "funder", "organization"})


@cache
def context_keys() -> dict[str, str]:
    """Property IRI -> the JSON key that writes it (from the shared context)."""
    ctx = context_document()["@context"]
    keys = {}
    for key, term in ctx.items():
        if key.startswith("@") or not isinstance(term, dict) or "@id" not in term:
            continue
        prefix, local = term["@id"].split(":", 1)
        keys[ctx.get(prefix, prefix + ":") + local] = key
    return keys


PRESENCE_SHAPE = re.compile(r"Case-([A-Za-z]+)-presence$")


def field_name(paths: Iterable[str]) -> str | None:
    names = [context_keys().get(path, path) for path in paths]
    return ".".join(names) or None


def to_finding(result: EngineResult, lang: str, source: str | None) -> Finding:
    message = pick(result.messages, lang) or result.component
    return Finding(
        severity=result.severity,
        message=message,
        focus_node=result.focus_node,
        path=result.paths[-1] if result.paths else None,
        field=field_name(result.paths) or presence_key(result.shape),
        value=result.value,
        rule=result.shape or result.component,
        source=source,
    )


def presence_key(shape: str | None) -> str | None:
    """The key of a node-level presence rule (1.2: `Case-outcome-presence`, asked of every case
    but a planned need), whose result has no path of its own."""
    found = PRESENCE_SHAPE.search(shape or "")
    return found[1] if found else None


def case_nodes(quads: Iterable[ox.Quad]) -> list[str]:
    nodes = {
        node_id(q.subject)
        for q in quads
        if q.predicate.value == RDF_TYPE
        and isinstance(q.object, ox.NamedNode)
        and q.object.value == CASE_CLASS
    }
    return sorted(nodes)


def document_findings(quads: list[ox.Quad], lang: str, source: str | None) -> list[Finding]:
    """Whole-document rules the shapes file cannot carry (see the header of case-shapes.ttl)."""
    cases = case_nodes(quads)
    if not cases:  # SHACL targets cannot say "no focus node at all"
        return [
            Finding(
                "Violation",
                say("no_case", lang),
                field="type",
                rule=SHAPES_NS + "Document-no-case",
                source=source,
            )
        ]
    findings = []
    if len(cases) > 1:
        findings.append(
            Finding(
                "Violation",
                say("many_cases", lang, n=len(cases)),
                field="type",
                rule=SHAPES_NS + "Document-many-cases",
                source=source,
            )
        )
    return findings + date_order_findings(quads, lang, source) + org_number_findings(quads, lang, source)


def real_day(literal) -> date | None:
    """The day a well-formed xsd:date names, else None (ill-typed dates are the date rule's business)."""
    if not isinstance(literal, ox.Literal) or literal.datatype.value != XSD_DATE:
        return None
    try:
        return date.fromisoformat(literal.value) if DAY.fullmatch(literal.value) else None
    except ValueError:
        return None


def date_span(literal) -> tuple[date, date] | None:
    """(first day, last day) of a well-formed xsd:date, xsd:gYearMonth or xsd:gYear, else None.

    A partial date is the whole period it names, so "2021" may start a case that ends "2021-03":
    start and end are out of order only when the start's first day is after the end's last day."""
    day = real_day(literal)
    if day:
        return day, day
    pattern = PARTIAL.get(literal.datatype.value) if isinstance(literal, ox.Literal) else None
    match = pattern.fullmatch(literal.value) if pattern else None
    if not match:
        return None
    year, month = int(match[1]), int(match[2]) if match.lastindex == 2 else None
    if not date.min.year <= year < date.max.year:  # year 0 or 10000+: no calendar to compare in
        return None
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        return None
    last = date(year + month // 12, month % 12 + 1, 1) - date.resolution
    return date(year, month, 1), last


def date_order_findings(quads: list[ox.Quad], lang: str, source: str | None) -> list[Finding]:
    """startDate must not be after endDate (per subject; compared only when both are real days)."""
    spans: dict[str, dict[str, list[tuple[tuple[date, date], str]]]] = {}
    for quad in quads:
        if quad.predicate.value in (START_DATE, END_DATE) and (span := date_span(quad.object)):
            lexical = cast(ox.Literal, quad.object).value  # date_span is None for anything else
            spans.setdefault(node_id(quad.subject), {}).setdefault(quad.predicate.value, []).append(
                (span, lexical)
            )
    findings = []
    for subject, found in sorted(spans.items()):
        starts, ends = found.get(START_DATE, []), found.get(END_DATE, [])
        if starts and ends and min(s[0][0] for s in starts) > max(e[0][1] for e in ends):
            findings.append(
                Finding(
                    "Violation",
                    say("date_order", lang),
                    focus_node=subject,
                    path=START_DATE,
                    field="startDate",
                    value=max(starts)[1],
                    rule=SHAPES_NS + "Case-startDate-order",
                    source=source,
                )
            )
    return findings


def org_number_findings(quads: list[ox.Quad], lang: str, source: str | None) -> list[Finding]:
    """A Warning for each organisation number that fails its national register's format or check digit.

    The country is the organisation's own, else (for buyers and the publisher) the case's. A Warning,
    not a Violation: a 1.0 document with a mistyped number stays valid, and the JSON Schema (which
    cannot compute check digits) and SHACL keep giving one verdict."""
    parents = {q.object: q for q in quads if not isinstance(q.object, ox.Literal)}
    countries = {
        q.subject: q.object.value.removeprefix(COUNTRY_BASE)
        for q in quads
        if q.predicate.value == DCT_SPATIAL and isinstance(q.object, ox.NamedNode)
    }
    findings = []
    for quad in quads:
        if quad.predicate.value != DCT_IDENTIFIER or not isinstance(quad.object, ox.Literal):
            continue
        chain = key_chain(quad.subject, parents)
        if not chain or chain[-1][0] not in ORGANISATION_KEYS:
            continue
        country = countries.get(quad.subject) or (countries.get(chain[0][1]) if len(chain) == 1 else None)
        register = register_name(country or "")
        if register and not is_valid(quad.object.value, country or ""):
            key = ".".join(k for k, _ in chain) + ".orgNumber"
            findings.append(
                Finding(
                    "Warning",
                    say("org_number", lang, key=key, value=quad.object.value, register=register),
                    focus_node=node_id(chain[0][1]),
                    path=DCT_IDENTIFIER,
                    field=key,
                    value=quad.object.value,
                    rule=SHAPES_NS + "Organization-orgNumber-check",
                    source=source,
                )
            )
    return findings


def key_chain(node, parents) -> list[tuple[str, ox.NamedNode | ox.BlankNode]]:
    """[(JSON key, the subject holding it), ...] from the case down to `node` (cycles stop the walk)."""
    chain: list[tuple[str, ox.NamedNode | ox.BlankNode]] = []
    seen = set()
    while node in parents and node not in seen:
        seen.add(node)
        quad = parents[node]
        key = context_keys().get(quad.predicate.value)
        if key is None:
            return []
        chain.append((key, quad.subject))
        node = quad.subject
    return chain[::-1]


def node_id(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def sort_key(finding: Finding):
    return (
        SEVERITY_ORDER.get(finding.severity, 9),
        finding.field or "",
        finding.rule or "",
        finding.value or "",
        finding.message,
        finding.focus_node or "",
    )
