"""One source's harvest, top to bottom: discover -> crawl pages -> admit -> verify -> load -> report.

A source that is down, answers garbage or suddenly lists nothing is marked stale; its cases stay
(only a Delete tombstone removes a case). Everything it does wrong is contained in its own run.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import pyoxigraph as ox

from stafett.harvester import terms as t
from stafett.harvester.cases import Cases
from stafett.harvester.checkpoint import Checkpoints, PageMemo
from stafett.harvester.fetch import Fetcher
from stafett.harvester.load import LoadParts, apply_page
from stafett.harvester.matching.hook import refresh_matches
from stafett.harvester.parse import Member
from stafett.harvester.reports import Reports, Run, run_triples, source_iri, utcnow
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.harvester.validated import ValidatedVersions
from stafett.harvester.verify import Verifier, verify_page
from stafett.harvester.workers import PageWorkers
from stafett.heap import release_freed_memory
from stafett.ldes import timestamp
from stafett.problems import Finding, Problem
from stafett.vocabulary.terms import DCT_SOURCE, DCT_TITLE, RDF_TYPE, XSD_BOOLEAN

EARLIEST = datetime.min.replace(tzinfo=UTC)
log = logging.getLogger("stafett.harvester")


@dataclass(frozen=True)
class HarvestParts:
    """What one source's harvest uses, built by the Registry for each harvest (never the Registry)."""

    settings: RegistrySettings
    sources: list[Source]  # every configured source (relays are admitted against them)
    reports: Reports
    checkpoints: Checkpoints
    cases: Cases
    pages: PageWorkers  # parses and admits pages, in worker processes or in process
    load: LoadParts  # what apply_page writes through
    write: Callable[..., Awaitable[Any]]  # runs a function on the one store-writer thread
    notify: Callable[[], None]  # after a run committed: the SPARQL side takes a fresh snapshot
    reports_graph: str
    verifier: Verifier | None = None  # None: `verify_signatures = false` (proofs are not checked)
    validated: ValidatedVersions | None = None  # snapshots that conformed before (harvester/validated.py)


async def harvest_source(parts: HarvestParts, source: Source, *, full: bool = False) -> dict:
    settings = parts.settings
    # Bookkeeping runs in a worker thread: done on the event loop it waited for the page
    # transaction in progress (27% of the loop's time, issue 17); queued on the store-writer
    # thread it waited for every page queued before it (measured: the harvest slowed down).
    run = await asyncio.to_thread(start_run, parts, source, full)
    pages = parts.pages
    root, stale = None, None
    try:
        async with asyncio.timeout(settings.source_deadline), Fetcher(settings) as fetcher:
            root, listed = await crawl_known_root(parts, fetcher, pages, source, run, full)
            if root is None:
                root = await discover_root(fetcher, pages, source)
                listed = await crawl(parts, fetcher, pages, source, root, run)
            stale = empty_feed(parts, source, listed)
            if full and not run.error:
                stale = stale or await reconcile(parts, fetcher, source, root, run)
    except Problem as problem:
        run.error = problem.detail
    except TimeoutError:
        run.error = (
            f"{source.name}: the harvest took longer than {settings.source_deadline:g} s and was stopped"
        )
    except Exception as err:  # a bug must cost one source's run, not the harvester
        log.exception("harvest of %s failed unexpectedly", source.name)
        run.error = f"{source.name}: internal error {type(err).__name__}: {err}"
    stale = stale or run.error
    await asyncio.to_thread(finish_run, parts, source, run, stale, root)
    await parts.write(publish_report, parts, source, run)
    await parts.write(parts.notify)  # snapshots too are taken between writes, never during one
    return parts.reports.runs(source.name, limit=1)[0]


def start_run(parts: HarvestParts, source: Source, full: bool) -> Run:
    """Off the event loop: the run's row; `--full` forgets the source's checkpoints."""
    run = parts.reports.start(source.name, full)
    if full:
        parts.checkpoints.forget(source.name)
    return run


def finish_run(parts: HarvestParts, source: Source, run: Run, stale: str | None, root: str | None) -> None:
    """Off the event loop, after the run's last page: the source's health, then the run's outcome."""
    if stale:
        parts.checkpoints.mark_stale(source.name, utcnow(), stale)
    else:
        parts.checkpoints.mark_good(source.name, utcnow(), root)
    parts.reports.finish(run, "failed" if run.error else "ok", stale=bool(stale))


