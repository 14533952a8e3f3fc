"""The registry's matches for machines (issue 15): `GET /matches?for=<IRI>&format=json|atom`.

`for` is a case (a planned need, a case open for partners, or any case others' needs fit) or an
organisation (the `dct:publisher` of cases). JSON answers

    {"for": "<IRI>", "matches": [{"id": "<IRI>", "score": 0.94, "kind": "need",
      "reasons": ["same CPV group 3319 — …", …], "codes": [{"kind": "cpv-group", "values": ["3319"]}],
      "with": "<the case of `for`'s side>", "created": "…"}]}

with the reasons in words in `lang` (or Accept-Language), from SKOS labels. Atom is the alert:
one entry per match, newest first, so a feed reader shows each new match once (both sides of a
match see it: the feed of a case or organisation lists the matches it takes part in). Expired
offers are left out at read time. The same matches are in the SPARQL graph
`<base>graph/matches` (docs/matching.md).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import languages, texts
from stafett.harvester.api.responses import JSON, json_response, negotiate, not_acceptable, read_route
from stafett.harvester.links import case_page_url
from stafett.harvester.matching import graph
from stafett.harvester.matching.engine import today_utc
from stafett.harvester.matching.words import reasons_in_words
from stafett.problems import Problem
from stafett.web import problem_response

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

ATOM = "application/atom+xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
FORMATS = {"json": JSON, "atom": ATOM}
MAX_IRI = 2000
FEED_ENTRIES = 50


@dataclass
class Subject:
    """What `for` names: a case or an organisation, with what to call it."""

    iri: str
    is_case: bool
    names: dict[str, str]


def wanted_language(request: Request) -> str:
    requested = request.query_params.get("lang")
    requested = requested if requested in languages.SUPPORTED else None
    return languages.pick(request.headers.get("accept-language"), requested=requested)


def subject_of(registry: Registry, iri: str) -> Subject | None:
    assert registry.store is not None
    found = graph.about(registry.store, iri)
    if found is not None:
        return Subject(iri, True, found.titles)
    names = graph.organisation_names(registry.store, iri)
    return Subject(iri, False, names) if names is not None else None


def check_for(request: Request) -> str:
    iri = request.query_params.get("for", "").strip()
    if not iri or len(iri) > MAX_IRI or not iri.startswith(("http://", "https://")):
        raise Problem(
            400,
            "bad-match-subject",
            "Say whose matches",
            "give `for` as the IRI of a case or an organisation (http or https, at most "
            f"{MAX_IRI} characters), e.g. /matches?for=https://…/case/…&format=json",
        )
    return iri


def unknown(iri: str) -> Problem:
    return Problem(
        404, "not-found", "Nothing known by this IRI", f"the registry holds no case or organisation {iri}"
    )


def match_entries(registry: Registry, subject: Subject, lang: str) -> list[dict]:
    """The subject's live matches as plain dicts, best first (the JSON items and the page rows)."""
    assert registry.store is not None
    found = graph.matches_of(
        registry.store, graph.matches_graph(registry.settings.base_url), subject.iri, today_utc()
    )
    entries, seen = [], set()
    # two seekers listing each other are one match: the subject's own listing first
    for match in sorted(found, key=lambda m: (-m.score, m.seeker != subject.iri, m.created, m.iri)):
        # From a case's side, the other case; from an organisation's side, the other organisation's case.
        if subject.is_case:
            other, mine = match.other(subject.iri), subject.iri
        else:
            seeker_about = graph.about(registry.store, match.seeker)
            mine_is_seeker = seeker_about is not None and seeker_about.publisher == subject.iri
            other, mine = (
                (match.candidate, match.seeker) if mine_is_seeker else (match.seeker, match.candidate)
            )
        if (other, mine) in seen:  # two seekers listing each other: one match, the better score first
            continue
        seen.add((other, mine))
        entries.append(
            {
                "id": other,
                "score": round(match.score, 3),
                "kind": match.kind if other == match.candidate else "seeker",
                "reasons": reasons_in_words(match.reasons, lang),
                "codes": [{"kind": r.kind, "values": list(r.values)} for r in match.reasons],
                "with": mine,
                "created": match.created,
                "match": match.iri,
            }
        )
    return entries


def matches_document(registry: Registry, subject: Subject, lang: str) -> dict:
    return {"for": subject.iri, "language": lang, "matches": match_entries(registry, subject, lang)}


def routes(registry: Registry) -> list[Route]:
    def matches(request: Request) -> Response:
        if registry.store is None:
            return problem_response(
                Problem(
                    501, "no-matches", "No matches here", "this registry keeps no matches (external store)"
                )
            )
        try:
            iri = check_for(request)
        except Problem as problem:
            return problem_response(problem)
        asked = request.query_params.get("format")
        media = FORMATS.get(asked or "") if asked else negotiate(request, [JSON, ATOM])
        if media is None:
            return not_acceptable("matches", list(FORMATS.values()))
        subject = subject_of(registry, iri)
        if subject is None:
            return problem_response(unknown(iri))
        lang = wanted_language(request)
        if media == ATOM:
            return atom_response(registry, subject, lang)
        return json_response(request, matches_document(registry, subject, lang), "matches")

    return [read_route("/matches", matches)]


def atom_response(registry: Registry, subject: Subject, lang: str) -> Response:
    base = registry.settings.base_url
    words = texts.words("matching", lang)
    entries = sorted(
        match_entries(registry, subject, lang), key=lambda e: (e["created"], e["match"]), reverse=True
    )
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    name = pick(subject.names, lang) or subject.iri
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = words["feed-title"].format(name=name)
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = f"{base}matches?for={subject.iri}"
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = (
        entries[0]["created"] if entries else "1970-01-01T00:00:00Z"
    )
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = registry.settings.title
    for entry in entries[:FEED_ENTRIES]:
        feed.append(atom_entry(registry, entry, lang, words))
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=f"{ATOM}; charset=utf-8", headers={"Vary": "Accept, Accept-Language"})


def atom_entry(registry: Registry, entry: dict, lang: str, words: dict[str, str]) -> ET.Element:
    assert registry.store is not None
    base = registry.settings.base_url
    mine, other = graph.about(registry.store, entry["with"]), graph.about(registry.store, entry["id"])
    item = ET.Element(f"{{{ATOM_NS}}}entry")
    title = words["entry-title"].format(
        seeker=pick(mine.titles if mine else {}, lang) or entry["with"],
        candidate=pick(other.titles if other else {}, lang) or entry["id"],
    )
    ET.SubElement(item, f"{{{ATOM_NS}}}title").text = title
    ET.SubElement(item, f"{{{ATOM_NS}}}id").text = entry["match"]
    ET.SubElement(item, f"{{{ATOM_NS}}}updated").text = entry["created"]
    ET.SubElement(item, f"{{{ATOM_NS}}}link", href=case_page_url(entry["id"], base))
    ET.SubElement(item, f"{{{ATOM_NS}}}summary").text = "; ".join(entry["reasons"])
    return item


def pick(names: dict[str, str], lang: str) -> str:
    for candidate in (lang, "nb" if lang == "nn" else lang, "en", *sorted(names)):
        if candidate in names:
            return names[candidate]
    return ""
