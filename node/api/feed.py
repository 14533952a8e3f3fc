"""The change feed: a strict profile of LDES 1.0 on TREE (see docs/protocol.md).

Paging is by sequence number, not by wall-clock: page k holds the changes whose `seq` lies in
[k*N + 1, (k+1)*N] (N = `feed_page_size`). Because `seq` only grows, a page whose block has been
filled can never change again: it is *closed*, answers `ldes:immutable true` and
`Cache-Control: immutable`. The one open page and the root answer short-lived, ETag-guarded
responses behind a per-client token bucket, since naive followers poll them every second.

Every IRI is absolute and built from the configured public base URL (rule 1 in the protocol
notes: a client that fetched a different spelling silently finds nothing), and page IRIs are
`<base>feed/<k>` (no ":" anywhere a JSON-LD processor could read as a relative IRI, rule 2).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import orjson
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from stafett import ldes
from stafett.feed_html import HTML
from stafett.ldes import FEED_FORMATS, IMMUTABLE
from stafett.node.api.handoff import HtmlPages
from stafett.node.api.http import READ_HEADERS, etag_of, negotiate, not_modified, read_route, refusal
from stafett.problems import Problem
from stafett.vocabulary.terms import RDF_TYPE, XSD_INTEGER, prefixes
from stafett.web import not_acceptable

# The inline context of a JSON-LD page and the prefixes of TriG ones.
PREFIXES = prefixes("ldes", "tree", "as", "xsd", "dcat", "dct")
FORMAT_ALIASES = {
    "trig": "application/trig",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
    "json": "application/ld+json",
}
SHORT = "public, max-age={seconds}"
SHAPES_FILE = "case-shapes.ttl"
CLOSED_PAGES_CACHED = 64  # serialized closed pages kept in memory (per format)
# Relation node names (`<root>#greaterthanorequalto-3`): stable, so the root's bytes and ETag only
# change when the feed does.
RELATION_NAMES = {ldes.TREE_GTE: "greaterthanorequalto", ldes.TREE_LT: "lessthan"}


class TokenBucket:
    """Per-client request budget: `burst` requests at once, refilled at `rate` per second."""

    def __init__(self, burst: int, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may proceed, else the seconds until a token is available."""
        now = time.monotonic()
        with self.lock:
            tokens, then = self.buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                if len(self.buckets) > 10_000:  # forget idle clients rather than grow forever
                    self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 60}
                return 0.0
            self.buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate


@dataclass(frozen=True)
class PageBounds:
    index: int
    first_published: str  # as:published of the page's first member
    end_published: str | None  # exclusive upper bound once the page is closed


