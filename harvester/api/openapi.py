"""The OpenAPI 3.1 description of a registry's HTTP API, served at /openapi.json (a page at /api).

What it describes is read from the modules that serve it: the SPARQL endpoint's result media types
and format names (harvester/sparql), the feed's RDF formats (stafett/ldes.py). A test runs
schemathesis against a real registry with this description.
"""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett.apidoc import ENTITY_TAGS, problem, problem_components
from stafett.harvester.api import search, search_exports
from stafett.harvester.search.documents import FACETS
from stafett.harvester.search.query import PAGE_SIZE, SORTS
from stafett.harvester.sparql.endpoint import DIRECT, FORM
from stafett.harvester.sparql.negotiate import FORMAT_NAMES
from stafett.harvester.sparql.results import MEDIA_TYPES, TRUNCATION_HEADER
from stafett.languages import SUPPORTED
from stafett.ldes import FEED_FORMATS
from stafett.web import cors_headers

RESULT_TYPES = sorted({media.split(";")[0] for media in MEDIA_TYPES.values()})


def body(media_type: str) -> dict:
    """JSON media types hold a JSON value (JSON-LD: an object or an array); the others are text."""
    json_value = media_type.endswith("json")
    return {"schema": {"type": ["object", "array"]} if json_value else {"type": "string"}}


GRAPH_IRIS = {"type": "array", "items": {"type": "string", "format": "iri"}}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag from an earlier answer: 304 while nothing changed",
    "schema": {"type": "string", "pattern": ENTITY_TAGS},
}
CACHE = {"ETag": {"schema": {"type": "string"}}, "Cache-Control": {"schema": {"type": "string"}}}


def sparql_parameters() -> list[dict]:
    return [
        {
            "name": "default-graph-uri",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": True,
            "description": "IRI of a graph to use as the default graph (repeatable)",
            "schema": GRAPH_IRIS,
        },
        {
            "name": "named-graph-uri",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": True,
            "description": "IRI of a named graph the query may use (repeatable)",
            "schema": GRAPH_IRIS,
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "Result format, overrides Accept: " + ", ".join(sorted(FORMAT_NAMES)),
            "schema": {"type": "string", "enum": sorted(FORMAT_NAMES)},
        },
    ]


def sparql_answers() -> dict:
    limit = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}}
    return {
        "200": {
            "description": "The results (SELECT, ASK) or the graph (CONSTRUCT, DESCRIBE); without "
            "a query, the SPARQL Service Description",
            "headers": {
                **CACHE,
                TRUNCATION_HEADER: {
                    "description": "true when the rows were cut at the endpoint's row limit",
                    "schema": {"type": "string", "enum": ["true"]},
                },
            },
            "content": {media: body(media) for media in RESULT_TYPES},
        },
        "303": {
            "description": "A browser asking for HTML without a query is sent to the query page",
            "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
        },
        "304": {"description": "Not modified since the ETag in If-None-Match"},
        "400": problem("Not a SPARQL 1.1 query, an update, SERVICE, a bad graph IRI or too deeply nested"),
        "406": problem("No result format both asked for (format or Accept) and possible for this query"),
        "413": problem("The query or the body is over the endpoint's size limit"),
        "415": problem("A POST body that is neither a form nor application/sparql-query, or not UTF-8"),
        "429": problem("Too many queries at once", limit),
        "503": problem("The query waited or ran too long, or needed too much memory", limit),
    }


def sparql_path() -> dict:
    query = {
        "name": "query",
        "in": "query",
        "required": False,
        "description": "A SPARQL 1.1 query; without it GET answers the Service Description",
        "schema": {"type": "string"},
    }
    form = {
        "type": "object",
        "required": ["query"],
        "properties": {
            "query": {"type": "string"},
            "default-graph-uri": GRAPH_IRIS,
            "named-graph-uri": GRAPH_IRIS,
        },
    }
    return {
        "get": {
            "summary": "Ask a SPARQL query (SPARQL 1.1 Protocol, query via GET)",
            "parameters": [query, *sparql_parameters(), IF_NONE_MATCH],
            "responses": sparql_answers(),
        },
        "post": {
            "summary": "Ask a SPARQL query in the body (form or application/sparql-query)",
            "parameters": [*sparql_parameters(), IF_NONE_MATCH],
            "requestBody": {
                "required": True,
                "content": {FORM: {"schema": form}, DIRECT: {"schema": {"type": "string"}}},
            },
            "responses": {k: v for k, v in sparql_answers().items() if k not in ("303",)},
        },
    }


