"""Evaluate pyshacl-turbo (a Rust SHACL engine with pySHACL-compatible APIs) against pySHACL.

Not a project dependency: install it into the venv only to run this (`pip install pyshacl-turbo`).
Measures documents per second per document and batched on shapes/case-shapes.ttl, and checks
that both engines agree (conforms, and the set of focus node / path / constraint / severity
results) on a valid corpus (generated cases, examples/cases) and an invalid one
(tests/shapes/invalid and mutated generated cases).

    python -m bench.turbo --size 200
"""

from __future__ import annotations

import argparse
import copy
import logging
import random
import time
from pathlib import Path

import orjson
import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate

from bench import generate, naive
from bench.measure import Row, rate
from stafett.problems import Problem
from stafett.vocabulary.jsonld import SUFFIX_MEDIA_TYPES, json_ld_to_quads, load_json, parse_document

EXAMPLES = Path(__file__).parent.parent / "examples"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def mutations(doc: dict, rng: random.Random) -> list[tuple[str, dict]]:
    """Broken variants of one valid case, each breaking one rule a case must follow."""

    def changed(**updates):
        out = copy.deepcopy(doc)
        for key, value in updates.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = value
        return out

    return [
        ("no title", changed(title=None)),
        ("two statuses", changed(status=["pilot", "tendering"])),
        ("no status", changed(status=None)),
        ("bad date", changed(startDate="last spring")),
        ("unknown sector code", changed(sector=["rocket-science"])),
        ("short CPV code", changed(cpv=["3414"])),
        ("title without language", changed(title={"@none": "Untitled"})),
        ("no summary", changed(summary=None)),
    ][: 4 + rng.randrange(5)]


def corpus(size: int, seed: int) -> tuple[list[tuple[str, list]], list[tuple[str, list]]]:
    """(valid, invalid) lists of (label, quads)."""
    fed = generate.generate(size, seed=seed)
    rng = random.Random(seed)
    valid = [(c.id, json_ld_to_quads(orjson.loads(c.to_bytes()))) for c in fed.cases]
    invalid = []
    for case in rng.sample(fed.cases, min(40, len(fed.cases))):
        for label, doc in mutations(case.doc, rng):
            try:
                invalid.append((f"{label}: {case.id}", json_ld_to_quads(load_json(orjson.dumps(doc)))))
            except Problem:
                pass  # unparseable before SHACL: not a validator question
    for path in sorted((EXAMPLES / "cases").glob("*.jsonld")):
        valid.append((f"examples/cases/{path.name}", read_quads(path)))
    for path in sorted((EXAMPLES.parent / "tests" / "shapes" / "invalid").glob("*")):
        if path.suffix in SUFFIX_MEDIA_TYPES:
            try:
                invalid.append((f"tests/shapes/invalid/{path.name}", read_quads(path)))
            except Problem:
                pass
    return valid, [(label, q) for label, q in invalid if q]


def read_quads(path: Path) -> list:
    base = "https://example.stafett.example/case/" + path.stem
    return parse_document(path.read_bytes(), SUFFIX_MEDIA_TYPES[path.suffix], base_iri=base)


def to_graph(quads: list) -> rdflib.Graph:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    return rdflib.Graph().parse(data=text, format="nt")


def result_keys(report: rdflib.Graph) -> set[tuple]:
    keys = set()
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        keys.add(
            (
                "_:b" if isinstance(focus, rdflib.BNode) else str(focus),
                str(report.value(result, SH.resultPath)),
                str(report.value(result, SH.sourceConstraintComponent)),
                str(report.value(result, SH.resultSeverity)),
            )
        )
    return keys


def compare(graphs: list[tuple[str, rdflib.Graph]], compiled) -> tuple[int, list[str], list[bool]]:
    """How many documents both engines judge identically; labels of those they do not."""
    agree, differ, pyshacl_conforms = 0, [], []
    for label, graph in graphs:
        p_verdict = verdict(
            lambda g: pyshacl_validate(g, shacl_graph=naive.shapes_graph(), **naive.ALLOW), graph
        )
        t_verdict = verdict(lambda g: compiled.validate(g, **naive.ALLOW), graph)
        pyshacl_conforms.append(p_verdict[0] is True)
        if p_verdict == t_verdict:
            agree += 1
        else:
            differ.append(f"{label} (pySHACL {p_verdict[0]}, turbo {t_verdict[0]})")
    return agree, differ, pyshacl_conforms


def verdict(validate_one, graph) -> tuple:
    """(conforms, result keys), or (the exception's name, ()) when the engine crashes."""
    try:
        conforms, report, _ = validate_one(graph)
    except Exception as err:  # pySHACL raises TypeError comparing ill-typed dates, for one
        return (f"crash: {type(err).__name__}", frozenset())
    return (bool(conforms), frozenset(result_keys(report)))


def speed(graphs: list[rdflib.Graph], validate_one) -> float:
    start = time.perf_counter()
    for graph in graphs:
        validate_one(graph)
    return rate(len(graphs), time.perf_counter() - start)


def measure(size: int = 200, seed: int = 7) -> tuple[list[Row], dict]:
    import pyshacl_turbo  # optional: only this evaluation needs it

    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)  # ill-typed dates are meant to be there

    shapes = naive.shapes_graph()
    compiled = pyshacl_turbo.compile_shapes(shapes)
    valid, invalid = corpus(size, seed)
    valid_graphs = [(label, to_graph(q)) for label, q in valid]
    invalid_graphs = [(label, to_graph(q)) for label, q in invalid]
    v_agree, v_differ, v_pyshacl = compare(valid_graphs, compiled)
    i_agree, i_differ, i_pyshacl = compare(invalid_graphs, compiled)
    plain = [g for _, g in valid_graphs]
    batch = rdflib.Graph()
    for g in plain:
        batch += g
    section = "validator: pyshacl-turbo vs pySHACL (docs/s)"
    rows = [
        Row(
            section,
            "per document, rdflib graph ready",
            "docs/s",
            speed(plain, compiled.validate),
            speed(plain, lambda g: pyshacl_validate(g, shacl_graph=shapes)),
            note="ours column: turbo",
        ),
        Row(
            section,
            "batched, one graph, one call",
            "docs/s",
            rate(len(plain), _time(lambda: compiled.validate(batch))),
            rate(len(plain), _time(lambda: pyshacl_validate(batch, shacl_graph=shapes))),
        ),
    ]
    agreement = {
        "valid": (v_agree, len(valid_graphs), v_differ[:5], sum(v_pyshacl)),
        "invalid": (i_agree, len(invalid_graphs), i_differ[:5], len(i_pyshacl) - sum(i_pyshacl)),
    }
    return rows, agreement


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="200")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rows, agreement = measure(generate.parse_size(args.size), args.seed)
    for r in rows:
        print(f"{r.name}: turbo {r.ours:,.0f} docs/s, pySHACL {r.naive:,.0f} docs/s ({r.ratio:.1f}x)")
    for kind, (agree, total, differ, judged) in agreement.items():
        print(
            f"{kind} corpus: engines agree on {agree}/{total} documents "
            f"(pySHACL: {judged} judged {'conforming' if kind == 'valid' else 'non-conforming'})"
            + (f"; first differences: {differ}" if differ else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
