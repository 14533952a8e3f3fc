"""`/api`: the registry's OpenAPI description (harvester/api/openapi.py) as a page for people."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from stafett import languages, texts
from stafett.apidoc import page_rows
from stafett.languages import ENDONYMS, SUPPORTED

TEMPLATES = Path(__file__).resolve().parent / "templates"


def routes(document: dict, title: str) -> list[Route]:
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), PackageLoader("stafett", "templates")])
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined)
    template = env.get_template("api.html")
    rows = page_rows(document)

    def page(request: Request) -> Response:
        lang = languages.pick(
            request.headers.get("accept-language"), requested=request.query_params.get("lang")
        )
        strings = {**texts.words("registry", lang), "skip": texts.word("common", "skip_to_content", lang)}
        html = template.render(
            lang=lang,
            t=strings.__getitem__,
            rows=rows,
            title=title,
            openapi_url="/openapi.json",
            api_url="/api",
            query_url="/query",
            query_title=strings["query_title"],
            language_label=texts.word("common", "language", lang),
            languages=[(code, ENDONYMS[code]) for code in SUPPORTED],
        )
        return HTMLResponse(html, headers={"Content-Language": lang, "Vary": "Accept-Language"})

    return [Route("/api", page, methods=["GET", "HEAD"])]
