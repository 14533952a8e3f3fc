"""Placeholder SHACL engine (to be replaced by the shapes work): pySHACL over case-shapes.ttl."""

from __future__ import annotations

from functools import cache
from importlib import resources

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate

from stafett.problems import Finding

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@cache
def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=resources.files("stafett.shapes").joinpath("case-shapes.ttl").read_text("utf-8"),
            format="turtle")
    return g


def run_shacl(quads: list[ox.Quad], *, lang: str, source: str | None) -> list[Finding]:
    data = rdflib.Graph()
    data.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                                 format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes_graph(), advanced=True)
    findings = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        sev = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        msgs = list(report.objects(result, SH.resultMessage))
        msg = next((str(m) for m in msgs if getattr(m, "language", None) == lang), None)
        msg = msg or next((str(m) for m in msgs if getattr(m, "language", None) == "en"), "")
        path = report.value(result, SH.resultPath)
        findings.append(Finding(sev, msg, str(report.value(result, SH.focusNode)),
                                str(path) if path else None, source=source))
    return findings
