"""Building blocks measured on their own, for the record: parsers and validators, docs per second."""

from __future__ import annotations

import time

import orjson
import rdflib
from pyshacl import validate as pyshacl_validate

from bench import naive
from bench.measure import Row, rate
from stafett.shapes import validate_quads
from stafett.vocabulary.jsonld import json_ld_to_quads, load_json


def per_second(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return rate(len(items), time.perf_counter() - start)


def pyshacl_batched(nquads_list: list[str]) -> float:
    """One rdflib graph holding every document, validated in a single pySHACL call."""
    data = rdflib.Graph()
    for nq in nquads_list:
        data.parse(data=nq, format="nt")
    start = time.perf_counter()
    pyshacl_validate(data, shacl_graph=naive.shapes_graph())
    return rate(len(nquads_list), time.perf_counter() - start)


def measure(raws: list[bytes]) -> list[Row]:
    """`raws` is a sample of published case documents (JSON-LD bytes)."""
    docs = [orjson.loads(r) for r in raws]
    quads = [json_ld_to_quads(load_json(r)) for r in raws]
    nquads = [naive.pyld_to_nquads(d) for d in docs]
    graphs = [rdflib.Graph().parse(data=nq, format="nt") for nq in nquads]
    naive.shapes_graph()
    validate_quads(quads[0])  # warm the project's validator (shapes load once)
    section = "components (docs/s)"
    return [
        Row(section, "orjson parse", "docs/s", per_second(orjson.loads, raws)),
        Row(
            section,
            "pyoxigraph JSON-LD (json_ld_to_quads, inlined context)",
            "docs/s",
            per_second(lambda r: json_ld_to_quads(load_json(r)), raws),
            per_second(naive.pyld_to_nquads, docs),
            note="naive column: pyld to_rdf, frozen loader",
        ),
        Row(
            section,
            "pySHACL per document (graph ready)",
            "docs/s",
            per_second(lambda g: pyshacl_validate(g, shacl_graph=naive.shapes_graph()), graphs),
        ),
        Row(section, "pySHACL batched (one graph, one call)", "docs/s", pyshacl_batched(nquads)),
        Row(
            section,
            "stafett.shapes.validate_quads per document",
            "docs/s",
            per_second(validate_quads, quads),
            per_second(naive.pyshacl_conforms, nquads),
            note="naive column: rdflib parse + pySHACL per doc",
        ),
    ]
