"""`GET /chain?for=<IRI of a case or solution>`: a solution's adoption chain as a page for people.

From where it started (a pilot, usually) through its scale-ups to every organisation that adopted
it, and in how many countries, with each step's dates, stage, buyers and the contact points the
case gives, so that a reader knows whom to ask at every step. The chain is walked in both
directions across every harvested source (chain.py: bounded, cycle-safe); a solution's chain is
the chain of the case it belongs to. Every code is shown as its SKOS label in the reader's
language; an address the registry knows nothing about is a 404 page in the reader's language.
Words: stafett/interface/chain.json (and the case page's words for the relations).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import texts
from stafett.harvester.sparql.service import SparqlService
from stafett.harvester.web import answers, reading
from stafett.harvester.web import chain as chains
from stafett.harvester.web.case_page import MAX_ID, P, linked
from stafett.harvester.web.labels import concept_label, in_language
from stafett.harvester.web.pages import link, reader_language, render
from stafett.vocabulary.terms import DCT, VCARD, term

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

IDENTIFIER = term(DCT, "identifier").value
PHONE = term(VCARD, "hasTelephone").value


def chain_url(case: str, lang: str) -> str:
    return link("/chain", [("for", case), ("lang", lang)])


def routes(service: SparqlService, registry: Registry) -> list[Route]:
    async def chain_route(request: Request) -> Response:
        lang = reader_language(request)
        store = registry.store
        if store is None:  # an external store: the pages read the embedded one only
            words = texts.words("search", lang)
            return render(
                request, "search_failed.html", lang, status=501, w=words, messages=[words["no_index"]]
            )
        if "for" not in request.query_params:  # the index: every chain's origin
            client = request.client.host if request.client else "unknown"
            found = await answers.rows(service, reading.named_query("chain-origins"), client)
            return render(
                request, "chains.html", lang, **await asyncio.to_thread(index_view, store, found, lang)
            )
        asked = request.query_params.get("for", "")
        start = None
        if asked.startswith(("http://", "https://")) and len(asked) <= MAX_ID:
            start = await asyncio.to_thread(starting_case, store, asked)
        chain = await asyncio.to_thread(chains.follow, store, start) if start is not None else None
        if chain is None:
            words = texts.words("chain", lang)
            return render(request, "chain_missing.html", lang, status=404, w=words)
        view = await asyncio.to_thread(chain_view, store, chain, asked, lang)
        return render(request, "chain.html", lang, **view)

    return [Route("/chain", chain_route, methods=["GET", "HEAD"])]


def starting_case(store, asked: str) -> str | None:
    """The case the chain starts from: the case asked for, or the case of the solution asked for,
    or a case this registry does not hold but other cases link to (its publisher has the rest)."""
    if reading.titles(store, asked):
        return asked
    return chains.solution_case(store, asked) or (asked if reading.links_in(store, asked) else None)


def chain_view(store, chain: chains.Chain, asked: str, lang: str) -> dict:
    words = texts.words("chain", lang)
    case_words = texts.words("case", lang)
    graphs = {case: reading.case_graph(store, case) for case in chain.cases}
    generation = chains.generations(chain)
    steps = [step(store, chain, case, graphs[case], lang, case_words) for case in chain.cases]
    by_case = dict(zip(chain.cases, steps, strict=True))

    def when(case: str) -> str:
        return by_case[case]["start"] or "9999"

    ordered = sorted(generation, key=lambda c: (generation[c], when(c), c))
    related = [c for c in chain.cases if c not in generation]  # the start first when it is one
    start_title = by_case[chain.start]["case"]["title"]
    return {
        "w": words,
        "cw": case_words,
        "start": by_case[chain.start],
        "start_title": start_title,
        "from_solution": asked != chain.start,
        "summary": summary(chain, graphs, lang, words, generation),
        "steps": [by_case[c] | {"role": role(chain, c, generation, words)} for c in ordered],
        "related": [by_case[c] for c in related],
        "alone": len(chain.cases) == 1,
        "truncated": chain.truncated,
        "limits": words["truncated"].format(cases=chains.MAX_CASES, depth=chains.MAX_DEPTH),
        "case_url": by_case[chain.start]["case"]["url"],
    }


def role(chain: chains.Chain, case: str, generation: dict[str, int], words) -> str:
    kinds = {link.kind for link in chain.derived() if link.later == case}
    if chains.ADOPTION in kinds:
        return words["role_adoption"]
    if chains.SCALE_UP in kinds:
        return words["role_scale_up"]
    return words["role_origin"]


def step(store, chain: chains.Chain, case: str, graph, lang: str, case_words) -> dict:
    """One case of the chain: its link, facts, relations to the others and whom to contact."""
    found: dict = {
        "id": case,
        "case": linked(store, case, lang, case_words),
        "is_start": case == chain.start,
        "facts": [],
        "contacts": [],
        "start": None,
    }
    relations = []
    for kind in (chains.SCALE_UP, chains.ADOPTION):
        earlier = [x.earlier for x in chain.derived(kind) if x.later == case]
        if earlier:
            relations.append((case_words[kind], [linked(store, e, lang, case_words) for e in earlier]))
    related = sorted(
        x.other(case) for x in chain.links if x.kind == chains.RELATED and case in (x.later, x.earlier)
    )
    if related:
        relations.append((case_words["relatedCase"], [linked(store, r, lang, case_words) for r in related]))
    found["relations"] = relations
    if graph is None:  # linked, but not held by this registry: its publisher has the rest
        return found
    search_words = texts.words("search", lang)

    def labels(predicate: str) -> list[str]:
        return [x for iri in graph.nodes(case, predicate) if (x := concept_label(iri, lang))]

    dates = [v.value for key in ("start", "end") for v in graph.values(case, P[key])]
    found["start"] = next((v.value for v in graph.values(case, P["start"])), None)
    facts = [
        (search_words["facet_country"], labels(P["country"])),
        (search_words["facet_status"], labels(P["status"])),
        (case_words["period"], [" – ".join(dates)] if dates else []),
        (search_words["buyers"], [b["name"] for b in buyers(graph, case, lang)]),
    ]
    found["facts"] = [(heading, values) for heading, values in facts if values]
    found["contacts"] = contact_points(graph)
    return found


def contact_points(graph: reading.Graph) -> list[dict]:
    """Whom to ask about this step, as the case gives it: a name, an e-mail, a telephone."""
    found = []
    for node in graph.nodes(graph.case, P["contact"]):
        names = graph.texts(node, P["fn"])
        mail = next((m for m in graph.nodes(node, P["email"]) if m.startswith("mailto:")), None)
        tel = next((t for t in graph.nodes(node, PHONE) if t.startswith("tel:")), None)
        if names or mail or tel:
            found.append({"name": next(iter(names.values()), None), "mailto": mail, "tel": tel})
    return found


def buyers(graph: reading.Graph, case: str, lang: str) -> list[dict]:
    """The case's buyers: a name in the reader's language and a key that finds the same
    organisation in another case (its identifier when the case gives one, else its names)."""
    found = []
    for node in graph.nodes(case, P["buyer"]):
        names = graph.texts(node, P["name"])
        name = in_language(names, lang)
        if name is None:
            continue
        identifier = next((v.value for v in graph.values(node, IDENTIFIER)), None)
        key = f"id:{identifier}" if identifier else "names:" + "|".join(sorted(names.values()))
        found.append({"name": name[0], "key": key})
    return sorted(found, key=lambda b: b["name"])


def summary(chain: chains.Chain, graphs: dict, lang: str, words, generation: dict[str, int]) -> list:
    """The chain in numbers: where it started, scale-ups, adopting organisations and countries."""
    adopters = sorted({x.later for x in chain.derived(chains.ADOPTION)})
    organisations: dict[str, str] = {}
    countries: dict[str, str] = {}
    for case in adopters:
        graph = graphs.get(case)
        if graph is None:
            continue
        for buyer in buyers(graph, case, lang):
            organisations.setdefault(buyer["key"], buyer["name"])
        for iri in graph.nodes(case, P["country"]):
            countries.setdefault(iri, concept_label(iri, lang) or iri)
    origins = [c for c, n in generation.items() if n == 0]
    scale_ups = {x.later for x in chain.derived(chains.SCALE_UP)}
    return [
        {"key": "origins", "label": words["origins"], "count": len(origins), "names": []},
        {"key": "scale_ups", "label": words["scale_ups"], "count": len(scale_ups), "names": []},
        {
            "key": "adopters",
            "label": words["adopters"],
            "count": len(organisations),
            "names": sorted(organisations.values()),
        },
        {
            "key": "countries",
            "label": words["adopter_countries"],
            "count": len(countries),
            "names": sorted(countries.values()),
        },
    ]


def index_view(store, found: list[dict] | None, lang: str) -> dict:
    """The origins of the registry's chains (queries/chain-origins.rq), each linked to its chain."""
    words = texts.words("chain", lang)
    case_words = texts.words("case", lang)
    origins = [
        {
            "case": linked(store, row["origin"]["value"], lang, case_words),
            "chain_url": chain_url(row["origin"]["value"], lang),
            "followers": int(row["followers"]["value"]),
        }
        for row in found or []
    ]
    return {"w": words, "cw": case_words, "origins": origins, "failed": found is None}