def rdf(description: str, *, for_people: bool = False) -> dict:
    """RDF in each feed format; `for_people`: also a page for browsers that prefer text/html."""
    content = {media: body(media) for media in FEED_FORMATS}
    if for_people:
        content["text/html"] = {"schema": {"type": "string"}}
    return {"description": description, "headers": CACHE, "content": content}


def feed_paths() -> dict:
    not_modified = {"304": {"description": "Not modified since the ETag in If-None-Match"}}
    return {
        "/": {
            "get": {
                "summary": "The registry as a DCAT catalogue; a client preferring HTML gets the search page",
                "parameters": [IF_NONE_MATCH],
                "responses": {
                    "200": with_page(rdf("The catalogue description, or the search page")),
                    **not_modified,
                },
            }
        },
        "/feed": {
            "get": {
                "summary": "The root of the registry's LDES change feed (browsers: a page listing its pages)",
                "parameters": [IF_NONE_MATCH],
                "responses": {
                    "200": rdf("The feed's root: the view and its pages", for_people=True),
                    **not_modified,
                },
            }
        },
        "/feed/page/{k}": {
            "get": {
                "summary": "One page of the feed (closed pages are immutable; browsers: a readable page)",
                "parameters": [
                    {
                        "name": "k",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0},
                    },
                    IF_NONE_MATCH,
                ],
                "responses": {
                    "200": rdf("The page's members", for_people=True),
                    **not_modified,
                    "404": problem("No page with that number"),
                },
            }
        },
        "/feed/state": {
            "get": {
                "summary": "Every live case with the SHA-256 of its snapshot",
                "responses": {
                    "200": {
                        "description": "The feed's current state",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/FeedState"}}
                        },
                    }
                },
            }
        },
        "/search": search_path(),
        "/matches": matches_path(),
        **registration_paths(),
        **page_paths(),
        "/reports": {
            "get": {
                "summary": "Each source's harvest summary",
                "responses": {
                    "200": {
                        "description": "One summary per source",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reports"}}},
                    }
                },
            }
        },
        "/reports/{source}": {
            "get": {
                "summary": "One source's summary and its latest runs",
                "parameters": [
                    {"name": "source", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The summary with its runs",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/SourceReport"}}
                        },
                    },
                    "404": problem("No source with that name"),
                },
            }
        },
    }


def registration_paths() -> dict:
    """POST /registrations and GET /registrations/{id} (harvester/api/registrations.py)."""
    answer = {"application/json": {"schema": {"$ref": "#/components/schemas/Registration"}}}
    return {
        "/registrations": {
            "post": {
                "summary": "Ask this registry to harvest a node; the operator approves or rejects it",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/RegistrationRequest"}}
                    },
                },
                "responses": {
                    "202": {
                        "description": "The request is stored and waits for the operator (Location: where)",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": answer,
                    },
                    "400": problem("The body is not JSON"),
                    "409": problem("The registry harvests that node already"),
                    "413": problem("The body is larger than 8 KiB"),
                    "415": problem("The body is not sent as application/json"),
                    "422": problem("A field is missing or not valid; the finding names it"),
                    "503": problem(
                        "Too many requests wait for the operator",
                        {"Retry-After": {"schema": {"type": "string"}}},
                    ),
                },
            }
        },
        "/registrations/{id}": {
            "get": {
                "summary": "A registration request and the operator's decision",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The request: pending, approved or rejected", "content": answer},
                    "404": problem("No request with that number"),
                },
            }
        },
    }


WEB_ADDRESS = {
    "type": "string",
    "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]{1,4})?(/[!-~]*)?$",
    "maxLength": 400,
}


def registration_schemas() -> dict:
    text = {"type": "string", "maxLength": 500}
    iris = {"type": "array", "items": {"type": "string"}}
    request = {
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": {**WEB_ADDRESS, "description": "The node's base URL (its catalogue names its feed)"},
            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,62}$"},
            "namespaces": {
                "type": "array",
                "items": WEB_ADDRESS,
                "description": "IRI prefixes the node speaks for (default: the url)",
            },
            "contact": text,
            "note": text,
        },
    }
    registration = {
        "type": "object",
        "required": ["id", "name", "url", "namespaces", "status", "requested"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "url": {"type": "string"},
            "namespaces": iris,
            "status": {"type": "string", "enum": ["pending", "approved", "rejected"]},
            "requested": {"type": "string"},
            "decided": {"type": "string"},
            "reason": {"type": "string"},
        },
    }
    return {"RegistrationRequest": request, "Registration": registration}


