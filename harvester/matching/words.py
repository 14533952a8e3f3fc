"""A match's reasons in the reader's language: fixed words from stafett/interface/matching.json,
the names of things (CPV groups, topics, sectors, places, countries) from the vocabulary's SKOS
labels, so a reader sees "same CPV group 3319 — Miscellaneous medical devices; both in Kronoberg
County; tenders planned within 2 months", never a code alone or an IRI.

Both the JSON answer (api/matches.py) and the pages (web/matches_page.py) say reasons with this.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester.matching.score import Reason
from stafett.texts import words
from stafett.vocabulary.terms import SKOS, term

PREF_LABEL = term(SKOS, "prefLabel")
AREA = "matching"
CPV_BASE = vocabulary.SCHEMES["cpv"] + "/"
LABELLED = ("topic", "sector", "text", "region", "country")


@cache
def labels() -> dict[str, dict[str, str]]:
    """skos:prefLabel per concept IRI and language tag, for every scheme the vocabulary ships."""
    found: dict[str, dict[str, str]] = {}
    for quad in (*vocabulary.concept_quads(), *vocabulary.reference_quads()):
        if (
            quad.predicate == PREF_LABEL
            and isinstance(quad.object, ox.Literal)
            and isinstance(quad.subject, ox.NamedNode)
        ):
            found.setdefault(quad.subject.value, {})[quad.object.language or ""] = quad.object.value
    return found


def label(iri: str, lang: str) -> str:
    """The label for the reader (Bokmål for Nynorsk, then English, then any); a place table
    written in its country's language (`no` for Norway) counts for that country's readers too."""
    names = labels().get(iri, {})
    for candidate in (lang, "nb" if lang == "nn" else lang, "no" if lang in ("nb", "nn") else lang, "en"):
        if candidate in names:
            return names[candidate]
    return next(iter(sorted(names.items())), ("", iri.rsplit("/", 1)[-1]))[1]


def joined(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {words(AREA, lang)['list-and']} " + items[-1]


def day(value: str, lang: str) -> str:
    """A day as the reader writes it (ISO order is read the same in all seven languages)."""
    return date.fromisoformat(value).isoformat()


def say(reason: Reason, lang: str) -> str:
    table = words(AREA, lang)
    if reason.kind == "cpv-group":
        parts = [
            table["reason-cpv-group"].format(code=group, label=label(CPV_BASE + group.ljust(8, "0"), lang))
            for group in reason.values
        ]
        return "; ".join(parts)
    if reason.kind in LABELLED:
        key = {"region": "reason-place", "country": "reason-place"}.get(reason.kind, f"reason-{reason.kind}")
        return table[key].format(labels=joined([label(v, lang) for v in reason.values], lang))
    if reason.kind == "nordic":
        return table["reason-nordic"]
    if reason.kind == "time":
        months = int(reason.values[0]) if reason.values else 0
        return table["reason-time"].format(months=months) if months else table["reason-time-same"]
    if reason.kind in ("need", "offer-adoption"):
        if reason.values:
            return table[f"reason-{reason.kind}-until"].format(date=day(reason.values[0], lang))
        return table[f"reason-{reason.kind}"]
    return reason.kind  # a kind this registry does not know (a newer writer): shown as stored


def reasons_in_words(reasons: list[Reason] | tuple[Reason, ...], lang: str) -> list[str]:
    return [say(reason, lang) for reason in reasons]


def kind_word(kind: str, lang: str) -> str:
    return words(AREA, lang).get(f"kind-{kind}", kind)
