"""How the registry's read routes answer: content negotiation, ETags, CORS, 406 problems.

Every route of harvester/api/ answers 406 (problem+json naming what is offered) when the client
accepts none of its formats, and carries CORS headers (and answers preflight) so browser
clients can follow the feed and read the reports.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from stafett import web
from stafett.headers import best_media_type
from stafett.ldes import FEED_FORMATS
from stafett.web import cors_headers, preflight_headers, problem_response

SHORT = "public, max-age=5"  # root, open page, state and description change with every harvest
JSON = "application/json"
EXPOSED = ("ETag", "Link", "Location", "Retry-After", "Vary", "Result-Limit", "Result-Total")
CORS_HEADERS = cors_headers(EXPOSED)
PREFLIGHT_HEADERS = preflight_headers(
    ["GET", "HEAD", "OPTIONS"], ["Accept", "If-None-Match", "If-Modified-Since"], EXPOSED
)


def negotiate(request: Request, offered: list[str]) -> str | None:
    """The offered media type the client prefers (stafett.headers); None when none is acceptable."""
    return best_media_type(request.headers.get("accept"), offered)


def not_acceptable(what: str, offered: list[str]) -> Response:
    return problem_response(web.not_acceptable(what, offered))


def rdf_response(
    request: Request, quads: list[ox.Quad], cache: str, what: str, formats: dict = FEED_FORMATS
) -> Response:
    media = negotiate(request, list(formats))
    if media is None:
        return not_acceptable(what, list(formats))
    body = ox.serialize(quads, format=formats[media])
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept"}
    if etag in [e.strip() for e in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def json_response(request: Request, document: dict, what: str, headers: dict | None = None) -> Response:
    if negotiate(request, [JSON]) is None:
        return not_acceptable(what, [JSON])
    return JSONResponse(document, headers={"Vary": "Accept", **(headers or {})})


def read_route(path: str, endpoint) -> Route:
    """A GET/HEAD route whose every answer carries CORS headers; OPTIONS is the preflight."""

    def answer(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT_HEADERS)
        response = endpoint(request)
        response.headers.update(CORS_HEADERS)
        return response

    return Route(path, answer, methods=["GET", "HEAD", "OPTIONS"])
