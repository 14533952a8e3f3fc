"""`/api`: the registry's OpenAPI description (harvester/api/openapi.py) as a page for people."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from stafett.apidoc import page_rows
from stafett.harvester.web.text import API_TEXT, LANGUAGE_NAMES, pick_language
from stafett.harvester.web.text import TEXT as QUERY_PAGE_TEXT
from stafett.languages import SUPPORTED

TEMPLATES = Path(__file__).resolve().parent / "templates"


def routes(document: dict, title: str) -> list[Route]:
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), PackageLoader("stafett", "templates")])
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined)
    template = env.get_template("api.html")
    rows = page_rows(document)

    def page(request: Request) -> Response:
        lang = pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))
        strings = API_TEXT[lang]
        html = template.render(
            lang=lang,
            t=strings.__getitem__,
            rows=rows,
            title=title,
            openapi_url="/openapi.json",
            api_url="/api",
            query_url="/query",
            query_title=QUERY_PAGE_TEXT[lang]["title"],
            language_label=QUERY_PAGE_TEXT[lang]["language"],
            languages=[(code, LANGUAGE_NAMES[code]) for code in SUPPORTED],
        )
        return HTMLResponse(html, headers={"Content-Language": lang, "Vary": "Accept-Language"})

    return [Route("/api", page, methods=["GET", "HEAD"])]
