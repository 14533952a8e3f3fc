"""Many cases through one engine call, each result given back to its own case.

Why it is safe: the case shapes target only `stf:Case` (sh:targetClass) and have no SPARQL
constraints, so a result's focus node is a case node and its checks read only triples reachable
from it. Two cases may share a data graph when neither mentions a subject of the other (then no
path from one reaches the other's triples); blank nodes are renamed per case so they cannot
merge. Cases that do touch each other (the same case twice in a feed page, a case linking to
another one on the page) go into different calls. tests/shapes/test_validate_many.py checks that
the findings equal per-case validation.
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
from stafett.shapes._engine import EngineResult

MAX_CASES_PER_CALL = 256  # bounds the size of one data graph; past ~100 cases the gain is flat


def results_many(engine, cases: list[list[ox.Quad]]) -> list[list[EngineResult]]:
    if not hasattr(engine, "results_of_text"):  # pySHACL: one case at a time
        return [engine.results(quads) for quads in cases]
    out: list[list[EngineResult]] = [[] for _ in cases]
    for batch in plan_batches(cases):
        run_batch(engine, cases, batch, out)
    return out


def plan_batches(cases: list[list[ox.Quad]]) -> list[list[int]]:
    """First-fit: a case joins the first call none of whose cases it can see, or that can see it."""
    batches: list[tuple[list[int], set, set]] = []  # (case indexes, subjects, named nodes)
    for index, quads in enumerate(cases):
        subjects = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
        named = subjects | {q.object for q in quads if isinstance(q.object, ox.NamedNode)}
        for members, batch_subjects, batch_named in batches:
            if (len(members) < MAX_CASES_PER_CALL and subjects.isdisjoint(batch_named)
                    and named.isdisjoint(batch_subjects)):
                members.append(index)
                batch_subjects |= subjects
                batch_named |= named
                break
        else:
            batches.append(([index], set(subjects), set(named)))
    return [members for members, _, _ in batches]


def run_batch(engine, cases: list[list[ox.Quad]], batch: list[int], out: list[list[EngineResult]]) -> None:
    owner: dict[str, tuple[int, str]] = {}  # focus node as reported -> (case index, focus as written)
    triples = []
    for index in batch:
        renamed: dict[ox.BlankNode, ox.BlankNode] = {}

        def local(term, index=index, renamed=renamed):
            if isinstance(term, ox.BlankNode):
                if term not in renamed:
                    renamed[term] = ox.BlankNode(f"c{index}x{term.value}")
                    owner[f"_:{renamed[term].value}"] = (index, f"_:{term.value}")
                return renamed[term]
            return term

        for quad in cases[index]:
            triples.append(ox.Triple(local(quad.subject), quad.predicate, local(quad.object)))
            if isinstance(quad.subject, ox.NamedNode):
                owner[quad.subject.value] = (index, quad.subject.value)
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode() if triples else ""
    results = engine.results_of_text(text)
    if any(result.focus_node not in owner for result in results):
        for index in batch:  # cannot attribute a result: validate these cases one by one
            out[index] = engine.results(cases[index])
        return
    for result in results:
        index, focus = owner[result.focus_node]
        out[index].append(result if focus == result.focus_node else replace(result, focus_node=focus))
