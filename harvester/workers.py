"""Page workers: parse and validate feed pages in worker processes, off the event loop (issue 17).

With `page_workers = N` (N > 0), each page is parsed (and its members grouped) in one of N worker
processes, and the snapshots that SHACL must decide are validated in one of them too (and, for those that
conform, their suggested topics worked out: harvester/suggest.py), so this work uses other cores
while the event loop fetches and the store-writer thread writes.
The admission around the validator (namespaces, the memo of versions validated before, the
verdicts) stays in the registry process, so every decision is made exactly as with
`page_workers = 0`, where pages are parsed and validated in process as before (harvester/parse.py
decides there which formats go to its isolated parser worker).

What crosses the process boundary is text: a page's members come back with their snapshots as
N-Triples, and go out to the validator the same way (pickling pyoxigraph terms costs ~10x more).
Each worker is a guarded worker process (stafett/worker_process.py: the parser's memory cap, no
Ctrl-C of its own, an exit once orphaned) that loads the shapes when it starts. A
worker that crashes (or a parser that hangs past `request_deadline`, whose worker is then
killed) costs the jobs it held their first attempt only: each such job runs once more in a fresh
process of its own, so only the page that crashes a worker twice is lost, never its neighbours.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures.process import BrokenProcessPool

import pyoxigraph as ox

from stafett.harvester.admit import ACCEPT, Decision, conclude, screen, validate_snapshots
from stafett.harvester.fetch import Fetched
from stafett.harvester.parse import (
    FeedPage,
    Member,
    PageParser,
    group_page,
    media_type_of,
    page_limits,
    parse_in_worker,
)
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.harvester.suggest import suggested_topics
from stafett.harvester.validated import ValidatedVersions
from stafett.problems import Problem, unreadable
from stafett.shapes.validate import warm_up
from stafett.vocabulary.jsonld import Limits
from stafett.worker_process import WorkerProcess

log = logging.getLogger("stafett.harvester")


class PageWorkers:
    """Reads and admits pages, in `settings.page_workers` processes or (0) in process."""

    def __init__(self, settings: RegistrySettings, parser: PageParser) -> None:
        self.settings, self.parser = settings, parser
        self.limits = page_limits(settings)
        self.workers = [Worker(settings.parser_memory_limit) for _ in range(settings.page_workers)]
        self.retired_cpu = 0.0  # CPU seconds of workers that were replaced (cpu_seconds adds it)

    def close(self) -> None:
        for worker in self.workers:
            self.retired_cpu += worker.stop()

    async def page(self, fetched: Fetched, source: str) -> FeedPage:
        if not self.workers:
            return self.parser.page(fetched, source)
        job = (read_page_text, fetched.body, media_type_of(fetched), fetched.url, self.limits, source)
        what = f"the parser crashed or hung on {fetched.url}; the page was skipped"
        page, problem = await self.run(job, what, source, deadline=self.settings.request_deadline)
        if problem:
            raise Problem(*problem)
        return feed_page(page, fetched.url, fetched.immutable)

    async def admit(
        self,
        members: list[Member],
        source: Source,
        sources: list[Source],
        lang: str,
        validated: ValidatedVersions | None,
    ) -> list[Decision]:
        early, waiting = screen(members, source, sources, lang, validated)
        chosen = [members[i] for i in waiting]
        if not chosen:
            return conclude(early, waiting, [], source, lang, validated)
        if not self.workers:
            return conclude(early, waiting, validate_snapshots(chosen, lang), source, lang, validated)
        payloads = [ox.serialize(m.payload, format=ox.RdfFormat.N_TRIPLES) or b"" for m in chosen]
        job = (validate_texts, payloads, [m.activity for m in chosen], [m.case for m in chosen], lang)
        what = f"the validator crashed on a page of {source.name}; its members were not admitted"
        outcomes = await self.run(job, what, source.name, deadline=None)
        reports = [Problem(*report) if isinstance(report, tuple) else report for report, _ in outcomes]
        decisions = conclude(early, waiting, reports, source, lang, validated)
        for i, (_, topics) in zip(waiting, outcomes, strict=True):
            if topics is not None and decisions[i].verdict == ACCEPT:
                decisions[i].topics = topics_of(topics)
        return decisions

    async def run(self, job: tuple, what: str, source: str, *, deadline: float | None):
        """On the least busy worker; after a crash or a hang once more in a fresh process alone."""
        worker = min(self.workers, key=lambda w: w.busy)
        try:
            return await worker.call(job, deadline)
        except (BrokenProcessPool, TimeoutError) as err:
            log.warning("%s: a page worker failed (%r); its job runs again alone", source, err)
            self.retired_cpu += worker.stop()
        alone = Worker(self.settings.parser_memory_limit)
        try:
            return await alone.call(job, deadline)
        except (BrokenProcessPool, TimeoutError) as err:
            log.warning("%s: the job failed again alone (%r): %s", source, err, what)
            raise unreadable(what, source=source) from None
        finally:
            self.retired_cpu += alone.stop()

    def cpu_seconds(self) -> float:
        """CPU the workers used so far (the bench adds it to the registry process's own)."""
        return self.retired_cpu + sum(w.cpu_seconds() for w in self.workers)

    def pids(self) -> list[int]:
        return [pid for w in self.workers for pid in w.pids()]


class Worker:
    """One page worker (a guarded worker process, stafett/worker_process.py) and its jobs in flight."""

    def __init__(self, memory_limit: int) -> None:
        self.process = WorkerProcess(memory_limit, ready=warm_up)
        self.busy = 0  # jobs submitted and not yet answered

    async def call(self, job: tuple, deadline: float | None):
        self.busy += 1
        future = self.process.submit(*job)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), deadline)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if future.cancelled() and task is not None and not task.cancelling():
                raise BrokenProcessPool("the worker was stopped with this job queued") from None
            raise  # the source itself was cancelled (its deadline, a shutdown)
        finally:
            self.busy -= 1

    def pids(self) -> list[int]:
        return self.process.pids()

    def cpu_seconds(self) -> float:
        return self.process.cpu_seconds()

    def stop(self) -> float:
        """End the worker (the next call starts a fresh one); returns the CPU it had used."""
        return self.process.kill()


