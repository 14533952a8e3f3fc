"""`GET /cases?id=<case IRI>`: one harvested case as a page a person can read.

Everything comes from the store through the named queries in queries/ (the case's own graph, the
provenance graph, the cases that point at it, the similar ones), every code or IRI shown as its
SKOS label in the reader's language, every text in the reader's language when the publisher wrote
one (else another, marked with its language). The adoption chain is resolved across the whole
registry in both directions: what the case says (scaled up from, adopted from, adopted by,
related) and what other cases say about it. An unknown case is a 404 page in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import texts
from stafett.harvester import verify
from stafett.harvester.matching.engine import today_utc
from stafett.harvester.matching.profile import last_day
from stafett.harvester.web import matches_page, reading, similar
from stafett.harvester.web.labels import concept_label, in_language, language_name, property_label
from stafett.harvester.web.pages import link, reader_language, render
from stafett.harvester.web.search_page import case_url
from stafett.vocabulary.terms import ADMS, DCAT, DCT, EPO, FOAF, STF, VCARD, term

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

MAX_ID = 2000
P = {
    "title": term(DCT, "title").value,
    "summary": term(DCT, "description").value,
    "need": term(STF, "need").value,
    "outcome": term(STF, "outcome").value,
    "lessons": term(STF, "lessonsLearned").value,
    "risks": term(STF, "risks").value,
    "risk_sharing": term(STF, "riskSharing").value,
    "adoption_note": term(STF, "adoptionNote").value,
    "country": term(DCT, "spatial").value,
    "status": term(ADMS, "status").value,
    "sector": term(STF, "sector").value,
    "approach": term(STF, "innovationApproach").value,
    "cpv": term(EPO, "hasMainClassification").value,
    "effect": term(STF, "effect").value,
    "adoption_route": term(STF, "adoptionRoute").value,
    "open_for_adoption": term(STF, "openForAdoption").value,
    # issue 15: offers' ends and what a planned need says of when and how big
    "adoption_until": term(STF, "openForAdoptionUntil").value,
    "partners_until": term(STF, "openForPartnersUntil").value,
    "tender": term(STF, "expectedTenderDate").value,
    "expected_start": term(STF, "expectedStartDate").value,
    "estimated": term(EPO, "hasEstimatedValue").value,
    "start": term(DCAT, "startDate").value,
    "end": term(DCAT, "endDate").value,
    "buyer": term(STF, "buyer").value,
    "name": term(FOAF, "name").value,
    "publisher": term(DCT, "publisher").value,
    "solution": term(STF, "solution").value,
    "supplier": term(STF, "supplier").value,
    "funding": term(STF, "funding").value,
    "funding_type": term(STF, "fundingType").value,
    "funder": term(STF, "funder").value,
    "amount": term(EPO, "hasAmountValue").value,
    "currency": term(EPO, "hasCurrency").value,
    "cost": term(EPO, "hasTotalValue").value,
    "contact": term(DCAT, "contactPoint").value,
    "fn": term(VCARD, "fn").value,
    "email": term(VCARD, "hasEmail").value,
    "document": term(FOAF, "page").value,
    "document_type": term(DCT, "type").value,
    "url": term(DCAT, "landingPage").value,
    "procedure": term(STF, "procedure").value,
    "procedure_type": term(EPO, "hasProcedureType").value,
}
PLACES = (term(STF, "municipality").value, term(STF, "region").value, term(EPO, "hasNutsCode").value)
# The adoption chain: what the case says, and how a link from another case reads from this side.
OUTGOING = {
    term(STF, "scaledUpFrom").value: "scaledUpFrom",
    term(STF, "adoptedFrom").value: "adoptedFrom",
    term(STF, "adoptedBy").value: "adoptedBy",
    term(DCT, "relation").value: "relatedCase",
}
INCOMING = {
    term(STF, "scaledUpFrom").value: "scaledUpIn",
    term(STF, "adoptedFrom").value: "adoptedBy",
    term(STF, "adoptedBy").value: "adoptedFrom",
    term(DCT, "relation").value: "relatedCase",
}
SHOWN = {*P.values(), *OUTGOING, *PLACES, term(DCT, "language").value}


@dataclass
class Text:
    text: str
    lang: str
    note: str | None  # "Written in Swedish" when not in the reader's language


def routes(registry: Registry) -> list[Route]:
    def case_route(request: Request) -> Response:
        lang = reader_language(request)
        if registry.store is None:  # an external store: the pages read the embedded one only
            words = texts.words("search", lang)
            return render(
                request, "search_failed.html", lang, status=501, w=words, messages=[words["no_index"]]
            )
        case = request.query_params.get("id", "")
        graph = None
        if case.startswith(("http://", "https://")) and len(case) <= MAX_ID:
            graph = reading.case_graph(registry.store, case)
        if graph is None:
            words = texts.words("case", lang)
            return render(request, "case_missing.html", lang, status=404, w=words)
        return render(request, "case.html", lang, **case_view(registry, graph, lang))

    return [Route("/cases", case_route, methods=["GET", "HEAD"])]


def text_in(names: dict[str, str], lang: str, words: dict[str, str]) -> Text | None:
    found = in_language(names, lang)
    if found is None:
        return None
    text, tag = found
    note = words["written_in"].format(language=language_name(tag, lang)) if tag and tag != lang else None
    return Text(text, tag or "", note)


def case_view(registry: Registry, graph: reading.Graph, lang: str) -> dict:
    store, case = registry.store, graph.case
    assert store is not None, "the route answers 501 without an embedded store"
    words = texts.words("case", lang)
    search_words = texts.words("search", lang)

    def label(iri: str) -> str | None:
        return concept_label(iri, lang)

    def labels(predicate: str, subject: str = case) -> list[str]:
        return [found for iri in graph.nodes(subject, predicate) if (found := label(iri))]

    def name(node: str) -> str | None:
        found = in_language(graph.texts(node, P["name"]), lang)
        return found[0] if found else None

    title = text_in(graph.texts(case, P["title"]), lang, words)
    sections = [
        (key, words[key], found)
        for key in ("summary", "need", "outcome", "lessons", "risks", "risk_sharing")
        if (found := text_in(graph.texts(case, P[key]), lang, words))
    ]
    dates = [v.value for key in ("start", "end") for v in graph.values(case, P[key])]
    facts = [
        (search_words["facet_country"], labels(P["country"])),
        (search_words["facet_status"], labels(P["status"])),
        (search_words["facet_sector"], labels(P["sector"])),
        (search_words["facet_innovationApproach"], labels(P["approach"])),
        (words["classification"], labels(P["cpv"])),
        (
            search_words["facet_procedureType"],
            [x for p in graph.nodes(case, P["procedure"]) for x in labels(P["procedure_type"], p)],
        ),
        (words["period"], [" – ".join(dates)] if dates else []),
        (search_words["buyers"], sorted(n for b in graph.nodes(case, P["buyer"]) if (n := name(b)))),
        (words["places"], list(dict.fromkeys(x for p in PLACES for x in labels(p)))),
        (words["effects"], labels(P["effect"])),
        (words["concepts"], other_concepts(graph, lang)),
        *planned_facts(graph, lang),
    ]
    return {
        "w": words,
        "title": title,
        "sections": sections,
        "facts": [(heading, values) for heading, values in facts if values],
        "solutions": solutions(graph, lang, words, name),
        "funding": funding(graph, lang, words, name),
        "contacts": contacts(graph),
        "documents": documents(graph, lang, words),
        "adoption": adoption(graph, lang, words, search_words, labels),
        "origin": origin(registry, graph, lang, name),
        "chain": chain(store, graph, lang, words),
        "chain_url": link("/chain", [("for", case), ("lang", lang)]),
        "see_chain": texts.word("chain", "see_chain", lang),
        "matches": matches_page.panel(registry, graph.case, lang),  # issue 15: who else needs this
        "similar": [linked(store, other, lang, words) for other in similar.similar(registry, graph)],
        "search_url": f"/search?lang={lang}",
    }


def other_concepts(graph: reading.Graph, lang: str) -> list[str]:
    """Concepts the case carries that no other part of the page shows (topics, for example)."""
    found = []
    for predicate, values in graph.by_subject.get(graph.case, {}).items():
        if predicate in SHOWN:
            continue
        found += [lab for v in values if hasattr(v, "value") and (lab := concept_label(v.value, lang))]
    return sorted(set(found))


def solutions(graph: reading.Graph, lang: str, words, name) -> list[dict]:
    found = []
    for node in graph.nodes(graph.case, P["solution"]):
        found.append(
            {
                "name": text_in(graph.texts(node, P["name"]), lang, words),
                "summary": text_in(graph.texts(node, P["summary"]), lang, words),
                "suppliers": sorted(n for s in graph.nodes(node, P["supplier"]) if (n := name(s))),
            }
        )
    return found


def money(graph: reading.Graph, node: str, lang: str) -> str | None:
    amounts = [v.value for v in graph.values(node, P["amount"])]
    if not amounts:
        return None
    try:
        number = f"{Decimal(amounts[0]):,f}".replace(",", "\u00a0")
    except InvalidOperation:
        number = amounts[0]
    currency = [concept_label(iri, lang) for iri in graph.nodes(node, P["currency"])]
    return " ".join([number, *(f"({c})" for c in currency if c)])


def funding(graph: reading.Graph, lang: str, words, name) -> list[dict]:
    found = []
    for node in graph.nodes(graph.case, P["cost"]):
        if (amount := money(graph, node, lang)) is not None:
            found.append({"kind": words["cost"], "funder": None, "amount": amount})
    for node in graph.nodes(graph.case, P["funding"]):
        kinds = [lab for iri in graph.nodes(node, P["funding_type"]) if (lab := concept_label(iri, lang))]
        funders = [n for f in graph.nodes(node, P["funder"]) if (n := name(f))]
        found.append(
            {
                "kind": ", ".join(kinds) or words["funding"],
                "funder": ", ".join(funders) or None,
                "amount": money(graph, node, lang),
            }
        )
    return found


def contacts(graph: reading.Graph) -> list[dict]:
    found = []
    for node in graph.nodes(graph.case, P["contact"]):
        names = graph.texts(node, P["fn"])
        mail = next((m for m in graph.nodes(node, P["email"]) if m.startswith("mailto:")), None)
        found.append({"name": next(iter(names.values()), None), "mailto": mail})
    return found


def documents(graph: reading.Graph, lang: str, words) -> list[dict]:
    found = []
    for node in graph.nodes(graph.case, P["document"]):
        url = next(iter(graph.nodes(node, P["url"])), None)
        kind = ", ".join(
            lab for iri in graph.nodes(node, P["document_type"]) if (lab := concept_label(iri, lang))
        )
        title = text_in(graph.texts(node, P["title"]), lang, words)
        if url:
            found.append({"url": url, "title": title, "kind": kind or words["documents"]})
    return found


def planned_facts(graph: reading.Graph, lang: str) -> list[tuple[str, list[str]]]:
    """issue 15: a planned need's dates and estimated value, and how long it is open to partners."""
    matching_words = texts.words("matching", lang)
    found = [
        (property_label(local, lang) or local, [v.value for v in graph.values(graph.case, P[key])])
        for key, local in (("tender", "expectedTenderDate"), ("expected_start", "expectedStartDate"))
    ]
    values = [m for node in graph.nodes(graph.case, P["estimated"]) if (m := money(graph, node, lang))]
    found.append((matching_words["estimated-value"], values))
    until = [v.value for v in graph.values(graph.case, P["partners_until"])]
    found.append((property_label("openForPartnersUntil", lang) or "", until))
    return found


