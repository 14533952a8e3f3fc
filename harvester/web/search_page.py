"""`GET /` and `GET /search` for people: the registry's search as a server-rendered page.

One contract for machines and people (docs/search.md): the same URL answers HTML by default (a
browser, `Accept: text/html`, `*/*`, no Accept) and hands every other wish (`format=...`, or an
Accept that prefers JSON, Atom, CSV or JSON-LD) to the protocol function in harvester/api/search.py,
whose JSON stays the contract. The page asks that same search: its counts are the JSON's live
counts. It works without JavaScript: one GET form (words, sort, the facets as checkboxes in
fieldsets), links for the language switch, the active filters and the pages.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import texts, vocabulary
from stafett.harvester.api import catalogue
from stafett.harvester.api import search as search_api
from stafett.harvester.api.responses import JSON, negotiate
from stafett.harvester.search.analysis import fold
from stafett.harvester.search.query import SORTS, search
from stafett.harvester.web import reading, suggestions
from stafett.harvester.web.labels import (
    concept_label,
    fallbacks,
    in_language,
    language_name,
    property_label,
    scheme_label,
)
from stafett.harvester.web.pages import Params, link, reader_language, render
from stafett.problems import Problem

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

# What a machine may ask /search for besides the page; the protocol function decides what it serves.
MACHINE_TYPES = [JSON, "application/atom+xml", "text/csv", "application/ld+json"]
PAGE_WINDOW = 2  # page links either side of the current one
WORD = re.compile(r"\w+")


def case_url(case: str, lang: str) -> str:
    return link("/cases", [("id", case), ("lang", lang)])


def wants_page(request: Request) -> bool:
    """HTML unless `format` is given or the client prefers a machine format to HTML."""
    if "format" in request.query_params:
        return False
    return negotiate(request, ["text/html", *MACHINE_TYPES]) == "text/html"


def endpoint_of(routes: list, path: str):
    return next(route.endpoint for route in routes if route.path == path)


def routes(registry: Registry) -> list[Route]:
    machine = endpoint_of(search_api.routes(registry), "/search")  # CORS, preflight, the JSON contract
    description = endpoint_of(catalogue.routes(registry), "/")  # `/` for machines: the DCAT catalogue

    def search_route(request: Request) -> Response:
        if request.method == "OPTIONS" or not wants_page(request):
            return machine(request)
        return page(request, registry)

    def front(request: Request) -> Response:
        offered = catalogue.DESCRIPTION_FORMATS
        if request.method == "OPTIONS" or negotiate(request, offered) != "text/html":
            return description(request)
        return page(request, registry)

    def suggest_route(request: Request) -> Response:
        return suggestions.suggest_response(request, registry)

    methods = ["GET", "HEAD", "OPTIONS"]
    return [
        Route("/", front, methods=methods),
        Route("/search", search_route, methods=methods),
        Route("/suggest", suggest_route, methods=["GET", "HEAD"]),
    ]


def page(request: Request, registry: Registry) -> Response:
    lang = reader_language(request)
    words = texts.words("search", lang)
    try:
        wanted = search_api.read_parameters(request, lang)
    except Problem as problem:
        messages = [finding.message for finding in problem.findings] or [problem.detail]
        return render(request, "search_failed.html", lang, status=problem.status, w=words, messages=messages)
    if registry.search is None or registry.store is None:  # an external store: no index (yet)
        return render(request, "search_failed.html", lang, status=501, w=words, messages=[words["no_index"]])
    answer = search(registry.search, wanted)
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page",)]
    store = registry.store
    names = suggestions.cached(registry, "names", dict)  # organisation IRI -> names, until a harvest
    facets = facet_view(
        lambda iri: names.get(iri) or names.setdefault(iri, reading.names(store, iri)),
        answer["facets"],
        wanted.filters,
        words,
        lang,
    )
    context = {
        "w": words,
        "q": wanted.q,
        "sort": wanted.sort,
        "sorts": [(key, words[f"sort_{key}"]) for key in SORTS],
        "total": answer["total"],
        "facets": facets,
        "active": active_filters(facets, params),
        "clear_url": link("/search", [(k, v) for k, v in params if k in ("q", "lang", "sort")]),
        "hits": [hit_view(store, hit, wanted.q, words, lang) for hit in answer["results"]],
        "also_matched": also_matched(answer.get("also_matched") or [], words, lang),
        "pages": pagination(answer["total"], answer["pageSize"], wanted.page, params, words),
        "did_you_mean": None,
        "suggested": [],
        "datalist": suggestions.datalist(registry, lang),
        "json_url": link("/search", [*params, ("format", "json")]),
    }
    if answer["total"] == 0 and wanted.q.strip():
        corrected = suggestions.did_you_mean(registry, wanted, lang)
        if corrected is not None:
            kept = [(k, v) for k, v in params if k != "q"]
            context["did_you_mean"] = {"q": corrected, "url": link("/search", [("q", corrected), *kept])}
    if len(wanted.q.strip()) >= suggestions.MIN_CHARS:
        context["suggested"] = suggestions.suggest(registry, wanted.q, lang)[:6]
    return render(request, "search.html", lang, **context)


# -- facets ------------------------------------------------------------------------------------
def facet_name(facet: str, words: dict[str, str], lang: str = "en") -> str:
    """The facet's name: this page's word for it, else the ontology's label of the property."""
    return words.get(f"facet_{facet}") or property_label(facet, lang) or words["facet_other"]


