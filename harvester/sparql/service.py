"""The query service behind `/sparql`: snapshots + worker pool, or an external store.

Built once per app (`SparqlService.for_registry`); it subscribes to the registry's
`after_commit` listeners so every committed harvest run becomes visible through a fresh snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from stafett.harvester.sparql.answers import AnswerCache, AnswerKey
from stafett.harvester.sparql.external import forward
from stafett.harvester.sparql.fairness import FairTurns
from stafett.harvester.sparql.gate import GatedQuery
from stafett.harvester.sparql.pool import Admission, WorkerPool, limit_problem
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.harvester.sparql.snapshot import Snapshots


@dataclass(frozen=True)
class Answer:
    body: bytes
    truncated: bool
    etag: str | None = None  # a validator while the store is unchanged (None: external store)
    cached: bool = False  # answered from the kept answers of this store version


class SparqlService:
    def __init__(self, settings: SparqlSettings, store: ox.Store | None = None) -> None:
        self.settings = settings
        self.pool: WorkerPool | None = None
        self.snapshots: Snapshots | None = None
        self.admission = Admission(
            settings.workers,
            settings.queue_size,
            settings.timeout_seconds,
            per_client=settings.client_running + settings.client_queue,
        )
        self.turns = FairTurns(settings.workers, settings.client_running)
        self.answers = AnswerCache(settings.cache_bytes)
        if settings.external_endpoint:
            return
        self.pool = WorkerPool(
            settings.workers, settings.queue_size, settings.timeout_seconds, settings.worker_memory_mb
        )
        self.snapshots = Snapshots(
            store if store is not None else ox.Store(),
            settings.snapshot_dir,
            in_use=self.pool.snapshots_in_use,
        )
        self.snapshots.refresh()
        self.pool.lease = self.snapshots.lease

    @classmethod
    def for_registry(cls, registry, settings: SparqlSettings | None = None) -> SparqlService:
        """Use `registry.store` (None when the store is external) and follow its commits."""
        settings = settings or settings_for(registry)
        service = cls(settings, getattr(registry, "store", None))
        listeners = getattr(registry, "after_commit", None)
        if listeners is not None and service.snapshots is not None:
            listeners.append(service.after_commit)
        return service

    def after_commit(self) -> None:
        if self.snapshots is not None:
            self.snapshots.refresh()

    def answer_key(
        self,
        gated: GatedQuery,
        fmt: str,
        default_graphs: list[str],
        named_graphs: list[str],
        base_iri: str | None,
    ) -> AnswerKey | None:
        """Where this query's answer is kept for the current snapshot (None: it is never kept)."""
        if self.snapshots is None or not gated.repeatable:
            return None
        return AnswerKey(
            self.snapshots.version, gated.text, fmt, tuple(default_graphs), tuple(named_graphs), base_iri
        )

    def kept(self, key: AnswerKey | None) -> Answer | None:
        found = self.answers.get(key) if key is not None else None
        return None if found is None else Answer(found[0], found[1], key.etag, cached=True)

    async def answer(
        self,
        gated: GatedQuery,
        fmt: str,
        default_graphs: list[str],
        named_graphs: list[str],
        base_iri: str | None = None,
        *,
        client: str = "unknown",
    ) -> Answer:
        key = self.answer_key(gated, fmt, default_graphs, named_graphs, base_iri)
        kept = self.kept(key)
        if kept is not None:
            return kept
        async with self.turns.turn(client, self.settings.timeout_seconds):  # round robin over clients
            return await self._run(gated, fmt, default_graphs, named_graphs, base_iri, key)

    async def _run(
        self,
        gated: GatedQuery,
        fmt: str,
        default_graphs: list[str],
        named_graphs: list[str],
        base_iri: str | None,
        key: AnswerKey | None,
    ) -> Answer:
        request = {
            "query": gated.text,
            "form": gated.form,
            "format": fmt,
            "has_dataset_clause": gated.has_dataset_clause,
            "max_rows": self.settings.max_rows,
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
            "base_iri": base_iri,
        }
        if self.settings.external_endpoint:
            result = await forward(
                self.settings.external_endpoint,
                request,
                timeout=self.settings.timeout_seconds,
                max_bytes=self.settings.max_external_bytes,
            )
        else:
            result = await self.pool.run(request)  # the pool leases the current snapshot
            self.snapshots.collect()
        if not result["ok"]:
            raise limit_problem(
                result["status"], result["slug"], "The query could not be answered", result["detail"]
            )
        if key is not None:
            self.answers.put(key, result["body"], result["truncated"])
        return Answer(result["body"], result["truncated"], key and key.etag)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.snapshots is not None:
            self.snapshots.close()


def settings_for(registry) -> SparqlSettings:
    """SPARQL settings from the environment, completed from the registry's settings: the external
    store's query URL when the store is external, snapshots beside the registry's data."""
    registry_settings = getattr(registry, "settings", None)
    nested = getattr(registry_settings, "sparql", None)
    if isinstance(nested, SparqlSettings):
        return nested
    external = None
    if registry is not None and getattr(registry, "store", None) is None:
        external = getattr(registry_settings, "external_query_url", None) or None
    data_dir = getattr(registry_settings, "data_dir", None)
    snapshots = Path(data_dir) / "sparql-snapshots" if data_dir and not external else None
    settings = SparqlSettings.from_env(external_endpoint=external)
    if settings.snapshot_dir is None and snapshots is not None:
        settings = replace(settings, snapshot_dir=snapshots)
    return settings
