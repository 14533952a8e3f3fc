"""Reading cases: each published case at its IRI, a paged list, and the shared context.

Every resource negotiates its format (Accept, or `?format=` for links people paste), answers
conditional GETs with 304, is open to cross-origin reads (no credentials), and varies on
Accept and Accept-Language. A deleted case answers 410 with a tombstone; a draft or unknown
one 404, so drafts are indistinguishable from nothing.
"""

from __future__ import annotations

import hashlib

import orjson
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett.digits import ascii_digits
from stafett.lru import LRU
from stafett.node.api.handoff import HtmlPages
from stafett.node.api.http import (
    FORMAT_ALIASES,
    READ_HEADERS,
    TURTLE_PREFIXES,
    etag_of,
    http_date,
    negotiate,
    not_modified,
    read_route,
    refusal,
)
from stafett.node.messages import ui_language
from stafett.problems import Problem
from stafett.vocabulary.jsonld import context_bytes, context_document
from stafett.vocabulary.terms import prefixes
from stafett.web import not_acceptable

CASE_FORMATS = [
    "application/ld+json",
    "text/turtle",
    "application/n-triples",
    "text/html",
    "application/json",
    "text/plain",
]  # text/plain: N-Triples' old type (rdflib's "nt" asks it)
LIST_FORMATS = ["application/ld+json", "text/turtle", "text/html", "application/json"]
# Equal-q types a client names (rdflib lists every parser it has at q=1): RDF that stands alone first.
CASE_TIES = ("text/turtle", "application/n-triples", "application/ld+json", "text/html", "application/json")
LIST_TIES = ("text/turtle", "application/ld+json", "text/html", "application/json")
CASE_CACHE = "public, max-age=60"
CASE_PATH = "/case/{slug}"
CONTEXT_PATH = "context/v1"  # under the base URL; the node's copy of the shared context
JSON_LD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"  # a link relation (RFC 8288), not a vocabulary
RENDERED_CASES = 1024  # case bodies kept rendered (per format and language)


