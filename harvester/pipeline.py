"""One source's harvest, top to bottom: discover -> crawl pages -> admit -> load -> report.

A source that is down, answers garbage or suddenly lists nothing is marked stale; its cases stay
(only a Delete tombstone removes a case). Everything it does wrong is contained in its own run.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import orjson
import pyoxigraph as ox
from stafett.harvester import terms as t
from stafett.harvester.admit import admit_page
from stafett.harvester.checkpoint import PageMemo
from stafett.harvester.fetch import Fetcher
from stafett.harvester.load import apply_page
from stafett.harvester.parse import Member, PageParser
from stafett.harvester.reports import Run, run_triples, source_iri, utcnow
from stafett.harvester.sources import Source
from stafett.vocabulary.terms import DCT_SOURCE, DCT_TITLE, RDF_TYPE, XSD_BOOLEAN

from stafett.heap import release_freed_memory
from stafett.ldes import timestamp
from stafett.problems import Finding, Problem

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

EARLIEST = datetime.min.replace(tzinfo=UTC)
log = logging.getLogger("stafett.harvester")


async def harvest_source(registry: Registry, source: Source, *, full: bool = False) -> dict:
    settings = registry.settings
    run = registry.reports.start(source.name, full)
    if full:
        registry.checkpoints.forget(source.name)
    parser = registry.parser
    root, stale = None, None
    try:
        async with asyncio.timeout(settings.source_deadline), Fetcher(settings) as fetcher:
            root, listed = await crawl_known_root(registry, fetcher, parser, source, run, full)
            if root is None:
                root = await discover_root(fetcher, parser, source)
                listed = await crawl(registry, fetcher, parser, source, root, run)
            stale = empty_feed(registry, source, listed)
            if full and not run.error:
                stale = stale or await reconcile(registry, fetcher, source, root, run)
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
    if stale:
        registry.checkpoints.mark_stale(source.name, utcnow(), stale)
    else:
        registry.checkpoints.mark_good(source.name, utcnow(), root)
    registry.reports.finish(run, "failed" if run.error else "ok", stale=bool(stale))
    await registry.write(publish_report, registry, source, run)
    await registry.write(registry.notify)  # snapshots too are taken between writes, never during one
    return registry.reports.runs(source.name, limit=1)[0]


async def crawl_known_root(
    registry: Registry, fetcher: Fetcher, parser: PageParser, source: Source, run: Run, full: bool
) -> tuple[str | None, int]:
    """Start from the root the last good run found (saves a request and a parse per run); if it
    is gone or broken, return (None, 0) and the caller discovers afresh. `--full` always discovers."""
    root = None if full else registry.checkpoints.state(source.name).get("root_url")
    if not root:
        return None, 0
    error = run.error
    try:
        return root, await crawl(registry, fetcher, parser, source, root, run)
    except Problem:
        run.error = error
        return None, 0


async def discover_root(fetcher: Fetcher, parser: PageParser, source: Source) -> str:
    """The source URL is a feed page itself, or a description naming its view; else `{url}feed`."""
    fetched = await fetcher.get(source.url, source=source.name)
    try:
        page = parser.page(fetched, source.name)
    except Problem:
        page = None
    if page and (page.members or page.links):
        return fetched.url
    views = [v for v in (page.views if page else []) if v.split("/", 3)[:3] == source.url.split("/", 3)[:3]]
    if views:  # only on the source's own site
        return views[0]
    return source.url.rstrip("/") + "/feed"


async def crawl(
    registry: Registry, fetcher: Fetcher, parser: PageParser, source: Source, root: str, run: Run
) -> int:
    """Breadth-first over tree:node links (visited set + page cap); returns members listed."""
    queue, visited, listed = deque([root]), set(), 0
    while queue:
        url = queue.popleft()
        if url in visited:
            continue  # page loops end here
        visited.add(url)
        if len(visited) > registry.settings.max_pages:
            raise Problem(
                508,
                "endless-paging",
                "A feed pages without end",
                f"{source.name}: more than {registry.settings.max_pages} pages from {root}; "
                "stopped (members up to here are kept)",
            )
        memo = registry.checkpoints.page(source.name, url)
        if memo and memo.immutable:
            queue.extend(memo.links)  # closed and fully processed before: no request at all
            listed += memo.members
            continue
        memo = await read_page(registry, fetcher, parser, source, url, memo, run, is_root=url == root)
        if memo:
            listed += memo.members
            queue.extend(link for link in memo.links if same_site(link, root, registry, run, source))
    return listed


async def read_page(
    registry, fetcher, parser, source: Source, url: str, memo: PageMemo | None, run: Run, *, is_root: bool
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
        page = parser.page(fetched, source.name)
    except Problem as problem:
        if is_root:
            raise
        page_problem(registry, run, url, problem)
        return None
    for graph in page.stray_graphs[:20]:  # quads outside any member never reach the store; say so
        stray = Problem(
            422,
            "stray-graph",
            "A page has a graph no member owns",
            f"{source.name}: graph {graph} on {url} belongs to no tree:member; ignored",
        )
        page_problem(registry, run, url, stray, fatal=False)
    waiting, seen = [], set()
    for member in sorted(page.members, key=order):
        fresh = member.activity not in seen
        if fresh and not registry.checkpoints.is_processed(source.name, member.activity):
            seen.add(member.activity)
            waiting.append(member)
    await asyncio.sleep(0)  # let the source deadline (and other sources) run between pages
    # One validator call for the page's members (admit_page), then one transaction (apply_page).
    decisions = admit_page(waiting, source, registry.sources, registry.settings.language) if waiting else []
    memo = PageMemo(fetched.etag, fetched.last_modified, page.immutable, page.links, len(page.members))
    # One SQLite + one store transaction for the page's members and its checkpoint (see load.py).
    done = lambda tx: registry.checkpoints.record_page(tx, source.name, url, memo)  # noqa: E731
    await registry.write(write_page, registry, source, decisions, run, done)
    return memo


def write_page(registry: Registry, source: Source, decisions: list, run: Run, done) -> None:
    """On the store-writer thread: the page's transaction, then give freed native memory back."""
    apply_page(registry, source, decisions, run, done)
    if decisions:
        release_freed_memory()  # native writes leave freed arenas behind; see stafett/heap.py