class Feed:
    """Builds the stream description, the root view, pages and the current-state resource."""

    def __init__(self, settings, store) -> None:
        self.settings, self.store = settings, store
        self.size = settings.feed_page_size
        base = settings.base_url
        self.root_iri = f"{base}feed"
        self.stream = ox.NamedNode(f"{base}feed#stream")
        self.shapes_iri = f"{base}shapes/{SHAPES_FILE}"
        self.closed_bounds: dict[int, PageBounds] = {}  # closed pages never change: memoise
        self.root_memo: tuple[int, list[ox.Quad]] | None = None  # the root changes only with a new change
        self.lock = threading.Lock()

    # -- structure -------------------------------------------------------------------------
    def page_iri(self, index: int) -> str:
        return f"{self.settings.base_url}feed/{index}"

    def page_of(self, seq: int) -> int:
        return (seq - 1) // self.size

    def block(self, index: int) -> tuple[int, int]:
        """[start, end) sequence numbers of page `index`."""
        return index * self.size + 1, (index + 1) * self.size + 1

    def last_seq(self) -> int:
        last = self.store.change_bounds()[1]
        return last.seq if last is not None else 0

    def is_closed(self, index: int, last_seq: int) -> bool:
        """Closed once the last sequence number of its block has been used: nothing can join it.

        Pages carry no links of their own (only the root links pages), so a closed page's bytes
        depend on its members alone. Links from page to page made the stock client reach a page
        by two routes and emit its members twice.
        """
        return last_seq >= self.block(index)[1] - 1

    def members(self, index: int) -> list:
        start, end = self.block(index)
        return [c for c in self.store.changes_after(start - 1, self.size) if c.seq < end]

    def bounds(self, index: int, last_seq: int) -> PageBounds | None:
        """Time bounds of a page, or None when no change falls into its block.

        The upper bound of a closed page is its last member's time + 1 ms, which depends on
        the page alone, so the value never changes once the page is closed.
        """
        with self.lock:
            if index in self.closed_bounds:
                return self.closed_bounds[index]
        members = self.members(index)
        if not members:
            return None
        closed = self.is_closed(index, last_seq)
        upper = ldes.just_after(members[-1].published) if closed else None
        result = PageBounds(index, members[0].published, upper)
        if closed:
            with self.lock:
                self.closed_bounds[index] = result
        return result

    # -- RDF -------------------------------------------------------------------------------
    def stream_quads(self) -> list[ox.Quad]:
        s = self.stream
        return [
            ox.Quad(s, RDF_TYPE, ldes.LDES_STREAM),
            ox.Quad(s, ldes.LDES_TIMESTAMP_PATH, ldes.AS_PUBLISHED),
            ox.Quad(s, ldes.LDES_VERSION_OF, ldes.AS_OBJECT),
            ox.Quad(s, ldes.LDES_CREATE, ldes.AS_CREATE),
            ox.Quad(s, ldes.LDES_UPDATE, ldes.AS_UPDATE),
            ox.Quad(s, ldes.LDES_DELETE, ldes.AS_DELETE),
            ox.Quad(
                s, ldes.LDES_POLLING, ox.Literal(str(self.settings.polling_interval), datatype=XSD_INTEGER)
            ),
            ox.Quad(s, ldes.TREE_SHAPE, ox.NamedNode(self.shapes_iri)),
            ox.Quad(s, ldes.TREE_VIEW, ox.NamedNode(self.root_iri)),
        ]

    def relation_quads(self, node: str, bounds: PageBounds) -> list[ox.Quad]:
        """A >= relation and, for a closed page, the matching < relation, both to the page."""
        pairs = [(ldes.TREE_GTE, bounds.first_published)]
        if bounds.end_published:
            pairs.append((ldes.TREE_LT, bounds.end_published))
        quads = []
        for kind, value in pairs:
            relation = ox.NamedNode(f"{node}#{RELATION_NAMES[kind]}-{bounds.index}")
            quads += ldes.relation_quads(node, relation, kind, value, self.page_iri(bounds.index))
        return quads

    def root(self) -> tuple[list[ox.Quad], str]:
        last_seq = self.last_seq()
        memo = self.root_memo
        if memo is not None and memo[0] == last_seq:
            return memo[1], f"root-{last_seq}"
        quads = self.stream_quads()
        quads.append(ox.Quad(ox.NamedNode(self.root_iri), RDF_TYPE, ldes.TREE_NODE_CLASS))
        for index in range(self.page_of(last_seq) + 1 if last_seq else 0):
            bounds = self.bounds(index, last_seq)
            if bounds is not None:
                quads += self.relation_quads(self.root_iri, bounds)
        self.root_memo = (last_seq, quads)
        return quads, f"root-{last_seq}"

    def page_status(self, index: int) -> tuple[bool, bool, str]:
        """(exists, closed, version tag) of page `index`, without reading its members."""
        last_seq = self.last_seq()
        if last_seq == 0 or index > self.page_of(last_seq):
            return False, False, ""
        closed = self.is_closed(index, last_seq)
        return True, closed, f"page-{index}-{'closed' if closed else last_seq}"

    def page(self, index: int) -> list[ox.Quad]:
        last_seq = self.last_seq()
        closed = self.is_closed(index, last_seq)
        node = ox.NamedNode(self.page_iri(index))
        quads = [*self.stream_quads()[:1], ox.Quad(node, RDF_TYPE, ldes.TREE_NODE_CLASS)]
        if closed:
            quads.append(ox.Quad(node, ldes.LDES_IMMUTABLE, ox.Literal(True)))
        for change in self.members(index):
            quads += self.member_quads(index, change)
        return quads

    def member_quads(self, index: int, change) -> list[ox.Quad]:
        activity = ox.NamedNode(f"{self.page_iri(index)}#change-{change.seq}")
        quads = [
            ox.Quad(self.stream, ldes.TREE_MEMBER, activity),
            ox.Quad(activity, RDF_TYPE, ldes.KIND_IRIS[change.kind]),
            ox.Quad(activity, ldes.AS_OBJECT, ox.NamedNode(change.case_iri)),
            ox.Quad(activity, ldes.AS_PUBLISHED, ldes.timestamp(change.published)),
        ]
        if change.ntriples:
            quads += [
                ox.Quad(t.subject, t.predicate, t.object, activity)
                for t in ox.parse(change.ntriples, ox.RdfFormat.N_TRIPLES)
            ]
        return quads

    def state(self) -> dict:
        rows = self.store.current_state()
        return {
            "stream": self.stream.value,
            "lastSeq": self.last_seq(),
            "count": len(rows),
            "cases": [{"id": iri, "sha256": digest} for iri, digest in rows],
        }


