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

from stafett.web import exception_handlers

log = logging.getLogger("stafett.node")
HINT = "see /openapi.json and the catalogue at /"  # where a lost client finds the routes


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
    # Raised Problems, unknown paths, wrong methods and bugs all leave through the one HTTP edge;
    # none of them may be cached (a refusal of a write must not be replayed to the next client).
    app = Starlette(routes=routes, exception_handlers=exception_handlers(
        log, hint=HINT, headers=writes.NO_STORE))
    app.state.settings, app.state.store, app.state.auth = settings, store, auth
    return app
