"""Versions already validated: a snapshot that conformed before is not validated again.

The shapes are the project's own and fixed for the life of the process, and a report depends on
nothing but the snapshot's triples and the language of its messages, so a snapshot with the same
content (`version_key`: the same triples, the same blank node labels) gets the same report. Only
conforming reports are kept (their warnings go into the case's provenance); a snapshot that failed
is validated again, so its findings always name the member that sent it.
Where repeats come from: `--full` re-syncs (every member again), a relay's copy of a case the
publisher already sent, a page re-applied after a crash. The memo is bounded (LRU by count) and
keyed by `version_key`, which never canonicalises blank nodes.
"""

from __future__ import annotations

import dataclasses
import hashlib

import pyoxigraph as ox

from stafett.lru import LRU
from stafett.problems import Finding

KEPT_VERSIONS = 100_000  # about 200 bytes each without warnings: ~20 MiB at most


def snapshot_sha256(triples: list[ox.Triple]) -> str:
    """sha256 of the snapshot's canonical N-Triples (RDFC-1.0 blank node labels, sorted lines).

    Nodes skolemise every nested object, so snapshots rarely hold blank nodes; without any, RDFC-1.0
    changes nothing and the canonicalisation (a third of this function's cost) is skipped."""
    if has_blank_nodes(triples):
        dataset = ox.Dataset([ox.Quad(tr.subject, tr.predicate, tr.object) for tr in triples])
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return sorted_lines_sha256(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) or b"")
    return version_key(triples)


def version_key(triples: list[ox.Triple]) -> str:
    """What the memo is keyed on: the sha256 of the sorted N-Triples lines, blank node labels as
    the source wrote them. Without blank nodes it is `snapshot_sha256`; with them it costs no
    canonicalisation (unbounded on an untrusted graph: verify.py runs that in a worker within a
    deadline), and a copy relabelled by its source only misses the memo, never matches wrongly."""
    return sorted_lines_sha256(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def has_blank_nodes(triples: list[ox.Triple]) -> bool:
    return any(isinstance(term, ox.BlankNode) for tr in triples for term in (tr.subject, tr.object))


def sorted_lines_sha256(text: bytes) -> str:
    lines = sorted(set(line for line in text.decode().splitlines() if line))
    return hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()


class ValidatedVersions:
    """sha256 + language -> the warnings of a conforming report (empty tuple: none)."""

    def __init__(self, limit: int = KEPT_VERSIONS) -> None:
        self.kept = LRU(limit)
        self.hits = self.misses = 0  # tests and the bench read them

    def warnings(self, sha: str, lang: str, source: str) -> list[Finding] | None:
        """The kept warnings, said to come from `source` (the member asking now); None: validate."""
        found = self.kept.get((sha, lang))
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        return [dataclasses.replace(f, source=source) for f in found]

    def conformed(self, sha: str, lang: str, warnings: list[Finding]) -> None:
        self.kept.put((sha, lang), tuple(warnings))
