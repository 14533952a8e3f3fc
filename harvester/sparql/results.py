"""Result serialisation with a row cap that is never silent.

pyoxigraph serialises a whole result iterator, so SELECT results are written here, stopping at
`max_rows` and saying so: the HTTP header `Stafett-Results-Truncated: true` (all formats) and, in
SPARQL JSON and XML, a `link` in the head pointing to `TRUNCATION_LINK` (the `link` member is the
standard place for metadata about a result; clients that do not know it ignore it). CONSTRUCT and
DESCRIBE triples are cut at the same cap and signalled by the header.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

import orjson
import pyoxigraph as ox

from stafett.problems import PROBLEM_TYPE_BASE
from stafett.vocabulary.terms import RDF, XSD

TRUNCATION_HEADER = "Stafett-Results-Truncated"
TRUNCATION_LINK = PROBLEM_TYPE_BASE + "results-truncated"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = RDF + "langString"

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def capped(items: Iterable, max_rows: int) -> tuple[list, bool]:
    """The first `max_rows` items and whether there were more."""
    taken = list(itertools.islice(iter(items), max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


def write_solutions(variables: list[str], rows: list, fmt: str, truncated: bool) -> bytes:
    """SELECT results; `rows` are pyoxigraph `QuerySolution`s (or dicts of terms)."""
    writer = {"json": _select_json, "xml": _select_xml, "csv": _select_csv, "tsv": _select_tsv}[fmt]
    return writer(variables, rows, truncated)


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return orjson.dumps({"head": {}, "boolean": bool(value)})


def write_triples(triples: list, fmt: str) -> bytes:
    return ox.serialize(triples, format=RDF_FORMATS[fmt]) or b""


def _value(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _bound(variables: list[str], rows: list) -> Iterator[list[tuple[str, object]]]:
    for row in rows:
        yield [(name, term) for name in variables if (term := _value(row, name)) is not None]


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    return {"type": "literal", "value": str(term)}


def _select_json(variables: list[str], rows: list, truncated: bool) -> bytes:
    head: dict = {"vars": variables}
    if truncated:
        head["link"] = [TRUNCATION_LINK]
    bindings = [{name: term_json(term) for name, term in row} for row in _bound(variables, rows)]
    return orjson.dumps({"head": head, "results": {"bindings": bindings}})


def _term_xml(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>"
            f"{_term_xml(term.predicate)}</predicate><object>{_term_xml(term.object)}</object></triple>"
        )
    return f"<literal>{escape(str(term))}</literal>"


def _select_xml(variables: list[str], rows: list, truncated: bool) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(name)}/>" for name in variables]
    if truncated:
        out.append(f"<link href={quoteattr(TRUNCATION_LINK)}/>")
    out.append("</head><results>")
    for row in _bound(variables, rows):
        out.append("<result>")
        out += [f"<binding name={quoteattr(name)}>{_term_xml(term)}</binding>" for name, term in row]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_value(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _select_csv(variables: list[str], rows: list, truncated: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if (t := _value(row, n)) is None else _csv_value(t) for n in variables])
    return buffer.getvalue().encode()


def _tsv_value(term) -> str:
    # N-Triples syntax (what SPARQL TSV asks for); tabs would split the cell, so escape them too.
    return str(term).replace("\t", "\\t")


def _select_tsv(variables: list[str], rows: list, truncated: bool) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    for row in rows:
        lines.append("\t".join("" if (t := _value(row, n)) is None else _tsv_value(t) for n in variables))
    return ("\n".join(lines) + "\n").encode()
