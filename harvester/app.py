"""The registry's web app: `create_app(settings, registry)`.

Routes, first match wins: the public SPARQL endpoint (`/sparql`), the query page (`/query`), then
the harvester's own routes (`routes(registry)` of its modules: the catalogue description at `/`,
the republished feed at `/feed`, harvest reports at `/reports`). Those modules are imported lazily
and skipped when absent, so the endpoint works on its own. When nothing else claims `/`, it
redirects to the query page.
"""

from __future__ import annotations

import contextlib
import importlib
import logging

from stafett.harvester import openapi
from stafett.harvester.sparql import endpoint, page
from stafett.harvester.sparql.service import SparqlService, settings_for
from stafett.harvester.sparql.settings import SparqlSettings
from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Route

from stafett.web import cors_headers, exception_handlers

log = logging.getLogger("stafett.harvester")

# Modules of the harvester that contribute routes, in the order they are mounted.
HARVESTER_ROUTE_MODULES = ("stafett.harvester.republish", "stafett.harvester.api",
                           "stafett.harvester.reports_api")


def harvester_routes(registry) -> list:
    found = []
    for name in HARVESTER_ROUTE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        if hasattr(module, "routes"):
            found.extend(module.routes(registry))
    return found


def create_app(settings=None, registry=None, *, service: SparqlService | None = None) -> Starlette:
    """`settings`: `SparqlSettings`, or None to take them from the environment and the registry."""
    sparql_settings = settings if isinstance(settings, SparqlSettings) else settings_for(registry)
    if service is None:
        service = (SparqlService.for_registry(registry, sparql_settings) if registry is not None
                   else SparqlService(sparql_settings))
    routes = [*endpoint.routes(service, html_page="/query"), *page.routes(service.settings)]
    if registry is not None:
        routes += harvester_routes(registry)
    base_url = registry.settings.base_url if registry is not None else "/"
    title = registry.settings.title if registry is not None else "Stafett SPARQL endpoint"
    routes += openapi.routes(base_url, title, with_feed=registry is not None)
    if not any(getattr(r, "path", None) == "/" for r in routes):
        routes.append(Route("/", lambda request: RedirectResponse("/query", 303)))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        service.close()

    # No route, wrong method, a stray Problem or a bug: problem+json like every other refusal.
    handlers = exception_handlers(log, "see /openapi.json", cors_headers())
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.state.sparql = service
    app.state.registry = registry
    return app

