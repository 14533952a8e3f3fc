"""How examples/queries/*.expected.json write an answer's terms, in one place for every test.

An IRI is itself, a blank node `_:label`, a language-tagged literal `value@lang`, a number its
normalised decimal text (so 2, 2.0 and "2"^^xsd:decimal compare equal across stores), any other
literal its lexical form. Used on pyoxigraph terms (tests/examples) and on SPARQL JSON result terms
from a real endpoint (tests/harvester).
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from stafett.vocabulary.terms import XSD

NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "long",
        "int",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
    )
}


def literal_text(value: str, language: str | None, datatype: str | None) -> str:
    if language:
        return f"{value}@{language}"
    if datatype in NUMERIC:
        return format(Decimal(value).normalize(), "f")
    return value


def term_text(term) -> str | None:
    """A pyoxigraph term (None for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return literal_text(term.value, term.language, term.datatype.value)


def json_term_text(term: dict) -> str:
    """A term of an application/sparql-results+json answer."""
    if term["type"] == "bnode":
        return "_:" + term["value"]
    if term["type"] == "uri":
        return term["value"]
    return literal_text(term["value"], term.get("xml:lang"), term.get("datatype"))


def json_rows(bindings: list[dict]) -> list[dict]:
    return [{name: json_term_text(term) for name, term in row.items()} for row in bindings]