def adoption(graph: reading.Graph, lang: str, words, search_words, labels) -> dict | None:
    flags = [v.value for v in graph.values(graph.case, P["open_for_adoption"])]
    routes_ = labels(P["adoption_route"])
    note = text_in(graph.texts(graph.case, P["adoption_note"]), lang, words)
    if not (flags or routes_ or note):
        return None
    until = [v.value for v in graph.values(graph.case, P["adoption_until"])]
    ends = last_day(until[0]) if until else None
    still = flags and flags[0] == "true" and (ends is None or ends >= today_utc())  # issue 15: read today
    open_ = (search_words["yes"] if still else search_words["no"]) if flags else None
    if still and until:
        open_ = f"{open_} ({texts.word('matching', 'until-date', lang).format(date=until[0])})"
    return {
        "open": open_,
        "open_label": search_words["facet_openForAdoption"],
        "routes": routes_,
        "note": note,
    }


def origin(registry: Registry, graph: reading.Graph, lang: str, name) -> dict:
    assert registry.store is not None
    recorded = reading.provenance(registry.store, graph.case, registry.prov_graph)
    publishers = [n for p in graph.nodes(graph.case, P["publisher"]) if (n := name(p))]
    source = recorded.get("source", "")
    source_name = source.removeprefix(registry.settings.base_url + "source/") if source else None
    harvested = recorded.get("harvested", "")
    when = harvested[:16].replace("T", " ") + " UTC" if harvested else None
    return {
        "publisher": ", ".join(publishers) or None,
        "original": graph.case,
        "harvested": when,
        "source": source_name,
        "signature": signature(recorded, publishers, lang, name),
    }