def search_parameters() -> list[dict]:
    def query(name: str, schema: dict, description: str) -> dict:
        return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}

    facet_values = {
        "type": "array",
        "maxItems": search.MAX_VALUES,
        "items": {"type": "string", "maxLength": search.MAX_VALUE},
    }
    return [
        query("q", {"type": "string", "maxLength": search.MAX_Q}, "Words; empty lists every case"),
        query(
            "lang",
            {"type": "string", "enum": list(SUPPORTED)},
            "The reader's language (else Accept-Language)",
        ),
        query("sort", {"type": "string", "enum": list(SORTS)}, "Order of the results (default relevance)"),
        query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": search.MAX_PAGE},
            f"Page number, {PAGE_SIZE} results per page",
        ),
        query(
            "format",
            {"type": "string", "enum": list(search.FORMATS)},
            "json, atom, csv or jsonld whatever Accept says (without it, Accept chooses among the same)",
        ),
        *(
            query(facet, facet_values, "Facet filter; repeated values are OR-ed, facets AND-ed")
            for facet in FACETS
        ),
    ]


def search_path() -> dict:
    return {
        "get": {
            "summary": "The registry's cases by words and facets, with live facet counts (docs/search.md)",
            "description": (
                "JSON: one page of results, the counts of every facet and the equivalent SPARQL query. "
                f"Atom: the {search_exports.FEED_ENTRIES} most recently changed matching cases (a saved "
                f"search for feed readers). CSV and JSON-LD: up to {search_exports.EXPORT_LIMIT} matching "
                "cases in the search's order; Result-Limit and Result-Total say how many (docs/search.md)."
            ),
            "parameters": search_parameters(),
            "responses": {
                "200": {
                    "description": "The search in the format asked for: HTML by default (a browser, Accept "
                    "text/html or */*), JSON for format=json or Accept: JSON; Atom, CSV, JSON-LD likewise",
                    "headers": {
                        "Result-Limit": {
                            "description": "Atom, CSV, JSON-LD: the most cases this format carries",
                            "schema": {"type": "integer"},
                        },
                        "Result-Total": {
                            "description": "Atom, CSV, JSON-LD: how many cases match",
                            "schema": {"type": "integer"},
                        },
                    },
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/SearchAnswer"}},
                        search_exports.ATOM: {"schema": {"type": "string"}},
                        search_exports.CSV: {"schema": {"type": "string"}},
                        search_exports.JSON_LD: {"schema": {"type": "object"}},
                        **HTML_PAGE,
                    },
                },
                "400": with_page(
                    problem("A parameter is unknown or has a value it cannot take; the findings name it")
                ),
                "406": problem("The client accepts none of HTML, JSON, Atom, CSV and JSON-LD"),
                "501": with_page(
                    problem("The registry keeps its cases in an external store and has no search index")
                ),
            },
        }
    }


HTML_PAGE = {"text/html": {"schema": {"type": "string"}}}


def matches_path() -> dict:
    """Issue 15: the matches of a case or an organisation (harvester/api/matches.py, docs/matching.md)."""

    def query(name: str, required: bool, description: str, schema: dict | None = None) -> dict:
        return {
            "name": name,
            "in": "query",
            "required": required,
            "description": description,
            "schema": schema or {"type": "string"},
        }

    return {
        "get": {
            "summary": "The matches of a planned need, a case or an organisation: other organisations' "
            "needs, open offers and past cases that fit, each with its score and its reasons in words "
            "(docs/matching.md)",
            "parameters": [
                query(
                    "for",
                    True,
                    "The IRI of a case, a planned need or an organisation (a case's dct:publisher)",
                ),
                query(
                    "format",
                    False,
                    "json (the contract below) or atom (a feed with an entry per match, newest first); "
                    "without it, Accept decides and a browser gets the page",
                    {"type": "string", "enum": ["json", "atom"]},
                ),
                query("lang", False, "The language of the reasons and titles (else Accept-Language)"),
            ],
            "responses": {
                "200": with_page(
                    {
                        "description": "The live matches, best first (an offer past its day is left out)",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Matches"}},
                            "application/atom+xml": {"schema": {"type": "string"}},
                        },
                    }
                ),
                "400": problem("`for` is missing or not an http(s) IRI"),
                "404": problem("The registry holds no such case or organisation"),
                "406": problem("None of JSON, Atom or HTML is acceptable"),
            },
        }
    }


