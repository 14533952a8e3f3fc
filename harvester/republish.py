"""The registry's own LDES feed (same profile as a node's) plus its description, state and reports.

Every change to the registry's view of a case becomes one member: an activity minted under the
registry's base with its own strictly increasing `as:published`, `prov:wasDerivedFrom` the
origin activity, `dct:source` the origin stream, `prov:generatedAtTime` the harvest time, and
`GRAPH <activity>` holding the origin's snapshot triples unchanged. Pages hold `feed_page_size`
members; a full page with a successor is closed: `ldes:immutable true` and an immutable
Cache-Control header. Root and open page carry ETags and answer 304.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pyoxigraph as ox
from stafett.harvester import terms as t
from stafett.harvester.reports import source_iri
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from stafett.problems import PROBLEM_MEDIA_TYPE, Problem

if TYPE_CHECKING:
    from stafett.harvester.admit import Decision
    from stafett.harvester.registry import Registry

FORMATS = {
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
IMMUTABLE = "public, max-age=604800, immutable"
SHORT = "public, max-age=5"


class Feed:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.base = registry.settings.base_url
        self.size = registry.settings.feed_page_size

    @property
    def stream(self) -> str:
        return self.base + "feed#stream"

    @property
    def root(self) -> str:
        return self.base + "feed"

    def page_url(self, k: int) -> str:
        return f"{self.base}feed/page/{k}"

    def activity(self, seq: int) -> str:
        return f"{self.base}feed/activity/{seq}"

    def append(
        self, tx, kind: str, case: str, decision: Decision, snapshot: list[ox.Triple], now: str
    ) -> None:
        """Add a member inside the caller's transaction; as:published strictly increases."""
        last = tx.execute("SELECT published FROM feed ORDER BY seq DESC LIMIT 1").fetchone()
        moment = datetime.now(UTC)
        if last and datetime.fromisoformat(last[0]) >= moment:
            moment = datetime.fromisoformat(last[0]) + timedelta(microseconds=1)
        payload = ox.serialize(snapshot, format=ox.RdfFormat.N_TRIPLES).decode() if snapshot else ""
        tx.execute(
            "INSERT INTO feed(published, kind, case_iri, origin_activity, origin_stream, harvested_at, "
            "payload) VALUES (?,?,?,?,?,?,?)",
            (
                moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                kind,
                case,
                decision.origin_activity,
                decision.origin_stream,
                now,
                payload,
            ),
        )

    def count(self) -> int:
        return self.registry.db.one("SELECT COUNT(*) FROM feed")[0]

    def entries(self, k: int) -> list:
        return self.registry.db.rows(
            "SELECT * FROM feed WHERE seq > ? AND seq <= ? ORDER BY seq", (k * self.size, (k + 1) * self.size)
        )

    def first_published(self, k: int) -> str | None:
        row = self.registry.db.one(
            "SELECT published FROM feed WHERE seq > ? ORDER BY seq LIMIT 1", (k * self.size,)
        )
        return row[0] if row else None

    def pages(self) -> int:
        return max(1, -(-self.count() // self.size))

    def relation(self, page: str, kind: ox.NamedNode, value: str, target: str) -> list[ox.Quad]:
        rel = ox.BlankNode("r" + hashlib.sha256(f"{page}{target}".encode()).hexdigest()[:16])  # stable ETags
        p = ox.NamedNode(page)
        return [
            ox.Quad(p, t.TREE_RELATION, rel),
            ox.Quad(rel, t.RDF_TYPE, kind),
            ox.Quad(rel, t.TREE_PATH, t.AS_PUBLISHED),
            ox.Quad(rel, t.TREE_VALUE, t.dt(value)),
            ox.Quad(rel, t.TREE_NODE, ox.NamedNode(target)),
        ]

    def stream_quads(self) -> list[ox.Quad]:
        s = ox.NamedNode(self.stream)
        return [
            ox.Quad(s, t.RDF_TYPE, t.LDES_STREAM),
            ox.Quad(s, t.TREE_VIEW, ox.NamedNode(self.root)),
            ox.Quad(s, t.LDES_TIMESTAMP_PATH, t.AS_PUBLISHED),
            ox.Quad(s, t.LDES_VERSION_OF, t.AS_OBJECT),
            ox.Quad(s, t.n(t.LDES + "versionCreateObject"), t.AS_CREATE),
            ox.Quad(s, t.n(t.LDES + "versionUpdateObject"), t.AS_UPDATE),
            ox.Quad(s, t.n(t.LDES + "versionDeleteObject"), t.AS_DELETE),
            ox.Quad(s, t.LDES_POLLING, ox.Literal("60", datatype=t.XSD_INTEGER)),
        ]

    def root_quads(self) -> list[ox.Quad]:
        out = [*self.stream_quads(), ox.Quad(ox.NamedNode(self.root), t.RDF_TYPE, t.TREE_NODE_CLASS)]
        first = self.first_published(0)
        if first:
            out += self.relation(self.root, t.TREE_GTE, first, self.page_url(0))
        return out

    def page_quads(self, k: int) -> tuple[list[ox.Quad], bool]:
        url = self.page_url(k)
        out = [ox.Quad(ox.NamedNode(url), t.RDF_TYPE, t.TREE_NODE_CLASS)]
        following = self.first_published(k + 1)
        if following:
            out += self.relation(url, t.TREE_GTE, following, self.page_url(k + 1))
            out.append(
                ox.Quad(ox.NamedNode(url), t.LDES_IMMUTABLE, ox.Literal("true", datatype=t.XSD_BOOLEAN))
            )
        if k > 0:
            out += self.relation(url, t.TREE_LT, self.first_published(k), self.page_url(k - 1))
        for row in self.entries(k):
            out += member_quads(self.stream, self.activity(row["seq"]), row)
        return out, following is not None


def member_quads(stream: str, activity: str, row) -> list[ox.Quad]:
    act = ox.NamedNode(activity)
    out = [
        ox.Quad(ox.NamedNode(stream), t.TREE_MEMBER, act),
        ox.Quad(act, t.RDF_TYPE, t.KIND_IRIS[row["kind"]]),
        ox.Quad(act, t.AS_OBJECT, ox.NamedNode(row["case_iri"])),
        ox.Quad(act, t.AS_PUBLISHED, t.dt(row["published"])),
        ox.Quad(act, t.PROV_DERIVED, ox.NamedNode(row["origin_activity"])),
        ox.Quad(act, t.PROV_GENERATED_AT, t.dt(row["harvested_at"])),
    ]
    if row["origin_stream"]:
        out.append(ox.Quad(act, t.DCT_SOURCE, ox.NamedNode(row["origin_stream"])))
    if row["payload"]:
        out += [
            ox.Quad(tr.subject, tr.predicate, tr.object, act)
            for tr in ox.parse(row["payload"].encode(), ox.RdfFormat.N_TRIPLES)
        ]
    return out


def negotiate(request: Request) -> str:
    """Pick TriG, N-Quads or JSON-LD from Accept (q-values honoured); TriG by default."""
    best, best_q = "application/trig", 0.0
    for part in request.headers.get("accept", "").split(","):
        bits = [b.strip() for b in part.split(";")]
        q = next(
            (float(b[2:]) for b in bits[1:] if b.startswith("q=") and b[2:].replace(".", "", 1).isdigit()),
            1.0,
        )
        if bits[0] in FORMATS and q > best_q:
            best, best_q = bits[0], q
    return best


def rdf_response(request: Request, quads: list[ox.Quad], cache: str) -> Response:
    media = negotiate(request)
    body = ox.serialize(quads, format=FORMATS[media])
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept"}
    if etag in [e.strip() for e in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def problem_response(problem: Problem) -> JSONResponse:
    return JSONResponse(problem.as_dict(), status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE)


def routes(registry: Registry) -> list[Route]:
    """Starlette routes the web app (harvester/app.py) mounts: description, feed, state, reports."""
    feed = Feed(registry)

    def description(request: Request) -> Response:
        accept = request.headers.get("accept", "")
        if "text/html" in accept and not any(media in accept for media in FORMATS):
            return RedirectResponse(registry.settings.base_url + "query", 303)  # people get the query page
        me = ox.NamedNode(registry.settings.base_url)
        quads = [
            ox.Quad(me, t.RDF_TYPE, t.n(t.DCAT + "Catalog")),
            ox.Quad(me, t.DCT_TITLE, ox.Literal(registry.settings.title, language="en")),
            ox.Quad(me, t.n(t.DCAT + "endpointURL"), ox.NamedNode(registry.settings.base_url + "sparql")),
            *feed.stream_quads(),
        ]
        for source in registry.sources:
            quads.append(
                ox.Quad(me, t.DCT_SOURCE, ox.NamedNode(source_iri(registry.settings.base_url, source.name)))
            )
        return rdf_response(request, quads, SHORT)

    def root(request: Request) -> Response:
        return rdf_response(request, feed.root_quads(), SHORT)

    def page(request: Request) -> Response:
        k = request.path_params["k"]
        if k >= feed.pages():
            return problem_response(
                Problem(
                    404,
                    "not-found",
                    "No such feed page",
                    f"the feed has {feed.pages()} pages; start at {feed.root}",
                )
            )
        quads, closed = feed.page_quads(k)
        return rdf_response(request, quads, IMMUTABLE if closed else SHORT)

    def state(request: Request) -> Response:
        rows = registry.db.rows(
            "SELECT c.case_iri, r.snapshot_sha FROM cases c JOIN routes r "
            "ON r.case_iri=c.case_iri AND r.source=c.source WHERE c.state='live' "
            "ORDER BY c.case_iri"
        )
        return JSONResponse(
            {"stream": feed.stream, "cases": [{"id": r[0], "sha256": r[1]} for r in rows]},
            headers={"Cache-Control": SHORT},
        )

    def reports(request: Request) -> Response:
        return JSONResponse({"sources": [registry.source_summary(s) for s in registry.sources]})

    def source_reports(request: Request) -> Response:
        name = request.path_params["source"]
        if registry.source(name) is None:
            return problem_response(
                Problem(
                    404, "not-found", "No such source", f"no source named {name!r}; see /reports for the list"
                )
            )
        return JSONResponse(
            {**registry.source_summary(registry.source(name)), "runs": registry.reports.runs(name)}
        )

    return [
        Route("/", description),
        Route("/feed", root),
        Route("/feed/page/{k:int}", page),
        Route("/feed/state", state),
        Route("/reports", reports),
        Route("/reports/{source}", source_reports),
    ]
