"""The node's ASGI app: one explicit route list over the API (node/api) and the pages (node/web).

`create_app(settings, store)` builds everything from its arguments; nothing happens at import.
This module is the only one that knows both halves: it hands node/web's HTML renderer to the API
routes that serve RDF or HTML by Accept (node/api/handoff.py). Every error leaves as
`application/problem+json` through the one HTTP edge (stafett/web.py), never a traceback.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Route

from stafett.node.api import cases, catalogue, feed, openapi, writes
from stafett.node.auth import Authenticator
from stafett.node.people import People
from stafett.node.sessions import COOKIE, Csrf, secure_cookie, session_secret
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.node.web import authoring_pages, pages
from stafett.web import exception_handlers

log = logging.getLogger("stafett.node")
HINT = "see /openapi.json and the catalogue at /"  # where a lost client finds the routes


def route_list(
    settings: NodeSettings, store: NodeStore, auth: Authenticator, csrf: Csrf | None = None
) -> list[Route]:
    """Every route the node serves, in match order (Starlette tries them top to bottom)."""
    html = pages.Pages(settings, store)
    csrf = csrf or Csrf(session_secret(settings), settings.session_lifetime)
    description = openapi.openapi_document(settings)
    reads = cases.routes(settings, store, html)
    # Case GETs are the hottest path: matched first, they skip every other route's regex. No
    # other route's path can match /case/{slug}, so the order changes nothing else (405s included).
    hot = [r for r in reads if r.path == cases.CASE_PATH]
    return [
        *hot,  # GET /case/{slug}: RDF, or HTML via web
        *writes.routes(settings, store, auth),  # POST /cases, GET/PUT/DELETE /cases/{slug}
        *openapi.routes(settings, description),  # GET /openapi.json
        *pages.routes(settings, description),  # GET /api: the description as a page
        *[r for r in reads if r not in hot],  # GET /cases (list), /context/v1[.jsonld]
        *catalogue.routes(settings, store, html),  # GET /: DCAT catalogue, or HTML via web
        *feed.routes(settings, store, html),  # /feed, /feed/state, /feed/{k} (RDF, or HTML via web), shapes
        # /sign-in, /sign-out, /author...: the authoring pages for people (docs/publishing.md)
        *authoring_pages.routes(settings, store, People(settings.database_path), csrf),
    ]


def create_app(settings: NodeSettings, store: NodeStore | None = None) -> Starlette:
    store = store or NodeStore(settings.database_path)
    auth = Authenticator(settings, store)
    secret = session_secret(settings)
    # The authoring pages' session: a signed cookie (itsdangerous), HttpOnly, SameSite=Strict,
    # Secure on an https node, refused once older than session_lifetime (node/sessions.py).
    session = Middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=COOKIE,
        max_age=settings.session_lifetime,
        same_site="strict",
        https_only=secure_cookie(settings),
        path=urlsplit(settings.base_url).path or "/",
    )
    # Raised Problems, unknown paths, wrong methods and bugs all leave through the one HTTP edge;
    # none of them may be cached (a refusal of a write must not be replayed to the next client).
    app = Starlette(
        routes=route_list(settings, store, auth, Csrf(secret, settings.session_lifetime)),
        middleware=[session],
        exception_handlers=exception_handlers(log, hint=HINT, headers=writes.NO_STORE),
    )
    app.state.settings, app.state.store, app.state.auth = settings, store, auth
    return app
