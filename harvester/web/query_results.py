"""The query page's results for people: the query run through the endpoint's own service, every IRI
a link with its label in the reader's language.

`await run(service, text, store, lang, client, base_iri)` answers what /sparql would (same gate,
limits, worker pool, kept answers), as an `Outcome` the template renders: a table for SELECT, a
yes/no for ASK, the Turtle text for CONSTRUCT and DESCRIBE, or the refusal. Labels: a concept's
skos:prefLabel from the vocabulary (sectors, countries, CPV, ...), a case's dct:title and an
organisation's foaf:name from the store (read by pattern, no query text), rdfs:label for terms of
the ontology; without one the IRI is written short with the project's prefixes. A case links to
the registry's page about it, anything else to its own IRI.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import cache

import orjson
import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester.links import case_page_url
from stafett.harvester.sparql.gate import gate_on_large_stack
from stafett.harvester.sparql.service import SparqlService
from stafett.problems import Problem
from stafett.vocabulary.terms import DCT, FOAF, PREFIXES, RDFS, SKOS, STF_CASE, term
from stafett.vocabulary.terms import RDF_TYPE as TYPE

LABELS = (term(SKOS, "prefLabel"), term(DCT, "title"), term(FOAF, "name"), term(RDFS, "label"))
MAX_LABELLED = 2_000  # distinct IRIs looked up per answer; beyond that they are written short


@dataclass(frozen=True)
class Cell:
    text: str
    lang: str = ""  # the language of `text` when it has one
    href: str = ""  # set for IRIs
    iri: str = ""  # the IRI itself (a tooltip)
    kind: str = "literal"  # literal | iri | blank


@dataclass
class Outcome:
    variables: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    boolean: bool | None = None
    text: str = ""  # CONSTRUCT/DESCRIBE answers, as Turtle
    truncated: bool = False
    problem: Problem | None = None


async def run(
    service: SparqlService,
    text: str,
    store: ox.Store | None,
    lang: str,
    client: str,
    base_iri: str,
    base_url: str,
) -> Outcome:
    try:
        with service.admission.admit(client):
            gated = await asyncio.to_thread(
                gate_on_large_stack, text, max_chars=service.settings.max_query_chars
            )
            fmt = "json" if gated.form in ("select", "ask") else "turtle"
            answer = await service.answer(gated, fmt, [], [], base_iri, client=client)
    except Problem as problem:
        return Outcome(problem=problem)
    if fmt == "turtle":
        return Outcome(text=answer.body.decode("utf-8"), truncated=answer.truncated)
    data = orjson.loads(answer.body)
    if "boolean" in data:
        return Outcome(boolean=bool(data["boolean"]))
    variables = data["head"].get("vars", [])
    bindings = data["results"]["bindings"]
    iris = {b["value"] for row in bindings for b in row.values() if b["type"] == "uri"}
    labels = labels_of(sorted(iris)[:MAX_LABELLED], store, lang, base_url)
    rows = [[cell(row.get(v), labels) for v in variables] for row in bindings]
    return Outcome(variables=variables, rows=rows, truncated=answer.truncated)


def cell(binding: dict | None, labels: dict[str, Cell]) -> Cell | None:
    if binding is None:
        return None
    if binding["type"] == "uri":
        iri = binding["value"]
        return labels.get(iri) or Cell(short(iri), href=iri, iri=iri, kind="iri")
    if binding["type"] == "bnode":
        return Cell("_:" + binding["value"], kind="blank")
    return Cell(binding["value"], lang=binding.get("xml:lang", ""))


def labels_of(iris: list[str], store: ox.Store | None, lang: str, base_url: str) -> dict[str, Cell]:
    known = vocabulary_labels()
    found: dict[str, Cell] = {}
    for iri in iris:
        by_language = dict(known.get(iri, {}))
        is_case = False
        if store is not None and iri.startswith(("http://", "https://")):
            node = ox.NamedNode(iri)
            is_case = next(iter(store.quads_for_pattern(node, TYPE, STF_CASE, None)), None) is not None
            if not by_language:
                by_language = stored_labels(store, node)
        text, tag = in_language(by_language, lang)
        href = case_page_url(iri, base_url) if is_case else iri
        found[iri] = Cell(text or short(iri), lang=tag, href=href, iri=iri, kind="iri")
    return found


def stored_labels(store: ox.Store, node: ox.NamedNode) -> dict[str, str]:
    """The first labelling property the store has for the node, by language."""
    for predicate in LABELS:
        by_language: dict[str, str] = {}
        for quad in store.quads_for_pattern(node, predicate, None, None):
            if isinstance(quad.object, ox.Literal):
                by_language.setdefault(quad.object.language or "", quad.object.value)
        if by_language:
            return by_language
    return {}


@cache
def vocabulary_labels() -> dict[str, dict[str, str]]:
    """skos:prefLabel (else rdfs:label) of every concept and term the vocabulary ships, by language."""
    labels: dict[str, dict[str, str]] = {}
    for quad in vocabulary.all_vocabulary_quads():
        if quad.predicate in (LABELS[0], LABELS[3]) and isinstance(quad.object, ox.Literal):
            if isinstance(quad.subject, ox.NamedNode):
                labels.setdefault(quad.subject.value, {}).setdefault(
                    quad.object.language or "", quad.object.value
                )
    return labels


def in_language(by_language: dict[str, str], lang: str) -> tuple[str, str]:
    for candidate in (lang, "nb" if lang == "nn" else lang, "en", "", *by_language):
        if candidate in by_language:
            return by_language[candidate], candidate
    return "", ""


def short(iri: str) -> str:
    """The IRI with the project's prefixes (stf:Case), else as it is."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