def value_label(names, facet: str, value: str, given: str | None, words: dict[str, str], lang: str) -> str:
    """A facet value as a person reads it: the JSON's label when it is one, else the vocabulary's
    label, yes/no for booleans, an organisation's name for its IRI (`names(iri)`: language tag ->
    name, from the store); never the bare code or IRI."""
    if given and given != value:
        return given
    if value in ("true", "false"):
        return words["yes"] if value == "true" else words["no"]
    found = scheme_label(facet, value, lang) if facet in vocabulary.SCHEMES else None
    if found is None and value.startswith(("http://", "https://")):
        found = concept_label(value, lang)
        if found is None:
            name = in_language(names(value), lang)
            found = name[0] if name else None
    return found or value


def facet_view(names, facets: dict, filters, words: dict[str, str], lang: str) -> list[dict]:
    """Every facet the JSON carries (whatever facets the index grows), selected values first kept."""
    view = []
    for facet, buckets in facets.items():
        chosen = list(filters.get(facet, ()))
        counted = {b["value"]: b for b in buckets}
        values = [
            *(
                {"value": v, "label": None, "count": counted.get(v, {}).get("count", 0)}
                for v in chosen
                if v not in counted
            ),
            *buckets,
        ]
        if not values:
            continue
        items = [
            {
                "id": f"f-{facet}-{n}",
                "value": b["value"],
                "label": value_label(names, facet, b["value"], b.get("label"), words, lang),
                "count": b["count"],
                "checked": b["value"] in chosen,
            }
            for n, b in enumerate(values)
        ]
        if facet == "startYear":
            items.sort(key=lambda item: item["value"], reverse=True)
        view.append({"name": facet, "legend": facet_name(facet, words, lang), "entries": items})
    return view


def active_filters(facets: list[dict], params: Params) -> list[dict]:
    """Each selected value with a link to the same search without it."""
    found = []
    for facet in facets:
        for item in facet["entries"]:
            if item["checked"]:
                without = [(k, v) for k, v in params if not (k == facet["name"] and v == item["value"])]
                found.append(
                    {"facet": facet["legend"], "label": item["label"], "url": link("/search", without)}
                )
    return found


def also_matched(items: list[dict], words: dict[str, str], lang: str = "en") -> list[str]:
    """One line per concept the words also matched (the JSON's `also_matched`): label, facet."""
    return [
        f"{item['label']}, {facet_name(item.get('facet', ''), words, lang)}"
        for item in items
        if item.get("label")
    ]


# -- results -----------------------------------------------------------------------------------
def hit_view(store, hit: dict, q: str, words: dict[str, str], lang: str) -> dict:
    details, buyer_names = reading.hit_details(store, hit["id"])
    title_lang = hit.get("titleLanguage") or ""
    buyers = sorted({found[0] for names in buyer_names.values() if (found := in_language(names, lang))})
    start = min((v.value[:4] for v in details.get("start", [])), default="")
    end = max((v.value[:4] for v in details.get("end", [])), default="")
    return {
        "url": case_url(hit["id"], lang),
        "title": hit.get("title") or words["untitled"],
        "title_lang": title_lang or None,
        "fallback": (
            words["not_translated"].format(language=language_name(title_lang, lang))
            if title_lang and title_lang not in fallbacks(lang)[:1]
            else None
        ),
        "buyers": buyers,
        "country": (scheme_label("country", hit["country"], lang) or hit["country"])
        if hit.get("country")
        else None,
        "status": labels_of(details.get("status", []), lang),
        "years": "–".join(dict.fromkeys(y for y in (start, end) if y)),
        "approach": labels_of(details.get("innovationApproach", []), lang),
        "snippet": highlight(hit.get("snippet") or "", q),
    }


def labels_of(values: list, lang: str) -> str:
    found = (concept_label(v.value, lang) for v in values)
    return ", ".join(sorted({label for label in found if label}))


def highlight(snippet: str, q: str) -> Markup:
    """The snippet with the words that match the query marked (by a shared stem-like prefix, folded,
    so "hemtjänst" marks "hemtjänsten" and "økonomi" marks "ekonomi"'s folded twin)."""
    stems = [stem(fold(word.lower())) for word in WORD.findall(q)]
    stems = [s for s in stems if s]
    if not stems:
        return escape(snippet)
    out, last = [], 0
    for match in WORD.finditer(snippet):
        token = fold(match.group().lower())
        if any(token.startswith(s) or (len(token) >= 4 and s.startswith(token)) for s in stems):
            out += [
                escape(snippet[last : match.start()]),
                Markup("<mark>"),
                escape(match.group()),
                Markup("</mark>"),
            ]
            last = match.end()
    out.append(escape(snippet[last:]))
    return Markup("").join(out)


def stem(word: str) -> str:
    return word if len(word) < 5 else word[: max(4, len(word) - 3)]


def pagination(total: int, size: int, current: int, params: Params, words: dict[str, str]) -> dict | None:
    count = min(math.ceil(total / size), search_api.MAX_PAGE) if size else 0
    if count <= 1:
        return None

    def url(n: int) -> str:
        return link("/search", [*params, *([("page", str(n))] if n > 1 else [])])

    shown = sorted({1, count, *range(max(1, current - PAGE_WINDOW), min(count, current + PAGE_WINDOW) + 1)})
    return {
        "current": current,
        "previous": url(current - 1) if current > 1 else None,
        "next": url(current + 1) if current < count else None,
        "numbers": [
            {"n": n, "url": url(n), "current": n == current, "label": words["page_n"].format(n=n)}
            for n in shown
        ],
    }