def matches_schema() -> dict:
    reason = {
        "type": "object",
        "required": ["kind", "values"],
        "properties": {
            "kind": {
                "type": "string",
                "description": "cpv-group, topic, sector, text, region, country, nordic, "
                "time, need or offer-adoption",
            },
            "values": {"type": "array", "items": {"type": "string"}},
        },
    }
    match = {
        "type": "object",
        "required": ["id", "score", "reasons"],
        "properties": {
            "id": {"type": "string", "format": "iri", "description": "The other side's case"},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "reasons": {"type": "array", "items": {"type": "string"}, "description": "In words, in `lang`"},
            "codes": {"type": "array", "items": reason, "description": "The same reasons, structured"},
            "kind": {"type": "string", "enum": ["need", "offer", "past", "seeker"]},
            "with": {"type": "string", "format": "iri", "description": "The case on the side of `for`"},
            "created": {"type": "string", "format": "date-time", "description": "When the match appeared"},
            "match": {
                "type": "string",
                "format": "iri",
                "description": "The match resource in the SPARQL graph",
            },
        },
    }
    return {
        "type": "object",
        "required": ["matches"],
        "properties": {
            "for": {"type": "string", "format": "iri"},
            "language": {"type": "string"},
            "matches": {"type": "array", "items": match},
        },
    }


def with_page(answer: dict) -> dict:
    """The same answer, also as a page for people (text/html)."""
    return {**answer, "content": {**answer.get("content", {}), **HTML_PAGE}}


def page_paths() -> dict:
    """The pages for people beside the search (harvester/web/, docs/search.md)."""
    lang = {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "The reader's language (else Accept-Language)",
        "schema": {"type": "string"},
    }
    return {
        "/cases": {
            "get": {
                "summary": "One harvested case as a page for people: its texts, facts, adoption chain "
                "both ways and similar cases (docs/search.md)",
                "parameters": [
                    {
                        "name": "id",
                        "in": "query",
                        "required": True,
                        "description": "The case IRI, as in SPARQL and the search's results",
                        "schema": {"type": "string"},
                    },
                    lang,
                ],
                "responses": {
                    "200": {"description": "The case page", "content": HTML_PAGE},
                    "404": {"description": "The registry holds no such case (a page)", "content": HTML_PAGE},
                },
            }
        },
        "/chain": {
            "get": {
                "summary": "A solution's adoption chain as a page for people: where it started, its "
                "scale-ups, who adopted it in how many countries, with dates and whom to ask at each step, "
                "followed both ways across all sources (at most 60 cases, 8 links away); without `for`, "
                'where the registry\'s chains start (docs/search.md, "Adoption chains")',
                "parameters": [
                    {
                        "name": "for",
                        "in": "query",
                        "required": False,
                        "description": "The IRI of a case, or of a solution (the chain of its case)",
                        "schema": {"type": "string"},
                    },
                    lang,
                ],
                "responses": {
                    "200": {"description": "The chain, or the list of chains", "content": HTML_PAGE},
                    "404": {
                        "description": "The registry holds no such case or solution (a page)",
                        "content": HTML_PAGE,
                    },
                    "501": {"description": "The store is external: the pages read the embedded one only"},
                },
            }
        },
        "/statistics": {
            "get": {
                "summary": "The registry in figures for people: cases per country, sector, innovation "
                "approach, stage and start year, joint procurements, adoptions across borders, open offers; "
                "each figure the answer of a saved example query, linked to the query page "
                '(docs/search.md, "Statistics")',
                "parameters": [lang],
                "responses": {"200": {"description": "The statistics page", "content": HTML_PAGE}},
            }
        },
        "/suggest": {
            "get": {
                "summary": "Buyers and topics whose name has a word starting with q (two characters or more)",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": False,
                        "description": "What was typed",
                        "schema": {"type": "string"},
                    },
                    lang,
                ],
                "responses": {
                    "200": {
                        "description": "The suggestions, each with a search link",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Suggestions"}}
                        },
                    }
                },
            }
        },
    }


