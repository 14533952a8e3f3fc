"""The one HTTP edge of every Stafett server: a refusal becomes a response here, and only here.

Node and registry raise or return `Problem`s (stafett/problems.py); this module turns them into
`application/problem+json` with the problem's own headers (Retry-After, Allow, WWW-Authenticate),
holds the CORS headers that read routes share, and gives each app the same exception handlers, so
an unknown path, a wrong method or a bug answers in the same shape on every server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from stafett.problems import PROBLEM_MEDIA_TYPE, Problem

ALLOW_ANY_ORIGIN = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT_MAX_AGE = "86400"  # a day: preflight answers change only with a software upgrade


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> Response:
    """The problem as problem+json; its own headers win over the route's `headers`."""
    return Response(
        orjson.dumps(problem.as_dict()),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={**(headers or {}), **problem.headers},
    )


def not_acceptable(what: str, offered: Iterable[str], hint: str = "") -> Problem:
    """406: the client's Accept admits none of the media types `what` is served in (RFC 9110 15.5.7)."""
    return Problem(
        406,
        "not-acceptable",
        "No acceptable format",
        f"{what} is served as {', '.join(offered)}{hint}; send one of them in Accept",
    )


def cors_headers(expose: Iterable[str] = ()) -> dict[str, str]:
    """Headers that let a browser script on any origin read an answer (and the named headers)."""
    exposed = ", ".join(expose)
    return {**ALLOW_ANY_ORIGIN, **({"Access-Control-Expose-Headers": exposed} if exposed else {})}


def preflight_headers(
    methods: Iterable[str], allow: Iterable[str], expose: Iterable[str] = ()
) -> dict[str, str]:
    """The answer to a CORS preflight (OPTIONS) for routes with these methods and request headers."""
    return {
        **cors_headers(expose),
        "Access-Control-Allow-Methods": ", ".join(methods),
        "Access-Control-Allow-Headers": ", ".join(allow),
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
    }


def http_problem(request: Request, exc: HTTPException, hint: str) -> Problem:
    """Starlette's own 404/405 (no route, wrong method) as a Problem that says where to look."""
    if exc.status_code == 404:
        return Problem(404, "not-found", "Nothing here", f"nothing at {request.url.path}; {hint}")
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow", "")
        return Problem(
            405,
            "method-not-allowed",
            "Method not allowed",
            f"{request.method} is not allowed on {request.url.path}; {hint}",
            headers={"Allow": allow} if allow else {},
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return Problem(exc.status_code, "http-error", detail, detail, headers=dict(exc.headers or {}))


def exception_handlers(log: logging.Logger, hint: str, headers: Mapping[str, str] | None = None) -> dict:
    """Starlette `exception_handlers` for an app: Problem, HTTP 404/405 and anything unexpected.

    `hint` tells a client where the routes are described (e.g. "see /openapi.json"); `headers` go
    on every such answer (e.g. CORS on the registry). A bug is logged and answered as a 500
    problem, never as a traceback.
    """

    async def on_problem(request: Request, problem: Exception) -> Response:
        assert isinstance(problem, Problem)
        return problem_response(problem, headers)

    async def on_http_exception(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return problem_response(http_problem(request, exc, hint), headers)

    async def on_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(internal_error(), headers)

    return {Problem: on_problem, HTTPException: on_http_exception, Exception: on_error}


def internal_error() -> Problem:
    return Problem(
        500,
        "internal-error",
        "Internal error",
        "the server failed to handle this request; the error is logged",
    )