def turtle_of(ntriples: bytes) -> bytes:
    return ox.serialize(
        ox.parse(ntriples, ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES
    )


# -- cases ----------------------------------------------------------------------------------
def self_contained(document: dict) -> dict:
    """The case with the shared context inlined: any JSON-LD client expands it with no fetch and
    no cache, and the quads are the ones the feed publishes (the context is the same)."""
    return {**document, "@context": context_document()["@context"]}


def plain_json(document: dict) -> dict:
    """The case without `@context`, for application/json: the Link header carries the context."""
    return {key: value for key, value in document.items() if key != "@context"}


def context_link(settings) -> str:
    return f'<{settings.base_url}{CONTEXT_PATH}>; rel="{JSON_LD_CONTEXT_REL}"; type="application/ld+json"'


def case_body(record, media_type: str, request: Request, pages: HtmlPages) -> tuple[bytes, str]:
    if media_type == "application/ld+json":
        return orjson.dumps(self_contained(record.document), option=orjson.OPT_INDENT_2), media_type
    if media_type == "application/json":
        return orjson.dumps(plain_json(record.document), option=orjson.OPT_INDENT_2), media_type
    if media_type == "text/turtle":
        return turtle_of(record.ntriples), "text/turtle; charset=utf-8"
    if media_type in ("application/n-triples", "text/plain"):
        return record.ntriples, "application/n-triples"
    return pages.case(record.document, request).encode(), "text/html; charset=utf-8"


def case_response(request: Request, settings, record, pages: HtmlPages, cache: LRU | None = None) -> Response:
    media_type = negotiate(request, CASE_FORMATS, FORMAT_ALIASES, CASE_TIES)
    if media_type is None:
        return refusal(not_acceptable("a case", CASE_FORMATS, " (or ?format=jsonld|ttl|nt|html)"))
    language = request.headers.get("accept-language", "") if media_type == "text/html" else ""
    etag = (
        record.etag
        if media_type == "application/ld+json"
        else etag_of(f"{record.etag}|{media_type}|{language}")
    )
    last_modified = http_date(record.modified)
    headers = {
        **READ_HEADERS,
        "ETag": etag,
        "Last-Modified": last_modified,
        "Vary": "Accept, Accept-Language",
        "Cache-Control": CASE_CACHE,
    }
    if media_type == "application/json":  # JSON-LD 1.1 section 6.1: how plain JSON names its context
        headers["Link"] = context_link(settings)
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    key = (record.iri, record.etag, record.modified, media_type, language)
    rendered = cache.get(key) if cache is not None else None
    if rendered is None:
        rendered = case_body(record, media_type, request, pages)
        if cache is not None:
            cache.put(key, rendered)
    body, content_type = rendered
    return Response(body, headers={**headers, "Content-Type": content_type})


def gone_response(request: Request, settings, record, pages: HtmlPages) -> Response:
    detail = (
        f"the case {record.iri} was deleted at {record.modified}; "
        f"its tombstone stays in the change feed at {settings.base_url}feed"
    )
    headers = {"Vary": "Accept, Accept-Language", "Last-Modified": http_date(record.modified)}
    if negotiate(request, ["application/problem+json", "text/html"], FORMAT_ALIASES) == "text/html":
        page = pages.gone(record.iri, record.modified, request)
        return Response(page, status_code=410, media_type="text/html", headers={**READ_HEADERS, **headers})
    return refusal(Problem(410, "gone", "This case has been deleted", detail, headers=headers))


def not_found(what: str) -> Response:
    return refusal(
        Problem(
            404, "not-found", "No such case", f"there is no published case at {what}; see the list at /cases"
        )
    )


# -- the paged list -------------------------------------------------------------------------
def list_document(settings, store, page: int) -> dict:
    size = settings.page_size
    total = store.count_published()
    last = max(1, -(-total // size))
    records = store.list_published((page - 1) * size, size)
    base = f"{settings.base_url}cases"
    view = {
        "@id": f"{base}?page={page}",
        "@type": "hydra:PartialCollectionView",
        "hydra:first": {"@id": f"{base}?page=1"},
        "hydra:last": {"@id": f"{base}?page={last}"},
    }
    if page > 1:
        view["hydra:previous"] = {"@id": f"{base}?page={page - 1}"}
    if page < last:
        view["hydra:next"] = {"@id": f"{base}?page={page + 1}"}
    return {
        "@context": {
            **prefixes("hydra", "dct", "xsd"),
            "title": {"@id": "dct:title", "@container": "@language"},
            "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
        },
        "@id": base,
        "@type": "hydra:Collection",
        "hydra:totalItems": total,
        "hydra:member": [
            {"@id": r.iri, "title": r.document.get("title", {}), "modified": r.modified} for r in records
        ],
        "hydra:view": view,
    }


def routes(settings, store, pages: HtmlPages, cache: LRU | None = None) -> list[Route]:
    """A case at its IRI, the paged list and the context; `pages` renders their HTML answers."""
    # Rendered case bodies, so a hot case is not re-serialised on every GET. The key carries the
    # record's ETag and modified time (both change on every write, delete included), so an entry
    # is only ever found for the exact version it was rendered from; outdated ones age out.
    cache = cache if cache is not None else LRU(RENDERED_CASES)

    async def case(request: Request) -> Response:
        iri = settings.case_iri(request.path_params["slug"])
        record = store.get_case(iri)
        if record is None or record.state == "draft":
            return not_found(iri)
        if record.state == "deleted":
            return gone_response(request, settings, record, pages)
        return case_response(request, settings, record, pages, cache)

    async def cases(request: Request) -> Response:
        raw = request.query_params.get("page", "1")
        if not ascii_digits(raw) or not 1 <= int(raw) <= 10**9:
            return refusal(
                Problem(
                    400,
                    "bad-page",
                    "Bad page number",
                    f"page must be a whole number from 1 to 10^9; got {raw[:20]!r}",
                )
            )
        page = int(raw)
        media_type = negotiate(request, LIST_FORMATS, FORMAT_ALIASES, LIST_TIES)
        if media_type is None:
            return refusal(not_acceptable("the list", LIST_FORMATS))
        document = list_document(settings, store, page)
        lang = ui_language(request.headers.get("accept-language"), settings.languages)
        etag = etag_of(f"{store.last_modified()}|{page}|{media_type}|{lang}")
        headers = {
            **READ_HEADERS,
            "ETag": etag,
            "Vary": "Accept, Accept-Language",
            "Cache-Control": CASE_CACHE,
        }
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        if media_type == "text/html":
            body, content_type = pages.cases(document, page, request), "text/html"
        elif media_type == "text/turtle":
            quads = ox.parse(orjson.dumps(document), ox.RdfFormat.JSON_LD)
            body = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
            content_type = "text/turtle"
        else:
            body, content_type = orjson.dumps(document, option=orjson.OPT_INDENT_2), "application/ld+json"
        return Response(body, media_type=content_type, headers=headers)

    async def context(request: Request) -> Response:
        body = context_bytes()
        etag = etag_of(hashlib.sha256(body).hexdigest())
        headers = {**READ_HEADERS, "ETag": etag, "Cache-Control": "public, max-age=86400"}
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/ld+json", headers=headers)

    return [
        read_route(CASE_PATH, case),
        Route("/cases", cases, methods=["GET", "HEAD"]),  # POST /cases belongs to the write API
        read_route("/" + CONTEXT_PATH, context),
        read_route(f"/{CONTEXT_PATH}.jsonld", context),
    ]
