"""HTTP shared by the node's read routes: negotiation, conditional GETs, CORS, refusals.

Every read resource (cases, list, catalogue, feed, context) answers the same way: `?format=` or
Accept picks the format, an ETag (and Last-Modified) gives 304s, any origin may read it, and a
refusal is problem+json with the same CORS headers through the one HTTP edge (stafett/web.py).
"""

from __future__ import annotations

import hashlib
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett.headers import best_media_type
from stafett.node.store import parse_time
from stafett.problems import Problem
from stafett.vocabulary.terms import prefixes
from stafett.web import cors_headers, preflight_headers, problem_response

FORMAT_ALIASES = {
    "jsonld": "application/ld+json",
    "json": "application/ld+json",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "html": "text/html",
}
TURTLE_PREFIXES = prefixes("stf", "dct", "dcat", "adms", "foaf", "org", "vcard", "epo", "xsd", "hydra")
READ_HEADERS = cors_headers(("ETag", "Last-Modified", "Link"))


def negotiate(
    request: Request, offered: list[str], aliases: dict[str, str], ties: tuple[str, ...] | None = None
) -> str | None:
    """The offered media type the client prefers (`?format=` wins), None if none is acceptable.

    `offered[0]` answers no Accept and bare wildcards; `ties` orders equal-q types the client
    named (see stafett.headers.best_media_type).
    """
    if request.scope.get("query_string"):  # skip building query_params on the common bare GET
        wanted = request.query_params.get("format")
        if wanted:
            wanted = aliases.get(wanted.lower(), wanted.lower())
            return wanted if wanted in offered else None
    return best_media_type(request.headers.get("accept", "").strip(), tuple(offered), ties)


@lru_cache(maxsize=4096)
def etag_of(tag: str) -> str:
    return '"' + hashlib.sha256(tag.encode()).hexdigest()[:32] + '"'


@lru_cache(maxsize=4096)
def http_date(xsd_datetime: str) -> str:
    return format_datetime(parse_time(xsd_datetime).replace(microsecond=0), usegmt=True)


def not_modified(request: Request, etag: str, last_modified: str | None = None) -> bool:
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = request.headers.get("if-modified-since")
    if ims and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


def refusal(problem: Problem) -> Response:
    """A read route's refusal: problem+json, open to cross-origin readers like the answers."""
    return problem_response(problem, READ_HEADERS)


PREFLIGHT_HEADERS = preflight_headers(
    ("GET", "HEAD"), ("Accept", "Accept-Language", "If-None-Match", "If-Modified-Since")
)


def read_route(path: str, endpoint) -> Route:
    """A GET/HEAD route that also answers CORS preflight (OPTIONS) for cross-origin readers."""

    async def answer(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT_HEADERS)
        return await endpoint(request)

    return Route(path, answer, methods=["GET", "HEAD", "OPTIONS"])