def suggestions_schema() -> dict:
    suggestion = {
        "type": "object",
        "required": ["label", "kind", "kindLabel", "url"],
        "properties": {
            "label": {"type": "string", "description": "The name in the reader's language"},
            "kind": {"type": "string", "description": "buyer, or the facet of the concept (topic, sector)"},
            "kindLabel": {"type": "string"},
            "url": {"type": "string", "description": "The search that finds it"},
        },
    }
    return {
        "type": "object",
        "required": ["q", "lang", "suggestions"],
        "properties": {
            "q": {"type": "string"},
            "lang": {"type": "string"},
            "suggestions": {"type": "array", "items": suggestion},
        },
    }


def search_schema() -> dict:
    bucket = {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer"},
            "suggested": {"type": "integer", "description": "topic: how many have it only as a suggestion"},
        },
    }
    concept = {  # issue 13: a topic on a hit, and a concept the query's words named
        "type": "object",
        "required": ["value", "label"],
        "properties": {
            "value": {"type": "string", "description": "The concept's code (topic, sector or CPV)"},
            "label": {"type": "string", "description": "Its SKOS label in the reader's language"},
            "facet": {"type": "string", "enum": ["topic", "sector", "cpv"]},
            "suggested": {"type": "boolean", "description": "The registry's suggestion, not the publisher's"},
        },
    }
    result = {
        "type": "object",
        "required": ["id", "title", "country", "snippet"],
        "properties": {
            "id": {"type": "string", "description": "The case IRI, as in SPARQL"},
            "title": {"type": "string"},
            "titleLanguage": {"type": ["string", "null"]},
            "country": {"type": ["string", "null"]},
            "snippet": {"type": "string"},
            "topics": {"type": "array", "items": concept},
        },
    }
    return {
        "type": "object",
        "required": ["total", "page", "pageSize", "results", "facets", "sparql"],
        "properties": {
            "sparql": {
                "type": "string",
                "description": "The equivalent SPARQL query (runnable on /sparql; /search does not run it)",
            },
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "pageSize": {"type": "integer"},
            "results": {"type": "array", "items": result},
            "also_matched": {"type": "array", "items": concept},
            "facets": {
                "type": "object",
                "required": list(FACETS),
                "properties": {facet: {"type": "array", "items": bucket} for facet in FACETS},
            },
        },
    }


def schemas() -> dict:
    summary = {
        "type": "object",
        "required": ["name", "url", "cases", "stale"],
        "properties": {
            "name": {"type": "string"},
            "url": {"type": "string"},
            "cases": {"type": "integer"},
            "stale": {"type": "boolean"},
            "latest_run": {"type": ["object", "null"]},
        },
    }
    return {
        "FeedState": {
            "type": "object",
            "required": ["stream", "cases"],
            "properties": {
                "stream": {"type": "string"},
                "cases": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "sha256"],
                        "properties": {"id": {"type": "string"}, "sha256": {"type": "string"}},
                    },
                },
            },
        },
        "SourceSummary": summary,
        "Reports": {
            "type": "object",
            "required": ["sources"],
            "properties": {
                "sources": {"type": "array", "items": {"$ref": "#/components/schemas/SourceSummary"}}
            },
        },
        "SourceReport": {
            "allOf": [
                {"$ref": "#/components/schemas/SourceSummary"},
                {
                    "type": "object",
                    "required": ["runs"],
                    "properties": {"runs": {"type": "array", "items": {"type": "object"}}},
                },
            ]
        },
        "SearchAnswer": search_schema(),
        **registration_schemas(),
        "Suggestions": suggestions_schema(),
        "Matches": matches_schema(),
        **problem_components()["schemas"],
    }


def openapi_document(base_url: str, title: str, *, with_feed: bool = True) -> dict:
    """`with_feed`: False for an endpoint served without a registry (only /sparql)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{title} API",
            "version": "1",
            "description": "A Stafett registry: the harvested cases through SPARQL 1.1 (read-only), "
            "the registry's own LDES feed, its search, its harvest reports and registration requests from "
            "publishers. No authentication; "
            "CORS is open. Every error is application/problem+json.",
        },
        "servers": [{"url": base_url}],
        "paths": {"/sparql": sparql_path(), **(feed_paths() if with_feed else {})},
        "components": {"schemas": schemas()},
    }


def routes(document: dict) -> list[Route]:
    """/openapi.json: the description (its page for people is harvester/web/api_page.py)."""
    body = orjson.dumps(document, option=orjson.OPT_INDENT_2)

    def description(request: Request) -> Response:
        return Response(body, media_type="application/json", headers=cors_headers())

    return [Route("/openapi.json", description, methods=["GET", "HEAD"])]