# ---------------------------------------------------------------- in the worker process


def read_page_text(raw: bytes, media_type: str, base_iri: str, limits: Limits, source: str):
    """A page parsed and grouped; members' snapshots as N-Triples. Returns (page, None) or
    (None, the Problem's fields)."""
    quads, problem = parse_in_worker(raw, media_type, base_iri, limits, source)
    if problem:
        return None, problem
    page = group_page(base_iri, quads)
    members = [
        (
            m.activity,
            m.kind,
            m.case,
            m.published,
            m.stream,
            m.derived_from,
            m.origin_stream,
            m.problems,
            ox.serialize(m.payload, format=ox.RdfFormat.N_TRIPLES) or b"",
        )
        for m in page.members
    ]
    return (members, page.links, page.views, page.immutable, page.stray_graphs), None


def validate_texts(payloads: list[bytes], activities: list[str], cases: list[str | None], lang: str) -> list:
    """Per snapshot given as N-Triples: its report, as `validate_snapshots` makes it in process, and
    for one that conforms its suggested topics too (they are the writer thread's work otherwise);
    (report, topics as text) pairs, a Problem's fields for a report that could not be made."""
    members = [
        Member(activity, "", case, "", triples_of(payload))
        for activity, case, payload in zip(activities, cases, payloads, strict=True)
    ]
    out = []
    for member, report in zip(members, validate_snapshots(members, lang), strict=True):
        if isinstance(report, Problem):
            out.append((report.fields(), None))
            continue
        topics = suggested_topics(member.payload, ox.NamedNode(member.case)) if report.conforms else None
        out.append((report, topics_text(topics)))
    return out


def topics_text(topics: list | None) -> list | None:
    if topics is None:
        return None
    return [(iri, [(label.value, label.language) for label in labels]) for iri, labels in topics]


# ---------------------------------------------------------------- back in the registry process


def feed_page(text: tuple, url: str, immutable_header: bool) -> FeedPage:
    """The FeedPage that group_page made in the worker, rebuilt from its text."""
    members, links, views, immutable, stray = text
    return FeedPage(
        url=url,
        members=[
            Member(activity, kind, case, published, triples_of(payload), stream, derived, origin, problems)
            for activity, kind, case, published, stream, derived, origin, problems, payload in members
        ],
        links=links,
        views=views,
        immutable=immutable or immutable_header,
        stray_graphs=stray,
    )


def topics_of(text: list) -> list[tuple[str, list[ox.Literal]]]:
    return [(iri, [ox.Literal(value, language=lang) for value, lang in labels]) for iri, labels in text]


def triples_of(ntriples: bytes) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
