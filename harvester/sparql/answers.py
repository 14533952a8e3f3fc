"""Answers kept per store version: a query asked again before the next harvest commit is not re-run.

Why: the registry changes only when a harvest commits, and a public endpoint is asked the same
queries again and again (the query page's examples, facet counts behind a search page). At 100k
cases pyoxigraph takes seconds for a facet count over the whole store (docs/benchmarks.md); a
kept answer is returned in about a millisecond.

Correctness rules:
- An answer is kept under the snapshot version it was asked against, with the exact query text,
  result format, dataset (default-/named-graph-uri) and base IRI. A new snapshot makes every kept
  answer unreachable, and they are dropped at the next store into the cache.
- Queries whose answer changes between evaluations (NOW(), RAND(), UUID(), STRUUID(), BNODE())
  are never kept (`GatedQuery.repeatable`, decided on the parse tree, so escapes cannot hide them).
- The cache is bounded in bytes (`SparqlSettings.cache_bytes`, least recently used out first);
  one answer larger than an eighth of it is not kept.
- The same key gives the endpoint its HTTP validator: a weak ETag from version and key, so a
  client's `If-None-Match` gets 304 while the store is unchanged (RFC 9110 section 13.1.2).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from stafett.lru import LRU


@dataclass(frozen=True)
class AnswerKey:
    version: str  # the snapshot the answer comes from
    query: str
    format: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    base_iri: str | None

    @property
    def etag(self) -> str:
        parts = [
            self.version,
            self.query,
            self.format,
            *self.default_graphs,
            "|",
            *self.named_graphs,
            self.base_iri or "",
        ]
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
        return f'W/"{digest}"'


class AnswerCache:
    """Answer bodies for one snapshot version at a time, least recently used out first once they
    pass `max_bytes` (0: keep nothing). Thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._kept = LRU(max_bytes, cost=lambda answer: len(answer[0]))
        self._version: str | None = None
        self._lock = threading.Lock()

    def get(self, key: AnswerKey) -> tuple[bytes, bool] | None:
        with self._lock:
            return self._kept.get(key)

    def put(self, key: AnswerKey, body: bytes, truncated: bool) -> None:
        if not self.max_bytes or len(body) > self.max_bytes // 8:
            return
        with self._lock:
            if key.version != self._version:  # a new snapshot: older answers can never be asked again
                self._kept.clear()
                self._version = key.version
            self._kept.put(key, (body, truncated))

    @property
    def size_bytes(self) -> int:
        return self._kept.total