def serialize(quads: list[ox.Quad], media_type: str) -> bytes:
    fmt = FEED_FORMATS[media_type]
    if fmt == ox.RdfFormat.JSON_LD:
        # pyoxigraph writes expanded JSON-LD; wrap it with an inline prefix context so the
        # document stands alone (no remote context for a client to fetch).
        expanded = orjson.loads(ox.serialize(quads, format=fmt))
        return orjson.dumps({"@context": PREFIXES, "@graph": expanded})
    return ox.serialize(quads, format=fmt, prefixes=PREFIXES)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def routes(settings, store, html: HtmlPages | None = None) -> list[Route]:
    """The feed's routes; with `html`, a browser that prefers text/html gets a page for people
    (TriG stays the answer to no Accept, `*/*` and every feed client: text/html is offered last)."""
    feed = Feed(settings, store)
    offered = [*FEED_FORMATS, *([HTML] if html is not None else [])]
    bucket = TokenBucket(settings.feed_burst, settings.feed_rate)
    max_age = max(1, min(settings.polling_interval, 30))

    def throttled(request: Request) -> Response | None:
        wait = bucket.take(client_key(request))
        if not wait:
            return None
        retry = max(1, int(wait + 0.999))
        return refusal(
            Problem(
                429,
                "too-many-requests",
                "Too many requests",
                f"this client polls the feed too often; retry after {retry} s "
                f"(the stream suggests ldes:pollingInterval {settings.polling_interval} s)",
                headers={"Retry-After": str(retry)},
            )
        )

    closed_bodies: OrderedDict[tuple[str, str], bytes] = OrderedDict()  # closed pages never change

    def body_of(build: Callable[[], list[ox.Quad]], media_type: str, tag: str, closed: bool) -> bytes:
        if not closed:
            return serialize(build(), media_type)
        key = (tag, media_type)
        with feed.lock:
            if key in closed_bodies:
                closed_bodies.move_to_end(key)
                return closed_bodies[key]
        body = serialize(build(), media_type)
        with feed.lock:
            closed_bodies[key] = body
            while len(closed_bodies) > CLOSED_PAGES_CACHED:
                closed_bodies.popitem(last=False)
        return body

    def answer(request: Request, build, tag: str, closed: bool = False, page: int | None = None) -> Response:
        media_type = negotiate(request, offered, FORMAT_ALIASES)
        if media_type is None:
            return refusal(not_acceptable("the feed", offered))
        if media_type == HTML and html is not None:
            return for_people(request, build, page)
        etag = etag_of(f"{tag}|{media_type}")
        headers = {
            "ETag": etag,
            "Cache-Control": IMMUTABLE if closed else SHORT.format(seconds=max_age),
            "Vary": "Accept",
            **READ_HEADERS,
        }
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body_of(build, media_type, tag, closed), media_type=media_type, headers=headers)

    def for_people(request: Request, build, page: int | None) -> HTMLResponse:
        """Words depend on Accept-Language, so the page is not shared with the RDF caches."""
        root_quads = feed.root()[0]
        url = feed.root_iri if page is None else feed.page_iri(page)
        body = html.feed(root_quads, None if page is None else build(), url, request)  # type: ignore[union-attr]
        headers = {
            "Cache-Control": SHORT.format(seconds=max_age),
            "Vary": "Accept, Accept-Language",
            **READ_HEADERS,
        }
        return HTMLResponse(body, headers=headers)

    async def root(request: Request) -> Response:
        limited = throttled(request)
        if limited:
            return limited
        quads, tag = feed.root()
        return answer(request, lambda: quads, tag)

    async def page(request: Request) -> Response:
        index = request.path_params["index"]
        exists, closed, tag = feed.page_status(index)
        if not exists:
            return refusal(
                Problem(
                    404,
                    "no-such-page",
                    "No such feed page",
                    f"page {index} lies beyond the end of the feed; start at {feed.root_iri}",
                )
            )
        if not closed:
            limited = throttled(request)
            if limited:
                return limited
        return answer(request, lambda: feed.page(index), tag, closed, page=index)

    async def state(request: Request) -> Response:
        limited = throttled(request)
        if limited:
            return limited
        body = orjson.dumps(feed.state(), option=orjson.OPT_INDENT_2)
        etag = etag_of(hashlib.sha256(body).hexdigest())
        headers = {"ETag": etag, "Cache-Control": SHORT.format(seconds=max_age), **READ_HEADERS}
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    async def shapes(request: Request) -> Response:
        body = resources.files("stafett.shapes").joinpath(SHAPES_FILE).read_bytes()
        etag = etag_of(hashlib.sha256(body).hexdigest())
        headers = {"ETag": etag, "Cache-Control": "public, max-age=86400", **READ_HEADERS}
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/turtle", headers=headers)

    return [
        read_route("/feed", root),
        read_route("/feed/state", state),
        read_route("/feed/{index:int}", page),
        read_route(f"/shapes/{SHAPES_FILE}", shapes),
    ]
