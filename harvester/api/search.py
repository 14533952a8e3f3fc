# ruff: noqa: E501 - translation strings read best unbroken
"""`GET /search`: the registry's cases by words and facets, for machines (docs/search.md).

Parameters: `q` (words), `lang` (the reader's language; else Accept-Language), one per facet named
as the vocabulary's JSON key (`country=SWE`, repeated = OR; facets AND-ed), `sort` (relevance,
newest, startYear), `page` (20 per page), `format` (json, atom, csv, jsonld; else Accept). The JSON
carries the equivalent SPARQL query (search_sparql.py); Atom, CSV and JSON-LD are search_exports.py.
`respond(registry, request)` is the protocol function the /search route hands every machine format
to; a client that accepts only HTML gets 406 from it. Every refusal names the parameter and the
fix, in the reader's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from stafett import languages
from stafett.digits import ascii_digits
from stafett.harvester.api import search_exports
from stafett.harvester.api.responses import JSON, negotiate, not_acceptable, read_route
from stafett.harvester.api.search_sparql import equivalent_sparql
from stafett.harvester.search.documents import FACETS
from stafett.harvester.search.query import SORTS, search
from stafett.harvester.search.query import Request as SearchRequest
from stafett.problems import Finding, Problem
from stafett.web import problem_response

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

MAX_Q = 500  # characters of `q`
MAX_VALUES = 50  # values of one facet parameter
MAX_VALUE = 300  # characters of one facet value (publisher IRIs are the longest)
MAX_PAGE = 500  # 10,000 results deep is enough for a person; machines have SPARQL
PARAMETERS = ("q", "lang", "sort", "page", "format", *FACETS)
# `format=` value -> media type (Accept chooses among the same when `format` is absent).
FORMATS = {
    "json": JSON,
    "atom": search_exports.ATOM,
    "csv": search_exports.CSV,
    "jsonld": search_exports.JSON_LD,
}

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "unknown": "Unknown parameter '{name}'. Use q, lang, sort, page, format or a facet: {facets}.",
        "choice": "Parameter '{name}' cannot be '{value}'. Use one of: {choices}.",
        "page": "Parameter 'page' must be a whole number from 1 to {max}, not '{value}'.",
        "long": "Parameter '{name}' is too long or repeated too often (at most {max}). Shorten it.",
        "single": "Parameter '{name}' may be given once. Remove the repetitions.",
    },
    "sv": {
        "unknown": "Okänd parameter '{name}'. Använd q, lang, sort, page, format eller en facett: {facets}.",
        "choice": "Parametern '{name}' kan inte vara '{value}'. Använd något av: {choices}.",
        "page": "Parametern 'page' ska vara ett heltal från 1 till {max}, inte '{value}'.",
        "long": "Parametern '{name}' är för lång eller upprepas för ofta (högst {max}). Korta den.",
        "single": "Parametern '{name}' får anges en gång. Ta bort upprepningarna.",
    },
    "nb": {
        "unknown": "Ukjent parameter '{name}'. Bruk q, lang, sort, page, format eller en fasett: {facets}.",
        "choice": "Parameteren '{name}' kan ikke være '{value}'. Bruk en av: {choices}.",
        "page": "Parameteren 'page' må være et heltall fra 1 til {max}, ikke '{value}'.",
        "long": "Parameteren '{name}' er for lang eller gjentas for ofte (høyst {max}). Forkort den.",
        "single": "Parameteren '{name}' kan oppgis én gang. Fjern gjentakelsene.",
    },
    "nn": {
        "unknown": "Ukjend parameter '{name}'. Bruk q, lang, sort, page, format eller ein fasett: {facets}.",
        "choice": "Parameteren '{name}' kan ikkje vere '{value}'. Bruk ein av: {choices}.",
        "page": "Parameteren 'page' må vere eit heiltal frå 1 til {max}, ikkje '{value}'.",
        "long": "Parameteren '{name}' er for lang eller gjentatt for ofte (høgst {max}). Kort han ned.",
        "single": "Parameteren '{name}' kan givast éin gong. Fjern gjentakingane.",
    },
    "da": {
        "unknown": "Ukendt parameter '{name}'. Brug q, lang, sort, page, format eller en facet: {facets}.",
        "choice": "Parameteren '{name}' kan ikke være '{value}'. Brug en af: {choices}.",
        "page": "Parameteren 'page' skal være et heltal fra 1 til {max}, ikke '{value}'.",
        "long": "Parameteren '{name}' er for lang eller gentages for ofte (højst {max}). Forkort den.",
        "single": "Parameteren '{name}' må angives én gang. Fjern gentagelserne.",
    },
    "fi": {
        "unknown": "Tuntematon parametri '{name}'. Käytä parametreja q, lang, sort, page, format tai rajausta: {facets}.",
        "choice": "Parametri '{name}' ei voi olla '{value}'. Käytä jotakin näistä: {choices}.",
        "page": "Parametrin 'page' on oltava kokonaisluku 1–{max}, ei '{value}'.",
        "long": "Parametri '{name}' on liian pitkä tai toistuu liian usein (enintään {max}). Lyhennä sitä.",
        "single": "Parametrin '{name}' voi antaa vain kerran. Poista toistot.",
    },
    "is": {
        "unknown": "Óþekkt færibreyta '{name}'. Notaðu q, lang, sort, page, format eða síu: {facets}.",
        "choice": "Færibreytan '{name}' má ekki vera '{value}'. Notaðu eitt af: {choices}.",
        "page": "Færibreytan 'page' á að vera heiltala frá 1 til {max}, ekki '{value}'.",
        "long": "Færibreytan '{name}' er of löng eða endurtekin of oft (mest {max}). Styttu hana.",
        "single": "Færibreytuna '{name}' má aðeins gefa einu sinni. Fjarlægðu endurtekningarnar.",
    },
}


def routes(registry: Registry) -> list:
    return [read_route("/search", lambda request: respond(registry, request))]


def respond(registry: Registry, request: Request) -> Response:
    """The search in the format asked for: `format=` wins over Accept (links, feed readers)."""
    lang = languages.pick(request.headers.get("accept-language"), requested=request.query_params.get("lang"))
    try:
        wanted = read_parameters(request, lang)
    except Problem as problem:
        return problem_response(problem)
    chosen = request.query_params.get("format")
    media = FORMATS[chosen] if chosen else negotiate(request, list(FORMATS.values()))
    if media is None:
        return not_acceptable("the search", list(FORMATS.values()))
    if registry.search is None:
        return problem_response(no_index())
    if media == search_exports.ATOM:
        return search_exports.atom_response(registry, wanted, request)
    if media == search_exports.CSV:
        return search_exports.csv_response(registry, wanted)
    if media == search_exports.JSON_LD:
        return search_exports.jsonld_response(registry, wanted)
    answer = search(registry.search, wanted)
    answer["sparql"] = sparql_for(registry, wanted)
    return JSONResponse(answer, headers={"Vary": "Accept"})


def sparql_for(registry: Registry, wanted: SearchRequest) -> str:
    return equivalent_sparql(wanted, base_url=registry.settings.base_url, prov_graph=registry.prov_graph)


def read_parameters(request: Request, lang: str) -> SearchRequest:
    """The search asked for, or a Problem whose findings name each bad parameter and its fix."""
    params = request.query_params
    findings: list[Finding] = []

    def refuse(name: str, key: str, **values) -> None:
        message = MESSAGES[lang][key].format(name=name, **values)
        findings.append(Finding("Violation", message, field=name, value=values.get("value")))

    for name in dict.fromkeys(params.keys()):
        if name not in PARAMETERS:
            refuse(name, "unknown", facets=", ".join(FACETS))
        elif name not in FACETS and len(params.getlist(name)) > 1:
            refuse(name, "single")
    requested = params.get("lang")
    if requested is not None and requested not in languages.SUPPORTED:
        refuse("lang", "choice", value=requested, choices=", ".join(languages.SUPPORTED))
    q = params.get("q", "")
    if len(q) > MAX_Q:
        refuse("q", "long", max=MAX_Q)
    sort = params.get("sort", "relevance")
    if sort not in SORTS:
        refuse("sort", "choice", value=sort, choices=", ".join(SORTS))
    if params.get("format", "json") not in FORMATS:
        refuse("format", "choice", value=params["format"], choices=", ".join(FORMATS))
    page = page_number(params.get("page", "1"))
    if page is None:
        refuse("page", "page", value=params["page"][:40], max=MAX_PAGE)
    filters = {facet: tuple(dict.fromkeys(params.getlist(facet))) for facet in FACETS if facet in params}
    for facet, values in filters.items():
        if len(values) > MAX_VALUES or any(len(v) > MAX_VALUE for v in values):
            refuse(facet, "long", max=MAX_VALUES if len(values) > MAX_VALUES else MAX_VALUE)
    if findings:
        detail = "; ".join(f.message for f in findings)
        raise Problem(400, "bad-search", "The search parameters are invalid", detail, findings)
    return SearchRequest(q=q, lang=lang, filters=filters, sort=sort, page=page or 1)


def page_number(text: str) -> int | None:
    number = int(text) if ascii_digits(text) and len(text) <= 4 else 0
    return number if 1 <= number <= MAX_PAGE else None


def no_index() -> Problem:
    return Problem(
        501,
        "no-search-index",
        "This registry has no search index",
        "the search index lives beside the embedded store; a registry on an external store has no "
        "/search yet (see docs/search.md); use /sparql",
    )
