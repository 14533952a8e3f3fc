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

import pyoxigraph as ox
from stafett.shapes._engine import EngineResult
from stafett.shapes.messages import pick, say
from stafett.vocabulary.jsonld import context_document

from stafett.problems import Finding

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CASE_CLASS = "https://w3id.org/stafett/ns#Case"
SHAPES_NS = "https://w3id.org/stafett/shapes#"
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
START_DATE = "http://www.w3.org/ns/dcat#startDate"
END_DATE = "http://www.w3.org/ns/dcat#endDate"
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


def field_name(paths: Iterable[str]) -> str | None:
    names = [context_keys().get(path, path) for path in paths]
    return ".".join(names) or None


def to_finding(result: EngineResult, lang: str, source: str | None) -> Finding:
    message = pick(result.messages, lang) or result.component
    return Finding(
        severity=result.severity, message=message, focus_node=result.focus_node,
        path=result.paths[-1] if result.paths else None, field=field_name(result.paths),
        value=result.value, rule=result.shape or result.component, source=source)


def case_nodes(quads: Iterable[ox.Quad]) -> list[str]:
    nodes = {node_id(q.subject) for q in quads
             if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode)
             and q.object.value == CASE_CLASS}
    return sorted(nodes)


def document_findings(quads: list[ox.Quad], lang: str, source: str | None) -> list[Finding]:
    """Whole-document rules the shapes file cannot carry (see the header of case-shapes.ttl)."""
    cases = case_nodes(quads)
    if not cases:  # SHACL targets cannot say "no focus node at all"
        return [Finding("Violation", say("no_case", lang), field="type", rule=SHAPES_NS + "Document-no-case",
                        source=source)]
    findings = []
    if len(cases) > 1:
        findings.append(Finding("Violation", say("many_cases", lang, n=len(cases)), field="type",
                                rule=SHAPES_NS + "Document-many-cases", source=source))
    return findings + date_order_findings(quads, lang, source)


def real_day(literal) -> date | None:
    """The day a well-formed xsd:date names, else None (ill-typed dates are the date rule's business)."""
    if not isinstance(literal, ox.Literal) or literal.datatype.value != XSD_DATE:
        return None
    try:
        return date.fromisoformat(literal.value) if DAY.fullmatch(literal.value) else None
    except ValueError:
        return None


def date_order_findings(quads: list[ox.Quad], lang: str, source: str | None) -> list[Finding]:
    """startDate must not be after endDate (per subject; compared only when both are real days)."""
    days: dict[str, dict[str, list[date]]] = {}
    for quad in quads:
        if quad.predicate.value in (START_DATE, END_DATE) and (day := real_day(quad.object)):
            days.setdefault(node_id(quad.subject), {}).setdefault(quad.predicate.value, []).append(day)
    findings = []
    for subject, found in sorted(days.items()):
        starts, ends = found.get(START_DATE, []), found.get(END_DATE, [])
        if starts and ends and min(starts) > max(ends):
            findings.append(Finding("Violation", say("date_order", lang), focus_node=subject, path=START_DATE,
                                    field="startDate", value=max(starts).isoformat(),
                                    rule=SHAPES_NS + "Case-startDate-order", source=source))
    return findings


def node_id(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def sort_key(finding: Finding):
    return (SEVERITY_ORDER.get(finding.severity, 9), finding.field or "", finding.rule or "",
            finding.value or "", finding.message, finding.focus_node or "")