async def crawl_known_root(
    parts: HarvestParts, fetcher: Fetcher, pages: PageWorkers, source: Source, run: Run, full: bool
) -> tuple[str | None, int]:
    """Start from the root the last good run found (saves a request and a parse per run); if it
    is gone or broken, return (None, 0) and the caller discovers afresh. `--full` always discovers."""
    root = None if full else parts.checkpoints.state(source.name).get("root_url")
    if not root:
        return None, 0
    error = run.error
    try:
        return root, await crawl(parts, fetcher, pages, source, root, run)
    except Problem:
        run.error = error
        return None, 0


async def discover_root(fetcher: Fetcher, pages: PageWorkers, source: Source) -> str:
    """The source URL is a feed page itself, or a description naming its view; else `{url}feed`."""
    fetched = await fetcher.get(source.url, source=source.name)
    try:
        page = await pages.page(fetched, source.name)
    except Problem:
        page = None
    if page and (page.members or page.links):
        return fetched.url
    views = [v for v in (page.views if page else []) if v.split("/", 3)[:3] == source.url.split("/", 3)[:3]]
    if views:  # only on the source's own site
        return views[0]
    return source.url.rstrip("/") + "/feed"


async def crawl(
    parts: HarvestParts, fetcher: Fetcher, pages: PageWorkers, source: Source, root: str, run: Run
) -> int:
    """Breadth-first over tree:node links (visited set + page cap); returns members listed."""
    queue, visited, listed = deque([root]), set(), 0
    while queue:
        url = queue.popleft()
        if url in visited:
            continue  # page loops end here
        visited.add(url)
        if len(visited) > parts.settings.max_pages:
            raise Problem(
                508,
                "endless-paging",
                "A feed pages without end",
                f"{source.name}: more than {parts.settings.max_pages} pages from {root}; "
                "stopped (members up to here are kept)",
            )
        memo = parts.checkpoints.page(source.name, url)
        if memo and memo.immutable:
            queue.extend(memo.links)  # closed and fully processed before: no request at all
            listed += memo.members
            continue
        memo = await read_page(parts, fetcher, pages, source, url, memo, run, is_root=url == root)
        if memo:
            listed += memo.members
            for link in memo.links:
                if await same_site(link, root, parts, run, source):
                    queue.append(link)
    return listed


async def read_page(
    parts: HarvestParts,
    fetcher: Fetcher,
    pages: PageWorkers,
    source: Source,
    url: str,
    memo: PageMemo | None,
    run: Run,
    *,
    is_root: bool,
) -> PageMemo | None:
    try:
        fetched = await fetcher.get(
            url,
            source=source.name,
            etag=memo.etag if memo else None,
            last_modified=memo.last_modified if memo else None,
        )
        run.counts["pages"] += 1  # request counters are written once, when the run finishes
        if fetched.not_modified and memo:
            run.counts["not_modified"] += 1
            return memo
        page = await pages.page(fetched, source.name)
    except Problem as problem:
        if is_root:
            raise
        await page_problem(parts, run, url, problem)
        return None
    for graph in page.stray_graphs[:20]:  # quads outside any member never reach the store; say so
        stray = Problem(
            422,
            "stray-graph",
            "A page has a graph no member owns",
            f"{source.name}: graph {graph} on {url} belongs to no tree:member; ignored",
        )
        await page_problem(parts, run, url, stray, fatal=False)
    waiting, seen = [], set()
    for member in sorted(page.members, key=order):
        fresh = member.activity not in seen
        if fresh and not parts.checkpoints.is_processed(source.name, member.activity):
            seen.add(member.activity)
            waiting.append(member)
    await asyncio.sleep(0)  # let the source deadline (and other sources) run between pages
    # One validator call for the page's members (admit.py, maybe in a worker), then one transaction.
    language, validated = parts.settings.language, parts.validated
    decisions = await pages.admit(waiting, source, parts.sources, language, validated) if waiting else []
    if parts.verifier and decisions:  # issue 16: each proof against the key its node publishes
        await verify_page(parts.verifier, fetcher, source, decisions)
    memo = PageMemo(fetched.etag, fetched.last_modified, page.immutable, page.links, len(page.members))
    # One SQLite + one store transaction for the page's members and its checkpoint (see load.py).
    done = lambda tx: parts.checkpoints.record_page(tx, source.name, url, memo)  # noqa: E731
    await parts.write(write_page, parts, source, decisions, run, done)
    return memo


