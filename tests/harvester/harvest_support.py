"""Test support for the harvester: a small static LDES feed server (the node profile) on loopback.

It is a stand-in publisher with knobs for counting requests and 304s; real nodes are used in
tests that need them. Feed pages follow protocol-notes.md: root at {base}feed, pages linked by
tree:relation on as:published, members are activities whose named graph holds the snapshot.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from stafett.ldes import (
    AS_OBJECT,
    AS_PUBLISHED,
    KIND_IRIS,
    LDES_IMMUTABLE,
    LDES_STREAM,
    TREE_GTE,
    TREE_LT,
    TREE_MEMBER,
    TREE_NODE_CLASS,
    TREE_VIEW,
    relation_quads,
    timestamp,
)
from stafett.serving import bind, serve_in_thread, url_of
from stafett.vocabulary.jsonld import CONTEXT_URL, json_ld_to_quads
from stafett.vocabulary.terms import RDF_TYPE, XSD_BOOLEAN

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def case_doc(base: str, slug: str, title: str = "Trygghetslarm", version: int = 1, **extra) -> dict:
    """A complete case as a node would publish it (node-set fields included)."""
    return {
        "@context": CONTEXT_URL,
        "id": f"{base}case/{slug}",
        "type": "Case",
        "title": {"sv": title, "en": title},
        "summary": {"sv": "Elbussar i linjetrafik."},
        "need": {"sv": "Fossilfri kollektivtrafik."},
        "status": "pilot",
        "innovationApproach": ["pcp"],
        "sector": ["transport"],
        "country": "SWE",
        "language": ["SWE", "ENG"],
        "cpv": ["34144900"],
        "buyer": [
            {"name": {"sv": "Växjö kommun"}, "orgNumber": "212000-0688", "country": "SWE", "legalType": "la"}
        ],
        "procedure": {"procedureType": "innovation", "jointProcurement": False},
        "startDate": "2021-03-01",
        "openForAdoption": True,
        "publisher": {"id": f"{base}publisher", "name": {"sv": "Växjö kommun"}},
        "issued": "2026-01-01T00:00:00Z",
        "modified": f"2026-01-0{version}T00:00:00Z",
        "version": str(version),
        **extra,
    }


def snapshot(doc: dict) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in json_ld_to_quads(dict(doc))]


def wait_for(condition, timeout: float, what: str, poll: float = 0.1):
    """The condition's first true value, polled until `timeout` s; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll)


def dripping(seconds: float, pause: float = 0.2):
    """A hostile response for `FeedServer.override`: one byte every `pause` s for `seconds` s."""

    def respond(request: Request) -> StreamingResponse:
        async def drip():
            for _ in range(round(seconds / pause)):
                yield b"#"
                await asyncio.sleep(pause)

        return StreamingResponse(drip(), media_type="application/trig")

    return respond


