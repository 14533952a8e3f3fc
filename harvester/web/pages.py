"""What every registry page for people shares: the reader's language, the language switch, the
templates, the response headers. Pages are plain server-rendered HTML (no script needed)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from stafett import languages, texts
from stafett.harvester.web.labels import autonym

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
Params = list[tuple[str, str]]


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
    )


def reader_language(request: Request) -> str:
    """`?lang=` when it is one of the seven, else Accept-Language, else English."""
    requested = request.query_params.get("lang")
    requested = requested if requested in languages.SUPPORTED else None
    return languages.pick(request.headers.get("accept-language"), requested=requested)


def link(path: str, params: Params) -> str:
    return path + ("?" + urlencode(params) if params else "")


def language_switch(path: str, params: Params, lang: str) -> list[dict]:
    """One link per interface language to the same page with the same parameters."""
    kept = [(k, v) for k, v in params if k != "lang"]
    return [
        {
            "code": code,
            "name": autonym(code),
            "url": link(path, [*kept, ("lang", code)]),
            "current": code == lang,
        }
        for code in languages.SUPPORTED
    ]


def render(request: Request, template: str, lang: str, *, status: int = 200, **context) -> HTMLResponse:
    params = list(request.query_params.multi_items())
    html = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            common=texts.words("common", lang),
            search_words=texts.words("search", lang),
            nav_words={  # the pages the header links to besides search and query
                "chains": texts.word("chain", "chains_title", lang),
                "statistics": texts.word("statistics", "page_title", lang),
            },
            switch=language_switch(request.url.path, params, lang),
            **context,
        )
    )
    headers = {"Content-Security-Policy": CSP, "Content-Language": lang, "Vary": "Accept, Accept-Language"}
    return HTMLResponse(html, status_code=status, headers=headers)