def write_page(parts: HarvestParts, source: Source, decisions: list, run: Run, done) -> None:
    """On the store-writer thread: the page's transaction, then give freed native memory back."""
    apply_page(parts.load, source, decisions, run, done)
    refresh_matches(parts.load.matcher, decisions)  # issue 15: after the store and the index
    if decisions:
        release_freed_memory()  # native writes leave freed arenas behind; see stafett/heap.py


def order(member: Member):
    return (member.moment is None, member.moment or EARLIEST, member.activity)


async def same_site(link: str, root: str, parts: HarvestParts, run: Run, source: Source) -> bool:
    if link.split("/", 3)[:3] == root.split("/", 3)[:3]:
        return True
    problem = Problem(
        403,
        "off-site-link",
        "A feed links off its site",
        f"{source.name}: page link {link} leaves {root}'s site; not followed",
    )
    await page_problem(parts, run, link, problem, fatal=False)  # reported; the rest of the run is fine
    return False


async def page_problem(
    parts: HarvestParts, run: Run, url: str, problem: Problem, *, fatal: bool = True
) -> None:
    if fatal:
        run.error = run.error or problem.detail
    findings = problem.findings or [Finding("Violation", problem.detail, focus_node=url, rule=problem.slug)]
    await asyncio.to_thread(
        parts.reports.page_problem, run, "page-failed" if fatal else "page-refused", findings
    )


def empty_feed(parts: HarvestParts, source: Source, listed: int) -> str | None:
    held = parts.cases.live_route_count(source.name)
    if listed == 0 and held:
        return (
            f"{source.name}: the feed suddenly lists no members; its {held} cases are kept "
            "until it publishes Delete tombstones"
        )
    return None


async def reconcile(parts: HarvestParts, fetcher: Fetcher, source: Source, root: str, run: Run) -> str | None:
    """`--full`: compare what we hold from this source with its `/feed/state` (drift; never deletes)."""
    try:
        fetched = await fetcher.get(
            root.rstrip("/") + "/state", source=source.name, accept="application/json"
        )
        state = state_hashes(orjson.loads(fetched.body))
    except (Problem, orjson.JSONDecodeError, TypeError, AttributeError, KeyError) as err:
        run.drift = {"error": getattr(err, "detail", None) or f"unreadable state: {err}"}
        return None
    held = parts.cases.live_hashes(source.name)
    run.drift = {
        "missing_here": sorted(set(state) - set(held)),
        "not_at_source": sorted(set(held) - set(state)),
        "hash_differs": sorted(c for c in set(state) & set(held) if state[c] and state[c] != held[c]),
    }
    if not state and held:
        return f"{source.name}: /feed/state lists no cases while {len(held)} are held; kept, marked stale"
    return None


def state_hashes(body) -> dict[str, str | None]:
    """Accept {"cases": [{"id", "sha256"}]}, a bare list of those, or {iri: sha256}."""
    items = body.get("cases", body) if isinstance(body, dict) else body
    if isinstance(items, dict):
        return {str(k): (v if isinstance(v, str) else None) for k, v in items.items()}
    out = {}
    for item in items:
        iri = item.get("id") or item.get("@id") or item.get("case")
        out[str(iri)] = item.get("sha256") or item.get("hash")
    return out


def publish_report(parts: HarvestParts, source: Source, run: Run) -> None:
    """The run into the reports graph and the source's health into the provenance graph."""
    base = parts.settings.base_url
    latest = parts.reports.runs(source.name, limit=1)[0]
    subjects, triples = run_triples(base, latest, parts.settings.language)
    me = ox.NamedNode(source_iri(base, source.name))
    state = parts.checkpoints.state(source.name)
    health = [
        ox.Triple(me, RDF_TYPE, t.STF_SOURCE_CLASS),
        ox.Triple(me, DCT_TITLE, ox.Literal(source.name)),
        ox.Triple(me, DCT_SOURCE, ox.NamedNode(source.url)),
        ox.Triple(me, t.STF_STALE, ox.Literal(str(bool(state.get("stale"))).lower(), datatype=XSD_BOOLEAN)),
    ]
    if state.get("last_good"):
        health.append(ox.Triple(me, t.STF_LAST_GOOD, timestamp(state["last_good"])))
    try:
        batch = parts.load.backend.batch()  # one store transaction for the report and the health
        batch.replace_about(parts.reports_graph, subjects, triples)
        batch.replace_about(parts.load.prov_graph, [me.value], health)
        batch.commit()
    except Problem as problem:  # the store being down must not lose the SQLite report
        run.error = run.error or problem.detail
