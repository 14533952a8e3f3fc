"""Matches for people (issue 15): `/matches?for=<IRI>` as a page, and the "who else needs this"
panel of the case page.

`/matches` is one route: a page for a browser, JSON or Atom for `format=json|atom` or a client
preferring them (harvester/api/matches.py answers those). The page of an organisation lists the
matches of every case it publishes, on either side; the page of a case lists the cases that fit
it and those it fits. Reasons are in words in the reader's language (harvester/matching/words.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import texts
from stafett.harvester.api import matches as api
from stafett.harvester.api.responses import negotiate
from stafett.harvester.matching import graph
from stafett.harvester.matching.engine import today_utc
from stafett.harvester.matching.profile import read_profile
from stafett.harvester.matching.words import kind_word
from stafett.harvester.web.labels import in_language
from stafett.harvester.web.pages import link, reader_language, render
from stafett.harvester.web.search_page import case_url

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

PANEL_SIZE = 5


def wants_page(request: Request) -> bool:
    if "format" in request.query_params:
        return False
    return negotiate(request, ["text/html", api.JSON, api.ATOM]) == "text/html"


def routes(registry: Registry) -> list[Route]:
    machine = next(route.endpoint for route in api.routes(registry) if route.path == "/matches")

    def matches_route(request: Request) -> Response:
        if request.method == "OPTIONS" or not wants_page(request) or registry.store is None:
            return machine(request)
        lang = reader_language(request)
        words = texts.words("matching", lang)
        try:
            iri = api.check_for(request)
        except Exception:  # a missing or malformed `for`: the same 400 as for machines
            return machine(request)
        subject = api.subject_of(registry, iri)
        if subject is None:
            return render(request, "matches.html", lang, status=404, mw=words, subject=None, rows=[])
        rows = [row(registry, entry, lang, words) for entry in api.match_entries(registry, subject, lang)]
        return render(
            request,
            "matches.html",
            lang,
            mw=words,
            subject={"is_case": subject.is_case, "name": named(subject.names, lang, subject.iri)},
            rows=rows,
            feed_url=link("/matches", [("for", iri), ("format", "atom"), ("lang", lang)]),
            json_url=link("/matches", [("for", iri), ("format", "json"), ("lang", lang)]),
        )

    return [Route("/matches", matches_route, methods=["GET", "HEAD", "OPTIONS"])]


def named(names: dict[str, str], lang: str, fallback: str) -> dict:
    found = in_language(names, lang)
    return {"text": found[0], "lang": found[1]} if found else {"text": fallback, "lang": ""}


def row(registry: Registry, entry: dict, lang: str, words: dict[str, str]) -> dict:
    assert registry.store is not None
    other, mine = graph.about(registry.store, entry["id"]), graph.about(registry.store, entry["with"])
    return {
        "case": case_side(other, entry["id"], lang),
        "mine": case_side(mine, entry["with"], lang),
        "organisation": named(other.publisher_names, lang, "—") if other else None,
        "percent": words["percent"].format(percent=round(entry["score"] * 100)),
        "kind": kind_word(entry["kind"], lang) if entry["kind"] != "seeker" else words["kind-need"],
        "reasons": entry["reasons"],
    }


def case_side(found: graph.About | None, iri: str, lang: str) -> dict:
    if found is None:
        return {"url": iri, "title": {"text": iri, "lang": ""}}
    return {"url": case_url(iri, lang), "title": named(found.titles, lang, iri)}


def panel(registry: Registry, case: str, lang: str) -> dict | None:
    """The case page's "who else needs this": for a planned need or a case open for partners
    (today: an offer past its day is not open), its best matches; None for any other case."""
    assert registry.store is not None
    profile = read_profile(registry.store, case, registry.prov_graph)
    if profile is None or not profile.seeks(today_utc()):
        return None
    words = texts.words("matching", lang)
    subject = api.Subject(case, True, {})
    entries = api.match_entries(registry, subject, lang)
    return {
        "w": words,
        "rows": [row(registry, entry, lang, words) for entry in entries[:PANEL_SIZE]],
        "all_url": link("/matches", [("for", case), ("lang", lang)]),
        "feed_url": link("/matches", [("for", case), ("format", "atom"), ("lang", lang)]),
    }
