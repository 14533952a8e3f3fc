"""HTTP side of `/sparql`: the SPARQL 1.1 Protocol (query operation), CORS, problem answers.

Query via GET `?query=`, POST `application/x-www-form-urlencoded` or POST `application/sparql-query`;
`default-graph-uri` / `named-graph-uri` in the URL (or the form). Anything that asks to change
data (`update=`, `application/sparql-update`) is refused with 400. GET without a query answers the
Service Description. CORS is open to every origin, never with credentials.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from stafett.digits import ascii_digits
from stafett.harvester.sparql.description import describe
from stafett.harvester.sparql.gate import gate_on_large_stack, refused
from stafett.harvester.sparql.negotiate import choose, format_hints
from stafett.harvester.sparql.results import MEDIA_TYPES, TRUNCATION_HEADER
from stafett.harvester.sparql.service import SparqlService
from stafett.headers import weighted_values
from stafett.problems import Problem
from stafett.web import cors_headers, preflight_headers, problem_response

log = logging.getLogger(__name__)
ANSWER_CACHE_HEADER = "Stafett-Answer-Cache"  # hit: a kept answer of this store version; miss: run now
EXPOSED = (TRUNCATION_HEADER, ANSWER_CACHE_HEADER, "ETag", "Retry-After", "Content-Type")
CORS_HEADERS = cors_headers(EXPOSED)
PREFLIGHT_HEADERS = preflight_headers(["GET", "POST", "OPTIONS"], ["Accept", "Content-Type"], EXPOSED)
ALLOWED = {"Allow": "GET, POST, OPTIONS"}  # the 405 answer's Allow header
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


def routes(service: SparqlService, html_page: str | None = None) -> list[Route]:
    """`html_page`: where a browser asking for HTML without a query is sent (the query page)."""

    async def sparql(request: Request) -> Response:
        try:
            if html_page and _wants_html_page(request):
                return RedirectResponse(html_page, 303, headers={"Vary": "Accept"})
            return await _handle(request, service)
        except Problem as problem:  # its own headers (Retry-After, Allow) win over CORS
            return problem_response(problem, CORS_HEADERS)
        except Exception:  # never a traceback to the client; the log has it
            log.exception("SPARQL request failed")
            return problem_response(
                refused(
                    "internal-error",
                    "The query could not be answered",
                    "Something failed inside the endpoint; the error is logged.",
                    status=500,
                ),
                CORS_HEADERS,
            )

    methods = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
    return [
        Route("/sparql", sparql, methods=methods, name="sparql_endpoint"),
        Route("/sparql/", sparql, methods=methods),
    ]


def _wants_html_page(request: Request) -> bool:
    if request.method != "GET" or "query" in request.query_params or "format" in request.query_params:
        return False
    ranges = weighted_values(request.headers.get("accept", ""))
    return bool(ranges) and ranges[0][0] in ("text/html", "application/xhtml+xml")


async def _handle(request: Request, service: SparqlService) -> Response:
    settings = service.settings
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=PREFLIGHT_HEADERS)
    if request.method not in ("GET", "HEAD", "POST"):
        raise refused(
            "method-not-allowed",
            "Use GET or POST",
            f"{request.method} is not a SPARQL query operation; send the query with GET or POST.",
            status=405,
            headers=ALLOWED,
        )
    params = await read_params(request, settings.max_body_bytes)
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise _update_refused()
    queries = params.get("query", [])
    if not queries and request.method in ("GET", "HEAD"):
        return _description(request, service, params)
    if len(queries) != 1:
        raise refused(
            "multiple-queries" if queries else "missing-query",
            "Exactly one query is needed",
            f"The request carries {len(queries)} `query` parameters; send exactly one.",
        )
    default_graphs = _graph_iris(params, "default-graph-uri")
    named_graphs = _graph_iris(params, "named-graph-uri")
    # The service-defined base IRI for relative IRIs in queries is the endpoint itself.
    base_iri = str(request.url.replace(query=""))
    client = request.client.host if request.client else "unknown"  # proxies: see trusted_proxies
    with service.admission.admit(client):  # 429 before any parsing when full or over the client's share
        gated = await asyncio.to_thread(gate_on_large_stack, queries[0], max_chars=settings.max_query_chars)
        fmt = choose(gated.form, format_hints(params), request.headers.get("accept"))
        key = service.answer_key(gated, fmt, default_graphs, named_graphs, base_iri)
        if key is not None and _etag_matches(request.headers.get("if-none-match"), key.etag):
            return Response(status_code=304, headers={**CORS_HEADERS, **_validator_headers(key.etag)})
        answer = await service.answer(gated, fmt, default_graphs, named_graphs, base_iri, client=client)
    headers = {
        **CORS_HEADERS,
        **_validator_headers(answer.etag),
        ANSWER_CACHE_HEADER: "hit" if answer.cached else "miss",
    }
    if answer.truncated:
        headers[TRUNCATION_HEADER] = "true"
    body = b"" if request.method == "HEAD" else answer.body
    return Response(body, 200, headers, MEDIA_TYPES[fmt])


def _validator_headers(etag: str | None) -> dict[str, str]:
    """With a store version: revalidate with the ETag (304 while unchanged); else never store."""
    if etag is None:
        return {"Vary": "Accept", "Cache-Control": "no-store"}
    return {"Vary": "Accept", "Cache-Control": "no-cache", "ETag": etag}


def _etag_matches(header: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 section 13.1.2): W/ prefixes are ignored."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in header.split(","))


def _description(request: Request, service: SparqlService, params: dict) -> Response:
    fmt = choose("description", format_hints(params), request.headers.get("accept"))
    endpoint = str(request.url.replace(query=""))
    headers = {**CORS_HEADERS, "Vary": "Accept"}
    return Response(describe(endpoint, service.settings, fmt), 200, headers, MEDIA_TYPES[fmt])


async def read_params(request: Request, max_body_bytes: int) -> dict[str, list[str]]:
    """URL parameters, plus the form fields or the direct query of a POST."""
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    if request.method != "POST":
        return params
    media_type, charset = _content_type(request.headers.get("content-type", ""))
    if media_type == UPDATE:
        raise _update_refused()
    if media_type not in (FORM, DIRECT):
        raise refused(
            "unsupported-media-type",
            "Send the query as a form or as application/sparql-query",
            f"A POST body of type {media_type or '(none)'} is not a SPARQL query request. Use "
            f"Content-Type: {DIRECT} (the query as the body) or {FORM} (query=...).",
            status=415,
        )
    if charset not in (None, "utf-8", "utf8"):
        raise refused(
            "unsupported-charset",
            "Send the query in UTF-8",
            f"The body is declared as {charset}; SPARQL requests must be UTF-8.",
            status=415,
        )
    text = _utf8(await _body(request, max_body_bytes))
    if media_type == DIRECT:
        params.setdefault("query", []).append(text)
        return params
    for name, value in parse_qsl(text, keep_blank_values=True):
        params.setdefault(name, []).append(value)
    return params


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, *rest = [part.strip() for part in header.split(";")]
    charset = None
    for param in rest:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


async def _body(request: Request, limit: int) -> bytes:
    too_big = refused(
        "request-too-large",
        "The request body is too large",
        f"The body is over {limit} bytes, the most this endpoint reads. Shorten the query.",
        status=413,
    )
    declared = request.headers.get("content-length", "")
    if ascii_digits(declared) and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refused(
            "unsupported-charset",
            "Send the query in UTF-8",
            "The body is not valid UTF-8; SPARQL requests must be UTF-8.",
            status=415,
        ) from None


def _graph_iris(params: dict, name: str) -> list[str]:
    iris = params.get(name, [])
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise refused(
                "bad-graph-iri",
                "A graph IRI is not valid",
                f"{name}={iri[:200]!r} is not an absolute IRI; give the full IRI.",
            ) from None
    return iris


def _update_refused() -> Problem:
    return refused(
        "update-refused",
        "This endpoint is read-only",
        "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is not accepted here: this public "
        "endpoint answers queries only (SELECT, ASK, CONSTRUCT, DESCRIBE).",
    )