def signature(recorded: dict, publishers: list[str], lang: str, name) -> dict | None:
    """What checking the publisher's proof found (issue 16), as a sentence; None before signing."""
    status = recorded.get("signature")
    if status is None:
        return None
    signer = recorded.get("signedBy")
    organisation = (name(signer) if signer else None) or ", ".join(publishers) or "—"
    return {
        "label": texts.word("signing", "signature", lang),
        "sentence": verify.status_sentence(status, organisation, lang),
        "verified": status == "verified",
    }


def linked(store, other: str, lang: str, words) -> dict:
    """Another case as a link: to its page here when the registry holds it, else to its publisher."""
    held = reading.titles(store, other)
    if not held:
        return {"url": other, "title": Text(words["elsewhere"], lang, None), "held": False}
    title = text_in(held, lang, words) or Text(texts.word("search", "untitled", lang), lang, None)
    return {"url": case_url(other, lang), "title": title, "held": True}


def chain(store, graph: reading.Graph, lang: str, words) -> list[dict]:
    """The adoption chain in both directions, grouped by how it reads from this case."""
    groups: dict[str, dict[str, None]] = {
        key: {} for key in ("scaledUpFrom", "scaledUpIn", "adoptedFrom", "adoptedBy", "relatedCase")
    }
    for predicate, key in OUTGOING.items():
        for other in graph.nodes(graph.case, predicate):
            groups[key][other] = None
    for other, predicate in reading.links_in(store, graph.case):
        groups[INCOMING[predicate]][other] = None
    return [
        {
            "key": key,
            "heading": words[key],
            "cases": [linked(store, other, lang, words) for other in sorted(others)],
        }
        for key, others in groups.items()
        if others
    ]
