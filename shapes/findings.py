"""Turn engine results into `Finding`s a publisher can act on, and check the document as a whole.

A finding names the JSON key the publisher wrote (`field`, dotted for nested objects such as
`buyer.name`), says what is wrong and how to fix it in the requested language, and is sorted
deterministically (severity, field, rule, value, message) so reports and tests are stable.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    nodes = {str(q.subject.value) for q in quads
             if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode)
             and q.object.value == CASE_CLASS}
    return sorted(nodes)


def document_findings(quads: list[ox.Quad], lang: str, source: str | None) -> list[Finding]:
    """A document must hold exactly one case (SHACL targets cannot say "no focus node at all")."""
    cases = case_nodes(quads)
    if not cases:
        return [Finding("Violation", say("no_case", lang), field="type", rule=SHAPES_NS + "Document-no-case",
                        source=source)]
    if len(cases) > 1:
        return [Finding("Violation", say("many_cases", lang, n=len(cases)), field="type",
                        rule=SHAPES_NS + "Document-many-cases", source=source)]
    return []


def sort_key(finding: Finding):
    return (SEVERITY_ORDER.get(finding.severity, 9), finding.field or "", finding.rule or "",
            finding.value or "", finding.message, finding.focus_node or "")
