"""The node's pages for people: the HTML bodies the API hands over, and the API page at /api.

`Pages` is node/api/handoff.py's `HtmlPages`: a case IRI, the list and the catalogue negotiate in
node/api and call it when HTML wins, so the interface language is picked here, from the client's
Accept-Language and the node's own languages. /api is a page only, so its route lives here; it
renders the OpenAPI description that app.py passes in.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from stafett import texts
from stafett.node.messages import best_language, ui_language
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.node.web import html

FRONT_PAGE_CASES = 20  # the newest published cases the front page lists


class Pages:
    """Renders each negotiated HTML answer in the client's language (see node/api/handoff.py)."""

    def __init__(self, settings: NodeSettings, store: NodeStore | None = None) -> None:
        self.settings, self.store = settings, store

    def language(self, request: Request) -> str:
        return ui_language(request.headers.get("accept-language"), self.settings.languages)

    def case(self, document: dict, request: Request) -> str:
        return html.render_case(
            document, self.language(request), self.settings, request.headers.get("accept-language")
        )

    def gone(self, iri: str, deleted: str, request: Request) -> str:
        return html.render_gone(iri, deleted, self.language(request), self.settings)

    def cases(self, document: dict, page: int, request: Request) -> str:
        return html.render_list(
            document, self.language(request), self.settings, page, request.headers.get("accept-language")
        )

    def catalogue(self, document: dict, request: Request) -> str:
        """The front page: the organisation, its newest cases, and for a signed-in person "New case"."""
        lang = self.language(request)
        return html.render_catalogue(
            document,
            lang,
            self.settings,
            request.headers.get("accept-language"),
            cases=self.newest(lang, request.headers.get("accept-language")),
            signed_in=bool(request.scope.get("session", {}).get("who")),
            w=texts.words("authoring", lang),
        )

    def newest(self, lang: str, accept_language: str | None) -> list[dict]:
        if self.store is None:
            return []
        out = []
        for record in self.store.list_published(0, FRONT_PAGE_CASES):
            titles = record.document.get("title") or {}
            chosen = best_language(titles, accept_language or lang, self.settings.languages)
            out.append(
                {"href": record.iri, "title": titles[chosen] if chosen else record.slug, "lang": chosen}
            )
        return out

    def feed(self, root: list, page: list | None, url: str, request: Request) -> str:
        return html.render_feed(root, page, url, self.language(request), self.settings)


def routes(settings: NodeSettings, openapi_document: dict) -> list[Route]:
    """/api: the node's OpenAPI description (served by the API at /openapi.json) as a page."""
    pages = Pages(settings)

    async def api_page(request: Request) -> Response:
        lang = pages.language(request)
        return HTMLResponse(
            html.render_api(openapi_document, lang, settings),
            headers={"Content-Language": lang, "Vary": "Accept-Language"},
        )

    return [Route("/api", api_page, methods=["GET", "HEAD"])]
