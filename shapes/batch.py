"""Many cases through one engine call, each result given back to its own case.

Why it is safe: the case shapes target only `stf:Case` (sh:targetClass) and have no SPARQL
constraints, so a result's focus node is a case node and its checks read only triples reachable
from it. Two cases may share a data graph when neither mentions a subject of the other (then no
path from one reaches the other's triples) and they share no blank node. Cases that do touch each
other (the same case twice in a feed page, a case linking to another one on the page, two
snapshots sharing a blank node label) go into different calls. tests/shapes/test_validate_many.py
checks that the findings equal per-case validation.
"""

from __future__ import annotations

import pyoxigraph as ox

from stafett.shapes._engine import EngineResult, ntriples, term_text

MAX_CASES_PER_CALL = 64  # one call for 1 or 300 cases costs the same per case (measured); bounds memory


def results_many(engine, cases: list[list[ox.Quad]]) -> list[list[EngineResult]]:
    if not hasattr(engine, "results_of_text"):  # pySHACL: one case at a time
        return [engine.results(quads) for quads in cases]
    out: list[list[EngineResult]] = [[] for _ in cases]
    for batch in plan_batches(cases):
        run_batch(engine, cases, batch, out)
    return out


def plan_batches(cases: list[list[ox.Quad]]) -> list[list[int]]:
    """First-fit: a case joins the first call none of whose cases it can see, or that can see it.

    Blank nodes count as nodes too: two snapshots parsed from one TriG page may reuse a label, and
    in one data graph they would become one node, so such cases go to different calls.
    """
    batches: list[tuple[list[int], set, set]] = []  # (case indexes, subjects, nodes)
    for index, quads in enumerate(cases):
        subjects = {q.subject for q in quads}
        nodes = subjects | {q.object for q in quads if not isinstance(q.object, ox.Literal)}
        for members, batch_subjects, batch_nodes in batches:
            if (
                len(members) < MAX_CASES_PER_CALL
                and subjects.isdisjoint(batch_nodes)
                and nodes.isdisjoint(batch_subjects)
            ):
                members.append(index)
                batch_subjects |= subjects
                batch_nodes |= nodes
                break
        else:
            batches.append(([index], set(subjects), set(nodes)))
    return [members for members, _, _ in batches]


def run_batch(engine, cases: list[list[ox.Quad]], batch: list[int], out: list[list[EngineResult]]) -> None:
    owner: dict[str, int] = {}  # focus node as reported -> case index
    for index in batch:
        for quad in cases[index]:
            owner[term_text(quad.subject)] = index
    results = engine.results_of_text(ntriples(q for index in batch for q in cases[index]))
    if any(result.focus_node not in owner for result in results):
        for index in batch:  # cannot attribute a result: validate these cases one by one
            out[index] = engine.results(cases[index])
        return
    for result in results:
        out[owner[result.focus_node]].append(result)
