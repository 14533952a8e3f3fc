"""A stored case graph back into the case document form publishers write (compacted JSON-LD).

Nested objects are embedded with their node-minted `id`, values use the context's short forms
(codes for concepts, language maps, native booleans and integers). Anything the context has no
term for is kept in expanded form under its full IRI, so nothing is lost: parsing the document
again gives the same graph (a test checks that).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from stafett.vocabulary.context_terms import Term, context_terms, terms_by_iri
from stafett.vocabulary.jsonld import CONTEXT_URL
from stafett.vocabulary.terms import RDF_TYPE, XSD

FIELD_ORDER = ("id", "type", "title", "summary", "need", "status")
INTEGER = re.compile(r"^[+-]?\d+$")
DIGITS = re.compile(r"(\d+)")
# 1.1: a date key (coerced to xsd:date) also holds a year or a year-month. Those are written under
# the short key as explicit value objects, which every JSON-LD processor reads the same way.
PARTIAL_DATES = {XSD + "gYear": "xsd:gYear", XSD + "gYearMonth": "xsd:gYearMonth"}


def compact_case(triples: list[ox.Triple], case_iri: str) -> dict:
    by_subject: dict = defaultdict(list)
    for t in triples:
        by_subject[t.subject].append(t)
    document = {"@context": CONTEXT_URL}
    document.update(node_object(ox.NamedNode(case_iri), by_subject, {ox.NamedNode(case_iri)}))
    return document


def node_object(node, by_subject, trail: set) -> dict:
    obj: dict = {"id": node.value}
    grouped: dict = defaultdict(list)
    for t in by_subject.get(node, ()):
        grouped[t.predicate].append(t.object)
    types = sorted(compact_class(o) for o in grouped.pop(RDF_TYPE, []))
    if types:
        obj["type"] = types[0] if len(types) == 1 else types
    for predicate, objects in grouped.items():
        term = terms_by_iri().get(predicate.value)
        fitting, rest = split_fitting(term, objects, by_subject)
        if fitting and term is not None:  # split_fitting finds nothing fitting without a term
            obj[term.name] = compact_values(term, fitting, by_subject, trail)
        if rest:
            obj[predicate.value] = [expanded_value(o, by_subject, trail) for o in sort_terms(rest)]
    return dict(sorted(obj.items(), key=lambda kv: field_rank(kv[0])))


def field_rank(key: str) -> tuple:
    return (FIELD_ORDER.index(key), "") if key in FIELD_ORDER else (len(FIELD_ORDER), key)


def compact_class(iri) -> str:
    return context_terms()[1].get(iri.value, iri.value)


def sort_terms(objects):
    if len(objects) < 2:  # most properties hold one value: nothing to order (a fifth of a write's render)
        return list(objects)
    return sorted(objects, key=lambda o: natural_key(str(o)))


def natural_key(text: str):
    return [int(p) if p.isdigit() else p for p in DIGITS.split(text)]


def split_fitting(term: Term | None, objects, by_subject):
    """Values the term's definition can express, and the rest (kept in expanded form)."""
    if term is None:
        return [], objects
    fitting = [o for o in objects if fits(term, o, by_subject)]
    rest = [o for o in objects if not fits(term, o, by_subject)]
    return fitting, rest


def fits(term: Term, value, by_subject) -> bool:
    if term.language_map:
        return isinstance(value, ox.Literal) and bool(value.language)
    if term.vocab is not None or term.coerce_id:
        return isinstance(value, ox.NamedNode) and value not in by_subject
    if (
        term.datatype == XSD + "date"
        and isinstance(value, ox.Literal)
        and value.datatype.value in PARTIAL_DATES
    ):
        return True
    if term.datatype:
        return (
            isinstance(value, ox.Literal)
            and value.datatype.value == term.datatype
            and (term.datatype != XSD + "boolean" or value.value in ("true", "false"))
        )
    if isinstance(value, ox.Literal):
        return not value.language and value.datatype.value in (
            XSD + "string",
            XSD + "integer",
            XSD + "boolean",
        )
    return True


def compact_values(term: Term, values, by_subject, trail):
    if term.language_map:
        by_lang: dict = defaultdict(list)
        for v in sort_terms(values):
            by_lang[v.language].append(v.value)
        if term.is_set:
            return {lang: texts for lang, texts in sorted(by_lang.items())}
        if any(len(texts) > 1 for texts in by_lang.values()):
            return {lang: texts if len(texts) > 1 else texts[0] for lang, texts in sorted(by_lang.items())}
        return {lang: texts[0] for lang, texts in sorted(by_lang.items())}
    compacted = [compact_value(term, v, by_subject, trail) for v in sort_terms(values)]
    return compacted if term.is_set or len(compacted) > 1 else compacted[0]


def compact_value(term: Term, value, by_subject, trail):
    if term.vocab is not None:
        return (
            value.value.removeprefix(term.vocab)
            if value.value.startswith(term.vocab) and value.value != term.vocab
            else value.value
        )
    if term.coerce_id:
        return value.value
    if isinstance(value, ox.Literal):
        return literal_value(value)
    if value in by_subject and value not in trail:
        return node_object(value, by_subject, trail | {value})
    return {"id": value.value}


def literal_value(value: ox.Literal):
    datatype = value.datatype.value
    if datatype == XSD + "boolean":
        return value.value == "true"
    if datatype in (XSD + "integer", XSD + "decimal") and INTEGER.match(value.value):
        return int(value.value)
    if datatype in PARTIAL_DATES:
        return {"@value": value.value, "@type": PARTIAL_DATES[datatype]}
    return value.value


def expanded_value(value, by_subject, trail):
    if isinstance(value, ox.Literal):
        if value.language:
            return {"@value": value.value, "@language": value.language}
        return {"@value": value.value, "@type": value.datatype.value}
    if value in by_subject and value not in trail:
        return node_object(value, by_subject, trail | {value})
    return {"id": value.value}
