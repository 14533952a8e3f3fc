"""The node's ASGI app: write routes (this half) + pages, catalogue and feed (the read half).

`create_app(settings, store)` builds everything from its arguments; nothing happens at import.
Every error leaves as `application/problem+json`, never a traceback.
"""

from __future__ import annotations

import logging

from stafett.node import catalogue, feed, openapi, pages, writes
from stafett.node.auth import Authenticator
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from stafett.problems import Problem

log = logging.getLogger("stafett.node")


def create_app(settings: NodeSettings, store: NodeStore | None = None) -> Starlette:
    store = store or NodeStore(settings.database_path)
    auth = Authenticator(settings, store)
    reads = pages.routes(settings, store)
    # Case GETs are the hottest path: matched first, they skip every other route's regex. No
    # other route's path can match /case/{slug}, so the order changes nothing else (405s included).
    hot = [r for r in reads if r.path == pages.CASE_PATH]
    routes = [
        *hot,
        *writes.routes(settings, store, auth),
        *openapi.routes(settings),
        *[r for r in reads if r.path != pages.CASE_PATH],
        *catalogue.routes(settings, store),
        *feed.routes(settings, store),
    ]
    app = Starlette(routes=routes, exception_handlers={
        Problem: on_problem, HTTPException: on_http_exception, Exception: on_error})
    app.state.settings, app.state.store, app.state.auth = settings, store, auth
    return app


async def on_problem(request: Request, problem: Problem) -> Response:
    return writes.problem_response(problem)


async def on_http_exception(request: Request, exc: HTTPException) -> Response:
    slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}; see /openapi.json"
    elif exc.status_code == 404:
        detail = f"nothing at {request.url.path}; see /openapi.json and the catalogue at /"
    response = writes.problem_response(Problem(exc.status_code, slug, detail.split(";")[0], detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def on_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return writes.problem_response(Problem(500, "internal-error", "Internal error",
                                           "the node failed to handle this request; it has been logged"))
