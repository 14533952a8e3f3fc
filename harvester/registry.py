"""The `Registry`: settings, sources, the quad store, bookkeeping, and harvest entry points.

registry = Registry(RegistrySettings(data_dir=..., base_url=..., allow_loopback=True),
                    sources=[Source("vaxjo", node_url, namespaces=(node_url,))])
reports = registry.harvest()          # every source once (or name=..., full=True)
registry.store                        # the embedded pyoxigraph.Store (None when external)
registry.search                       # the search index beside it (None when external)
registry.after_commit.append(fn)      # called after every harvest run commits
registry.close()
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import os
import threading
from collections.abc import Callable

import pyoxigraph as ox

from stafett.harvester.cases import Cases
from stafett.harvester.checkpoint import Checkpoints
from stafett.harvester.db import Database
from stafett.harvester.feed import Feed
from stafett.harvester.load import LoadParts
from stafett.harvester.matching.engine import Matcher
from stafett.harvester.parse import PageParser
from stafett.harvester.pipeline import HarvestParts, harvest_source
from stafett.harvester.quadstore import EmbeddedStore, ExternalStore, QuadStore
from stafett.harvester.reports import Reports
from stafett.harvester.search.index import SearchIndex
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source, load_sources
from stafett.harvester.validated import ValidatedVersions
from stafett.harvester.verify import Verifier
from stafett.harvester.workers import PageWorkers
from stafett.problems import Problem

log = logging.getLogger("stafett.harvester")


def check_unique(sources: list[Source]) -> None:
    names = [s.name for s in sources]
    if len(names) != len(set(names)):
        raise Problem(400, "bad-sources-file", "The sources file is invalid", "source names must be unique")


def file_stamp(path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, TypeError):
        return None
    return info.st_mtime_ns, info.st_size


class Registry:
    def __init__(self, settings: RegistrySettings, sources: list[Source] | None = None) -> None:
        self.settings = settings
        self.sources: list[Source] = (
            list(sources) if sources is not None else load_sources(settings.sources_file)
        )
        check_unique(self.sources)
        self.sources_stamp = file_stamp(settings.sources_file) if sources is None else None
        self.reload_wanted = False  # set by SIGHUP (`stafett registry serve`); the scheduler reloads
        self.sources_error: str | None = None  # why the last reload kept the previous sources
        self.db = Database(settings.db_path)
        self.checkpoints = Checkpoints(self.db)
        self.reports = Reports(self.db)
        self.cases = Cases(self.db)
        self.feed = Feed(self.db, settings.base_url, settings.feed_page_size)
        self.store: ox.Store | None = None
        if settings.store == "embedded":
            settings.store_path.mkdir(parents=True, exist_ok=True)
            try:
                self.store = ox.Store(str(settings.store_path))
            except OSError as err:
                self.db.close()
                raise Problem(
                    409,
                    "store-busy",
                    "The registry's store is in use",
                    f"{settings.store_path} cannot be opened ({err}); another process (a running "
                    "`stafett registry serve`?) holds it. Stop it or use its schedule.",
                ) from None
            self.backend: QuadStore = EmbeddedStore(self.store, settings.store_flush_quads)
        else:
            self.backend = self.open_external_store()
        # The search index lives beside the embedded store and is rebuilt when out of step with it.
        self.search: SearchIndex | None = None
        if self.store is not None:
            self.search = SearchIndex(settings.search_path, self.store, self.prov_graph, settings.base_url)
            if self.search.ensure_in_step():
                log.info("search index rebuilt from the store (its marker differed)")
        # The matches (issue 15) beside the index: read from the store on the first harvest, then
        # kept in step by the pipeline after every page (harvester/matching/engine.py).
        self.matcher: Matcher | None = None
        if self.store is not None:
            self.matcher = Matcher(
                self.store,
                self.prov_graph,
                settings.base_url,
                margin=settings.match_margin_months,
                count=settings.match_count,
            )
        self.parser = PageParser(settings)  # its worker process lives as long as the registry
        self.pages = PageWorkers(settings, self.parser)  # page_workers processes, started on first use
        self.verifier = Verifier(settings)  # its canonicaliser worker too (started on first use)
        self.validated = ValidatedVersions()  # snapshots that conformed: not validated twice
        self.after_commit: list[Callable[[], None]] = []
        self.harvest_lock = threading.Lock()
        # Every write to the store and the page transactions run on this one thread, in order.
        # pyoxigraph releases the GIL while it writes, so the event loop fetches, parses and
        # validates the next pages meanwhile (measured in docs/benchmarks.md).
        self.writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="stafett-store-writer")
        self.loaded_since_optimize = 0  # cases written since the store was last compacted
        self.optimizing: concurrent.futures.Future | None = None  # the last compaction, once queued
        self.optimizations = 0
        self.running_harvests: set[tuple[asyncio.AbstractEventLoop, asyncio.Task]] = set()

    def open_external_store(self) -> ExternalStore:
        """The external store, checked at start: a store whose default graph is not the union of
        the named graphs, or that cannot be reached or written, refuses the start (see
        `ExternalStore.check_union_default_graph`) instead of answering 0 cases later."""
        settings = self.settings
        backend = ExternalStore(
            settings.external_query_url,
            settings.external_update_url,
            settings.external_gsp_url,
            credentials=settings.store_credentials(),
            auth=settings.external_auth,
        )
        try:
            backend.check_union_default_graph(settings.base_url + "graph/store-check")
        except Problem:
            backend.close()
            self.db.close()
            raise
        return backend

    @property
    def prov_graph(self) -> str:
        return self.settings.base_url + "graph/provenance"

    @property
    def reports_graph(self) -> str:
        return self.settings.base_url + "graph/reports"

    def source(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)

    def reload_if_changed(self) -> tuple[list[str], list[str]] | None:
        """Reload the sources file when it changed (or a reload was asked for): (added, removed).

        A file that no longer loads keeps the sources as they were (and says why in the log and
        in `sources_error`), so a typo never stops the harvests that ran.
        """
        if self.settings.sources_file is None or (self.sources_stamp is None and not self.reload_wanted):
            return None
        stamp = file_stamp(self.settings.sources_file)
        if stamp == self.sources_stamp and not self.reload_wanted:
            return None
        self.sources_stamp, self.reload_wanted = stamp, False
        try:
            fresh = load_sources(self.settings.sources_file)
            check_unique(fresh)
        except Problem as problem:
            self.sources_error = problem.detail
            log.error("sources file not reloaded, the previous sources stay: %s", problem.detail)
            return None
        self.sources_error = None
        with self.harvest_lock:  # never while a harvest is using the list
            before = {s.name for s in self.sources}
            self.sources[:] = fresh
        after = {s.name for s in fresh}
        log.info("sources file reloaded: %d sources", len(fresh))
        return sorted(after - before), sorted(before - after)

    def add_source(self, source: Source) -> None:
        if self.source(source.name):
            raise Problem(
                400,
                "bad-sources-file",
                "The sources file is invalid",
                f"a source named {source.name!r} already exists",
            )
        self.sources.append(source)

    async def harvest_async(self, name: str | None = None, *, full: bool = False) -> list[dict]:
        chosen = self.sources if name is None else [self.source(name)]
        if chosen == [None]:
            raise Problem(
                404,
                "not-found",
                "No such source",
                f"no source named {name!r}; configured: {', '.join(s.name for s in self.sources)}",
            )
        # Sources run concurrently, at most `harvest_concurrency` at a time: their HTTP waits overlap,
        # parsing and validation run in this event-loop thread, and every page transaction and store
        # write runs on the one store-writer thread (`write`), so writes stay serialised. Each source
        # keeps its own fetcher, deadline and error handling (harvest_source never raises for a
        # source's fault). Reports come back in the order of `chosen`.
        gate = asyncio.Semaphore(self.settings.harvest_concurrency)
        parts = self.harvest_parts()

        async def one(source: Source) -> dict:
            async with gate:
                return await harvest_source(parts, source, full=full)

        running = (asyncio.get_running_loop(), asyncio.current_task())
        self.running_harvests.add(running)
        try:
            reports = list(await asyncio.gather(*(one(source) for source in chosen)))
        finally:
            self.running_harvests.discard(running)
        self.optimize_when_due(sum(r.get("accepted", 0) + r.get("deleted", 0) for r in reports))
        return reports

    def optimize_when_due(self, loaded: int) -> None:
        """After a large harvest, compact the embedded store on the writer thread, without waiting.

        A store as a harvest leaves it answers queries 1.1-1.3x slower than after `optimize()`
        (4.3 s at 10k cases, issue 17). The compaction is queued behind the harvest's last write, so
        the harvest returns at once and readers keep their snapshot; the next write waits for it."""
        self.loaded_since_optimize += loaded
        every = self.settings.optimize_after_cases
        if self.store is None or not every or self.loaded_since_optimize < every:
            return
        self.loaded_since_optimize = 0
        self.optimizing = self.writer.submit(self.optimize_store)

    def optimize_store(self) -> None:
        try:
            if self.store is not None:
                self.store.optimize()
                self.optimizations += 1
        except OSError:  # a compaction that fails leaves the store as it was: log, never raise
            log.exception("store optimize failed")
            return
        self.notify()  # the snapshot readers use, compacted too

    def cancel_harvests(self) -> None:
        """Stop the harvests in progress, from any thread (the command is shutting down).

        Each is cancelled between awaits: a page being written still commits (`write`), no later
        page is read, and checkpoints stay at the last committed page, so the next harvest goes on
        from there. The cancelled run stays `running` in the reports until the next start marks it
        `interrupted` (harvester/reports.py), as after a crash."""
        for loop, task in list(self.running_harvests):
            loop.call_soon_threadsafe(task.cancel)

    def harvest_parts(self) -> HarvestParts:
        """What a harvest uses, taken now (so a source added since is admitted against too)."""
        load = LoadParts(
            self.settings,
            self.db,
            self.cases,
            self.feed,
            self.backend,
            self.prov_graph,
            self.search,
            self.matcher,
        )
        return HarvestParts(
            self.settings,
            self.sources,
            self.reports,
            self.checkpoints,
            self.cases,
            self.pages,
            load,
            self.write,
            self.notify,
            self.reports_graph,
            self.verifier if self.settings.verify_signatures else None,
            self.validated,
        )

    async def write(self, fn: Callable, *args):
        """Run `fn(*args)` on the store-writer thread and wait for it.

        If the awaiting source is cancelled (its deadline), the write still finishes before the
        cancellation goes on, so a source's run is never reported while its last page is being
        written (as when writes ran on the event loop, where a deadline could not cut one short).
        """
        future = asyncio.get_running_loop().run_in_executor(self.writer, functools.partial(fn, *args))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.wait([future])
            raise

    def harvest(self, name: str | None = None, *, full: bool = False) -> list[dict]:
        """Harvest one source (or all) now; returns one report per source run. Thread-safe."""
        with self.harvest_lock:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return asyncio.run(self.harvest_async(name, full=full))
            with concurrent.futures.ThreadPoolExecutor(1) as pool:  # called from inside an event loop
                return pool.submit(asyncio.run, self.harvest_async(name, full=full)).result()

    def source_summary(self, source: Source) -> dict:
        state = self.checkpoints.state(source.name)
        latest = self.reports.runs(source.name, limit=1)
        return {
            "name": source.name,
            "url": source.url,
            "aggregator": source.aggregator,
            "namespaces": list(source.namespaces),
            "relay": list(source.relay),
            "stale": bool(state.get("stale")),
            "stale_reason": state.get("stale_reason"),
            "last_good_harvest": state.get("last_good"),
            "cases": self.cases.live_count(source.name),
            "latest_run": latest[0] if latest else None,
        }

    def notify(self) -> None:
        for listener in list(self.after_commit):
            try:
                listener()
            except Exception:  # the run is committed already; a failing listener must not undo that
                log.exception("after_commit listener %r failed", listener)

    def close(self) -> None:
        self.writer.shutdown(wait=True)
        self.pages.close()
        self.parser.close()
        self.verifier.close()
        if self.search is not None:
            self.search.close()
        self.matcher = None  # it holds the store too: the last reference must go for RocksDB's lock
        self.backend.close()
        self.db.close()
        self.store = None
