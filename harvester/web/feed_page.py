"""The registry's change feed for people: `/feed` and `/feed/page/{k}` when a browser prefers HTML.

The feed's routes are harvester/api/feed.py's; this module wraps those two so that a client whose
Accept prefers text/html gets a readable page (the pages of the feed, or one page's changes with
each case's title in the reader's language and a link to its page), while every feed client,
no Accept and `*/*` reach the API route unchanged (text/html is offered last). api/ never imports
web/: app.py hands the API's routes in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from stafett import feed_html, languages, texts
from stafett.harvester.links import case_page_url
from stafett.headers import best_media_type
from stafett.ldes import FEED_FORMATS
from stafett.web import cors_headers

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

TEMPLATES = Path(__file__).resolve().parent / "templates"
OFFERED = [*FEED_FORMATS, feed_html.HTML]  # HTML last: no Accept and */* still get TriG
ROOT_PATH, PAGE_PATH = "/feed", "/feed/page/{k:int}"
SHORT = "public, max-age=5"  # as the API's feed root and open page: they change with every harvest


def routes(registry: Registry, machine: list[BaseRoute]) -> list[BaseRoute]:
    """The API's feed routes, the root and page ones answering HTML to browsers."""
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), PackageLoader("stafett", "templates")])
    env = Environment(
        loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    template = env.get_template("feed.html")
    feed = registry.feed
    base_url = registry.settings.base_url

    def render(request: Request, k: int | None) -> Response:
        lang = languages.pick(
            request.headers.get("accept-language"), requested=request.query_params.get("lang")
        )
        pages = feed_html.pages_of(feed.root_quads())
        current = previous = following = None
        members: list = []
        if k is not None:
            previous, current, following = feed_html.neighbours(pages, feed.page_url(k))
            quads, _closed = feed.page_quads(k)
            members = feed_html.members_of(quads, lang, lambda iri: case_page_url(iri, base_url))
        html = template.render(
            lang=lang,
            w=texts.words("exports", lang),
            common=texts.words("common", lang),
            title=registry.settings.title,
            pages=pages,
            current=current,
            previous=previous,
            following=following,
            members=members,
            readable=feed_html.readable_time,
            root_url=feed.root,
            query_url="/query",
            api_url="/api",
        )
        headers = {"Cache-Control": SHORT, "Vary": "Accept, Accept-Language", "Content-Language": lang}
        return HTMLResponse(html, headers={**headers, **cors_headers()})

    def wrap(route: Route, page: bool) -> Route:
        machine_answer = route.endpoint

        def answer(request: Request) -> Response:
            wants_html = (
                request.method != "OPTIONS"
                and best_media_type(request.headers.get("accept"), OFFERED) == feed_html.HTML
            )
            if not wants_html or (page and request.path_params["k"] >= feed.pages()):
                return machine_answer(request)  # TriG and friends, 304s, 404s: as before
            return render(request, request.path_params["k"] if page else None)

        return Route(route.path, answer, methods=["GET", "HEAD", "OPTIONS"])

    wrapped: list[BaseRoute] = []
    for route in machine:
        is_feed = isinstance(route, Route) and route.path in (ROOT_PATH, PAGE_PATH)
        wrapped.append(wrap(route, route.path == PAGE_PATH) if is_feed else route)  # type: ignore[arg-type]
    return wrapped