def order(member: Member):
    return (member.moment is None, member.moment or EARLIEST, member.activity)


def same_site(link: str, root: str, registry, run: Run, source: Source) -> bool:
    if link.split("/", 3)[:3] == root.split("/", 3)[:3]:
        return True
    problem = Problem(
        403,
        "off-site-link",
        "A feed links off its site",
        f"{source.name}: page link {link} leaves {root}'s site; not followed",
    )
    page_problem(registry, run, link, problem, fatal=False)  # reported; the rest of the run is fine
    return False


def page_problem(registry: Registry, run: Run, url: str, problem: Problem, *, fatal: bool = True) -> None:
    if fatal:
        run.error = run.error or problem.detail
    findings = problem.findings or [Finding("Violation", problem.detail, focus_node=url, rule=problem.slug)]
    with registry.db.transaction() as tx:
        registry.reports.problem(tx, run, None, None, "page-failed" if fatal else "page-refused", findings)


def empty_feed(registry: Registry, source: Source, listed: int) -> str | None:
    counted = registry.db.one("SELECT COUNT(*) FROM routes WHERE source=? AND state='live'", (source.name,))
    held = counted[0] if counted else 0
    if listed == 0 and held:
        return (
            f"{source.name}: the feed suddenly lists no members; its {held} cases are kept "
            "until it publishes Delete tombstones"
        )
    return None


async def reconcile(registry: Registry, fetcher: Fetcher, source: Source, root: str, run: Run) -> str | None:
    """`--full`: compare what we hold from this source with its `/feed/state` (drift; never deletes)."""
    try:
        fetched = await fetcher.get(
            root.rstrip("/") + "/state", source=source.name, accept="application/json"
        )
        state = state_hashes(orjson.loads(fetched.body))
    except (Problem, orjson.JSONDecodeError, TypeError, AttributeError, KeyError) as err:
        run.drift = {"error": getattr(err, "detail", None) or f"unreadable state: {err}"}
        return None
    held = {
        r["case_iri"]: r["snapshot_sha"]
        for r in registry.db.rows(
            "SELECT case_iri, snapshot_sha FROM routes WHERE source=? AND state='live'", (source.name,)
        )
    }
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


def publish_report(registry: Registry, source: Source, run: Run) -> None:
    """The run into the reports graph and the source's health into the provenance graph."""
    base = registry.settings.base_url
    latest = registry.reports.runs(source.name, limit=1)[0]
    subjects, triples = run_triples(base, latest, registry.settings.language)
    me = ox.NamedNode(source_iri(base, source.name))
    state = registry.checkpoints.state(source.name)
    health = [
        ox.Triple(me, RDF_TYPE, t.STF_SOURCE_CLASS),
        ox.Triple(me, DCT_TITLE, ox.Literal(source.name)),
        ox.Triple(me, DCT_SOURCE, ox.NamedNode(source.url)),
        ox.Triple(me, t.STF_STALE, ox.Literal(str(bool(state.get("stale"))).lower(), datatype=XSD_BOOLEAN)),
    ]
    if state.get("last_good"):
        health.append(ox.Triple(me, t.STF_LAST_GOOD, timestamp(state["last_good"])))
    try:
        batch = registry.backend.batch()  # one store transaction for the report and the health
        batch.replace_about(registry.reports_graph, subjects, triples)
        batch.replace_about(registry.prov_graph, [me.value], health)
        batch.commit()
    except Problem as problem:  # the store being down must not lose the SQLite report
        run.error = run.error or problem.detail
