"""RDF Dataset Canonicalization (W3C RDFC-1.0) with bounds, over pyoxigraph's implementation.

The canonical form is the dataset's N-Quads in RDFC-1.0's canonical escaping, blank nodes
relabelled `_:c14n0…`, one quad a line, lines sorted by code point (UTF-8 byte order). pyoxigraph
passes the W3C RDFC-1.0 evaluation tests (tests/integrity/test_rdfc10_suite.py).

RDFC-1.0 is exponential in the worst case (a clique of ten blank nodes never finishes), so
untrusted input is bounded twice:
- a cap on distinct blank nodes, checked before any canonicalisation (`MAX_BLANK_NODES`);
- a time budget: a graph with blank nodes is canonicalised in a worker process that is killed
  when the budget runs out (`BoundedCanonicaliser`). A graph without blank nodes needs no
  worker: its canonical form is its sorted, de-duplicated N-Quads (RDFC-1.0 renames nothing).
"""

from __future__ import annotations

import threading
from concurrent.futures.process import BrokenProcessPool
from typing import cast

import pyoxigraph as ox

from stafett.problems import Finding, Problem
from stafett.worker_process import WorkerProcess

MAX_BLANK_NODES = 64  # a case has none (the node skolemises); a proof graph has at most one
DEADLINE_SECONDS = 0.5  # the time budget of one canonicalisation with blank nodes
START_SECONDS = 30.0  # how long a fresh worker may take to start (not counted in the budget)
RDFC_1_0 = ox.CanonicalizationAlgorithm.RDFC_1_0


def refused(detail: str, *, source: str | None = None) -> Problem:
    finding = Finding("Violation", detail, rule="canonicalisation-bounds", source=source)
    return Problem(
        422, "canonicalisation-refused", "The graph is too costly to canonicalise", detail, [finding]
    )


def blank_nodes(quads) -> set[str]:
    seen: set[str] = set()
    for q in quads:
        for node in (q.subject, q.object, getattr(q, "graph_name", None)):  # triples or quads
            if isinstance(node, ox.BlankNode):
                seen.add(node.value)
    return seen


def check_blank_nodes(quads, limit: int, source: str | None = None) -> int:
    count = len(blank_nodes(quads))
    if count > limit:
        raise refused(
            f"the graph has {count} blank nodes; at most {limit} are canonicalised "
            "(name the resources with IRIs)",
            source=source,
        )
    return count


def sorted_nquads(quads) -> bytes:
    """Serialised quads, de-duplicated and sorted by code point: the canonical form once the
    blank nodes (if any) carry their canonical labels. Lines split on LF only (N-Quads escapes it)."""
    quads = list(quads)  # a pyoxigraph Dataset is falsy even when it holds quads
    text = cast(bytes, ox.serialize(quads, format=ox.RdfFormat.N_QUADS)) if quads else b""
    lines = sorted(set(line for line in text.split(b"\n") if line))
    return b"".join(line + b"\n" for line in lines)


def canonical_nquads(quads, *, max_blank_nodes: int = MAX_BLANK_NODES) -> bytes:
    """RDFC-1.0 in this process, for trusted input (the node's own graphs, test vectors)."""
    quads = list(quads)
    if not check_blank_nodes(quads, max_blank_nodes):
        return sorted_nquads(quads)
    dataset = ox.Dataset(
        q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in quads
    )
    dataset.canonicalize(RDFC_1_0)
    return sorted_nquads(dataset)


def _canonicalise_in_worker(nquads: bytes, max_blank_nodes: int) -> bytes:
    return canonical_nquads(ox.parse(nquads, ox.RdfFormat.N_QUADS), max_blank_nodes=max_blank_nodes)


def _ready() -> bool:
    return True


class BoundedCanonicaliser:
    """RDFC-1.0 for untrusted graphs: blank-node cap first, then a worker under a time budget.

    Call `close()` when done. The worker is started once (and again after a kill); its start-up
    is waited for separately, so the budget measures canonicalisation alone.
    """

    def __init__(
        self,
        *,
        deadline: float = DEADLINE_SECONDS,
        max_blank_nodes: int = MAX_BLANK_NODES,
        memory_limit: int = 1 << 30,
    ) -> None:
        self.deadline = deadline
        self.max_blank_nodes = max_blank_nodes
        self.worker = WorkerProcess(memory_limit)
        self.lock = threading.Lock()

    def __call__(self, quads, *, source: str | None = None) -> bytes:
        quads = list(quads)
        if not check_blank_nodes(quads, self.max_blank_nodes, source):
            return sorted_nquads(quads)
        payload = cast(bytes, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        with self.lock:  # one canonicalisation at a time per worker
            self._started()
            try:
                return self.worker.submit(_canonicalise_in_worker, payload, self.max_blank_nodes).result(
                    self.deadline
                )
            except TimeoutError:
                self.worker.kill()  # a canonicalisation in Rust does not stop by itself
                raise refused(
                    f"canonicalising a graph with {len(blank_nodes(quads))} blank nodes took longer "
                    f"than {self.deadline:g} s and was stopped (a graph like a blank-node clique "
                    "cannot be signed or verified)",
                    source=source,
                ) from None
            except BrokenProcessPool:
                self.worker.kill()
                raise refused("the canonicaliser ran out of memory on this graph", source=source) from None

    def warm(self) -> None:
        """Start the worker now (a harvest calls this before its first page)."""
        with self.lock:
            self._started()

    def _started(self) -> None:
        """A fresh worker's start-up is waited for apart, so the deadline measures canonicalising."""
        if not self.worker.started:
            self.worker.submit(_ready).result(START_SECONDS)

    def close(self) -> None:
        with self.lock:
            self.worker.kill()