class FeedServer:
    """An LDES publisher serving `events` (kind, case IRI, snapshot triples) on a loopback port."""

    def __init__(self, page_size: int = 3) -> None:
        self.sock = bind()
        self.base = url_of(self.sock)
        self.events: list[dict] = []
        self.page_size = page_size
        self.hits: Counter = Counter()
        self.not_modified: Counter = Counter()
        self.override: dict = {}  # path -> callable(request) -> Response (hostile behaviour)
        self.server = serve_in_thread(self.app(), self.sock)

    def stop(self) -> None:
        self.server.stop()

    @property
    def stream(self) -> str:
        return self.base + "feed#stream"

    def publish(self, kind: str, doc_or_case, *, at: datetime | None = None) -> str:
        seq = len(self.events)
        case = doc_or_case if isinstance(doc_or_case, str) else doc_or_case["id"]
        triples = [] if kind == "Delete" else snapshot(doc_or_case)
        published = at or START + timedelta(minutes=seq)
        activity = f"{self.base}feed/activity/{seq}"
        self.events.append(
            {
                "kind": kind,
                "case": case,
                "triples": triples,
                "activity": activity,
                "published": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        )
        return activity

    def page_url(self, k: int) -> str:
        return f"{self.base}feed/page/{k}"

    def pages(self) -> int:
        return max(1, -(-len(self.events) // self.page_size))

    def page_quads(self, k: int) -> tuple[list[ox.Quad], bool]:
        url = ox.NamedNode(self.page_url(k))
        out = [ox.Quad(url, RDF_TYPE, TREE_NODE_CLASS)]
        chunk = self.events[k * self.page_size : (k + 1) * self.page_size]
        closed = k + 1 < self.pages()
        if closed:
            out += relation(
                url, TREE_GTE, self.events[(k + 1) * self.page_size]["published"], self.page_url(k + 1)
            )
            out.append(ox.Quad(url, LDES_IMMUTABLE, ox.Literal("true", datatype=XSD_BOOLEAN)))
        if k > 0:
            out += relation(url, TREE_LT, chunk[0]["published"], self.page_url(k - 1))
        for event in chunk:
            out += member(self.stream, event)
        return out, closed

    def root_quads(self) -> list[ox.Quad]:
        stream, root = ox.NamedNode(self.stream), ox.NamedNode(self.base + "feed")
        out = [
            ox.Quad(stream, RDF_TYPE, LDES_STREAM),
            ox.Quad(stream, TREE_VIEW, root),
            ox.Quad(root, RDF_TYPE, TREE_NODE_CLASS),
        ]
        if self.events:
            out += relation(root, TREE_GTE, self.events[0]["published"], self.page_url(0))
        return out

    def app(self) -> Starlette:
        def respond(request: Request, quads: list[ox.Quad], closed: bool = False) -> Response:
            self.hits[request.url.path] += 1
            body = ox.serialize(quads, format=ox.RdfFormat.TRIG)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers = {
                "ETag": etag,
                "Cache-Control": "public, max-age=604800, immutable" if closed else "public, max-age=5",
            }
            if request.headers.get("if-none-match") == etag:
                self.not_modified[request.url.path] += 1
                return Response(status_code=304, headers=headers)
            return Response(body, media_type="application/trig", headers=headers)

        def hostile(handler):
            def wrapped(request: Request):
                if request.url.path in self.override:
                    self.hits[request.url.path] += 1
                    return self.override[request.url.path](request)
                return handler(request)

            return wrapped

        def description(request):
            return respond(request, self.root_quads()[:2])

        def root(request):
            return respond(request, self.root_quads())

        def page(request):
            quads, closed = self.page_quads(request.path_params["k"])
            return respond(request, quads, closed)

        def state(request):
            live = {}
            for event in self.events:
                live[event["case"]] = event["triples"] or None
            return JSONResponse({"cases": [{"id": c, "sha256": None} for c, tr in live.items() if tr]})

        return Starlette(
            routes=[
                Route("/", hostile(description)),
                Route("/feed", hostile(root)),
                Route("/feed/page/{k:int}", hostile(page)),
                Route("/feed/state", hostile(state)),
                Route("/{rest:path}", hostile(lambda r: Response(status_code=404))),
            ]
        )


def relation(page: ox.NamedNode, kind: ox.NamedNode, value: str, target: str) -> list[ox.Quad]:
    rel = ox.BlankNode("r" + hashlib.sha256(f"{page}{target}".encode()).hexdigest()[:16])  # stable ETags
    return relation_quads(page.value, rel, kind, value, target)


def member(stream: str, event: dict) -> list[ox.Quad]:
    act = ox.NamedNode(event["activity"])
    out = [
        ox.Quad(ox.NamedNode(stream), TREE_MEMBER, act),
        ox.Quad(act, RDF_TYPE, KIND_IRIS[event["kind"]]),
        ox.Quad(act, AS_OBJECT, ox.NamedNode(event["case"])),
        ox.Quad(act, AS_PUBLISHED, timestamp(event["published"])),
    ]
    return out + [ox.Quad(tr.subject, tr.predicate, tr.object, act) for tr in event["triples"]]


def graph_names(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs()}


def case_graph(store: ox.Store, case: str) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(case)))


def served_registry(tmp_path, name, sources, **settings):
    """A registry on its own loopback port, serving its feed/state/reports routes."""
    from starlette.applications import Starlette

    from stafett.harvester.api import catalogue, feed, reports
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings

    sock = bind()
    settings = {"feed_page_size": 2, **settings}
    registry = Registry(
        RegistrySettings(data_dir=tmp_path / name, base_url=url_of(sock), allow_loopback=True, **settings),
        sources,
    )
    routes = [*catalogue.routes(registry), *feed.routes(registry), *reports.routes(registry)]
    server = serve_in_thread(Starlette(routes=routes), sock)
    return registry, server


def harvest_command(
    data_dir, sources_file, *, base_url: str | None = None, allow_loopback: bool = True
) -> list[str]:
    """`stafett harvest run` as a real subprocess command line."""
    command = [
        sys.executable,
        "-m",
        "stafett",
        "harvest",
        "run",
        "--data-dir",
        str(data_dir),
        "--sources",
        str(sources_file),
    ]
    if base_url:
        command += ["--base-url", base_url]
    return command + (["--allow-loopback"] if allow_loopback else [])
