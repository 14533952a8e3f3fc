"""The registry's web app: `create_app(settings, registry)`, one explicit route list.

`routes()` lists every route in match order (first match wins). The SPARQL protocol is
harvester/sparql/, the other machine routes harvester/api/, the pages for people harvester/web/.
Without a registry (an endpoint over a bare store) only the SPARQL, page and description routes
are served and `/` redirects to the query page. Stays on Starlette: the registry's bodies are RDF
validated by SHACL and its errors problem+json (docs/harvester.md, "Layout").
"""

from __future__ import annotations

import contextlib
import logging

from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Route

from stafett.harvester.api import feed, openapi, registrations, reports, search
from stafett.harvester.sparql import endpoint
from stafett.harvester.sparql.service import SparqlService, settings_for
from stafett.harvester.sparql.settings import SparqlSettings
from stafett.harvester.web import (
    api_page,
    case_page,
    chain_page,
    feed_page,
    matches_page,
    query_page,
    search_page,
    statistics_page,
)
from stafett.web import cors_headers, exception_handlers

log = logging.getLogger("stafett.harvester")


def routes(service: SparqlService, registry=None) -> list[BaseRoute]:
    """Every route of the registry, in match order."""
    base_url = registry.settings.base_url if registry is not None else "/"
    title = registry.settings.title if registry is not None else "Stafett SPARQL endpoint"
    document = openapi.openapi_document(base_url, title, with_feed=registry is not None)
    found: list[BaseRoute] = [
        *endpoint.routes(service, html_page="/query"),  # /sparql, /sparql/: the SPARQL 1.1 Protocol
        # /query, /query.js: the query page for people (results rendered on the server, labelled)
        *query_page.routes(
            service.settings,
            service,
            getattr(registry, "store", None),
            base_url,
            feed_url="/feed" if registry is not None else None,
        ),
    ]
    if registry is not None:
        found += [
            # /: the search page for people, the DCAT catalogue for machines; /search: the page or
            # (format=, Accept: JSON, Atom, CSV, JSON-LD) the contract of api/search.py; /suggest
            *search_page.routes(registry),
            # /feed, /feed/page/{k}, /feed/state: the registry's own LDES feed (browsers: a page)
            *feed_page.routes(registry, feed.routes(registry)),
            *reports.routes(registry),  # /reports, /reports/{source}: harvest reports as JSON
            *case_page.routes(registry),  # /cases?id=<case IRI>: one case as a page for people
            # /chain?for=<case or solution IRI>: its adoption chain both ways; /chain: where chains start
            *chain_page.routes(service, registry),
            # /statistics: the registry in figures, each figure run from its saved example query
            *statistics_page.routes(service, registry),
            # /matches?for=<IRI>: matches of a case or organisation as a page, or JSON/Atom (api/matches.py)
            *matches_page.routes(registry),
            # api/search.py's own routes: its /search is answered through the page above (first match
            # wins); any other route it grows is mounted here
            *search.routes(registry),
            # POST /registrations, GET /registrations/{id}: a publisher asks to be harvested
            *registrations.routes(registry),
        ]
    found += [
        *openapi.routes(document),  # /openapi.json: the machine description of all of the above
        *api_page.routes(document, title),  # /api: the same, as a page for people
    ]
    if registry is None:  # no catalogue to describe: people are sent to the query page
        found.append(Route("/", lambda request: RedirectResponse("/query", 303)))
    return found


def create_app(settings=None, registry=None, *, service: SparqlService | None = None) -> Starlette:
    """`settings`: `SparqlSettings`, or None to take them from the environment and the registry."""
    sparql_settings = settings if isinstance(settings, SparqlSettings) else settings_for(registry)
    if service is None:
        service = (
            SparqlService.for_registry(registry, sparql_settings)
            if registry is not None
            else SparqlService(sparql_settings)
        )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        service.close()

    # No route, wrong method, a stray Problem or a bug: problem+json like every other refusal.
    handlers = exception_handlers(log, "see /openapi.json", cors_headers())
    app = Starlette(routes=routes(service, registry), lifespan=lifespan, exception_handlers=handlers)
    app.state.sparql = service
    app.state.registry = registry
    return app
