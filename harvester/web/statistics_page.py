"""`GET /statistics`: the registry in figures, each figure the answer of one saved SPARQL query.

Cases per country, sector, innovation approach, stage and start year, joint procurements,
adoptions across borders and open offers. Each figure is the example query shipped with the
endpoint (harvester/sparql/examples/, copies of examples/queries/) run through the endpoint's own
service, the same gate, limits, workers and kept answers as /sparql, so the page shows exactly what
a developer gets from /sparql, and works over an external store too. Each figure links to the query
page with its query filled in and run. Codes are shown as their SKOS labels (a property as its
ontology label) in the reader's language; a case that states no value is counted as "not stated",
never dropped. Words: stafett/interface/statistics.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import texts
from stafett.harvester.sparql.service import SparqlService
from stafett.harvester.web import answers
from stafett.harvester.web.labels import concept_label, property_label
from stafett.harvester.web.pages import link, reader_language, render
from stafett.harvester.web.query_page import EXAMPLES_DIR
from stafett.vocabulary import STF

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

CONCEPT, PROPERTY, TEXT, COUNT = "concept", "property", "text", "count"


@dataclass(frozen=True)
class Figure:
    key: str  # its heading is the word `figure_<key>`
    query: str  # the example query's name (harvester/sparql/examples/<query>.rq)
    columns: tuple[tuple[str, str], ...]  # (variable, how its value is shown), in table order

    @property
    def text(self) -> str:
        return (EXAMPLES_DIR / f"{self.query}.rq").read_text("utf-8")


FIGURES = (
    Figure("country", "23-cases-per-country", (("country", CONCEPT), ("cases", COUNT))),
    Figure("sector", "24-cases-per-sector", (("sector", CONCEPT), ("cases", COUNT))),
    Figure("approach", "25-cases-per-innovation-approach", (("approach", CONCEPT), ("cases", COUNT))),
    Figure("stage", "09-status-pipeline", (("status", CONCEPT), ("cases", COUNT))),
    Figure("year", "26-cases-per-start-year", (("year", TEXT), ("cases", COUNT))),
    Figure(
        "joint",
        "27-joint-procurements-per-country",
        (("country", CONCEPT), ("cases", COUNT), ("buyers", COUNT)),
    ),
    Figure(
        "borders",
        "28-adoptions-across-borders",
        (("fromCountry", CONCEPT), ("toCountry", CONCEPT), ("adoptions", COUNT)),
    ),
    Figure("offers", "29-open-offers", (("offer", PROPERTY), ("cases", COUNT))),
)


def routes(service: SparqlService, registry: Registry) -> list[Route]:
    del registry  # the figures come from the endpoint, embedded store or external alike

    async def statistics_route(request: Request) -> Response:
        lang = reader_language(request)
        client = request.client.host if request.client else "unknown"
        figures = []
        for figure in FIGURES:  # one after another: a page is one client's turn, not eight
            figures.append(figure_view(figure, await answers.rows(service, figure.text, client), lang))
        return render(request, "statistics.html", lang, w=texts.words("statistics", lang), figures=figures)

    return [Route("/statistics", statistics_route, methods=["GET", "HEAD"])]


def query_url(figure: Figure, lang: str) -> str:
    """The query page with this figure's query filled in and run (and chosen in its example list)."""
    return link("/query", [("example", figure.query), ("query", figure.text), ("lang", lang)])


def figure_view(figure: Figure, rows: list[dict] | None, lang: str) -> dict:
    words = texts.words("statistics", lang)
    return {
        "key": figure.key,
        "heading": words[f"figure_{figure.key}"],
        "note": words.get(f"note_{figure.key}"),
        "headings": [column_heading(variable, lang) for variable, _ in figure.columns],
        "numeric": [kind == COUNT for _, kind in figure.columns],
        "rows": None
        if rows is None
        else [[shown(row.get(v), kind, lang) for v, kind in figure.columns] for row in rows],
        "query": figure.query,
        "query_url": query_url(figure, lang),
    }


def shown(binding: dict | None, kind: str, lang: str) -> str:
    """A value as a person reads it: a label, a year, a number; an unbound one as "not stated"."""
    if binding is None:
        return texts.word("statistics", "not_stated", lang)
    value = binding["value"]
    if kind == CONCEPT:
        return concept_label(value, lang) or texts.word("statistics", "unknown_code", lang)
    if kind == PROPERTY:
        local = value.removeprefix(STF)
        return property_label(local, lang) or local
    return value


def column_heading(variable: str, lang: str) -> str:
    search, statistics = texts.words("search", lang), texts.words("statistics", lang)
    return {
        "country": search["facet_country"],
        "sector": search["facet_sector"],
        "approach": search["facet_innovationApproach"],
        "status": search["facet_status"],
        "year": search["facet_startYear"],
        "cases": texts.word("common", "cases", lang),
        "buyers": search["buyers"],
        "fromCountry": statistics["col_from_country"],
        "toCountry": statistics["col_to_country"],
        "adoptions": statistics["col_adoptions"],
        "offer": statistics["col_offer"],
    }[variable]
