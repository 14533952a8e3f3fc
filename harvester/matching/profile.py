"""What matching knows of one case: codes, places, time window, offers and the concepts in its text.

A profile is read from the committed store with one named query (queries/profile.rq), so matching
sees exactly what the case page and the search see. Everything is kept as plain strings and small
sets: scoring a pair is set arithmetic, and 100,000 profiles fit in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester.search.analysis import NEUTRAL, field_for
from stafett.harvester.search.concepts import matches
from stafett.vocabulary.terms import SKOS, term

QUERIES = Path(__file__).with_name("queries")
PLANNED = vocabulary.concept_iri("status", "planned")
TOPIC_BASE = vocabulary.SCHEMES["topic"] + "/"
CPV_BASE = vocabulary.SCHEMES["cpv"] + "/"
NORDIC = frozenset(vocabulary.EU_AUTHORITY + "country/" + c for c in ("SWE", "NOR", "DNK", "FIN", "ISL"))
PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
TEXT_CONCEPT_FACETS = ("topic", "sector")
# Characters of each text scanned for concepts: what a text is about is said at its start, and the
# scan is most of the cost of reading a profile (paid on the store-writer thread per harvested case).
MAX_TEXT = 1000


@cache
def named_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text("utf-8")


@dataclass
class Profile:
    case: str
    publisher: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    planned: bool = False
    cpv_groups: set[str] = field(default_factory=set)  # first four digits
    topics: set[str] = field(default_factory=set)  # topic IRIs, the registry's suggestions included
    sectors: set[str] = field(default_factory=set)
    concepts: set[str] = field(default_factory=set)  # topic and sector IRIs named in the texts
    country: str = ""
    regions: set[str] = field(default_factory=set)
    window: tuple[int, int] | None = None  # months since year 0, first and last (a partial date)
    adoption_until: date | None = None  # None with adoption=True: open without an end
    partners_until: date | None = None
    adoption: bool = False
    partners: bool = False

    def open_for_adoption(self, today: date) -> bool:
        return self.adoption and (self.adoption_until is None or self.adoption_until >= today)

    def open_for_partners(self, today: date) -> bool:
        return self.partners and (self.partners_until is None or self.partners_until >= today)

    def seeks(self, today: date) -> bool:
        """A planned need, or a case open for partners: the two kinds the registry finds matches for."""
        return self.planned or self.open_for_partners(today)

    def keys(self) -> set[str]:
        """The posting keys a candidate must share with a seeker to be scored at all."""
        return (
            {f"c{g}" for g in self.cpv_groups}
            | {f"t{t}" for t in self.topics}
            | {f"s{s}" for s in self.sectors}
        )


def months(value: str) -> tuple[int, int] | None:
    """A day, a month or a year as (first month, last month) since year 0."""
    found = PARTIAL.fullmatch(value.strip())
    if not found:
        return None
    year = int(found[1])
    if found[2] is None:
        return year * 12, year * 12 + 11
    month = year * 12 + int(found[2]) - 1
    return month, month


def last_day(value: str) -> date | None:
    """The last day a partial date covers ("2030" → 31 December 2030)."""
    found = PARTIAL.fullmatch(value.strip())
    if not found:
        return None
    year = int(found[1])
    if found[2] is None:
        return date(year, 12, 31)
    month = int(found[2])
    if found[3] is not None:
        return date(year, month, int(found[3]))
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


@cache
def broader_regions() -> dict[str, str]:
    """municipality IRI -> its region IRI (skos:broader in the shipped place tables)."""
    broader = term(SKOS, "broader")
    regions = vocabulary.PLACE_BASE + "region/"
    return {
        q.subject.value: q.object.value
        for q in vocabulary.reference_quads()
        if q.predicate == broader
        and isinstance(q.object, ox.NamedNode)
        and q.object.value.startswith(regions)
        if isinstance(q.subject, ox.NamedNode)
    }


def read_profile(store: ox.Store, case: str, prov_graph: str) -> Profile | None:
    """The case's profile as committed, or None when it has no live graph (deleted)."""
    return read_profiles(store, [case], prov_graph)[case]


def read_profiles(store: ox.Store, cases: list[str], prov_graph: str) -> dict[str, Profile | None]:
    """These cases' profiles as committed, in one query (batches of search.documents.READ_BATCH); None
    for a case without a live graph (deleted)."""
    provenance = ox.NamedNode(prov_graph)
    dataset: list[ox.NamedNode | ox.BlankNode] = [*map(ox.NamedNode, cases), provenance]  # only these
    rows = store.query(
        named_query("profile"), substitutions={ox.Variable("provenance"): provenance}, named_graphs=dataset
    )
    assert isinstance(rows, ox.QuerySolutions)
    values: dict[str, list[tuple[str, ox.NamedNode | ox.Literal]]] = {case: [] for case in cases}
    for row in rows:
        found = values.get(row["case"].value)
        if found is not None and isinstance(row["value"], ox.NamedNode | ox.Literal):
            found.append((row["name"].value, row["value"]))
    return {
        case: profile_of(case, found) if any(name == "text" for name, _ in found) else None
        for case, found in values.items()
    }


def profile_of(case: str, values: list[tuple[str, ox.NamedNode | ox.Literal]]) -> Profile:
    profile, texts, dates = Profile(case), [], {}
    for name, value in values:
        text = value.value
        if name == "text" and isinstance(value, ox.Literal):
            texts.append((value.language or "", text[:MAX_TEXT]))
            profile.titles.setdefault(value.language or "", text)
        elif name == "cpv" and text.startswith(CPV_BASE):
            profile.cpv_groups.add(text[len(CPV_BASE) :][:4])
        elif name in ("topic", "sector", "region"):
            getattr(profile, {"topic": "topics", "sector": "sectors", "region": "regions"}[name]).add(text)
        elif name == "municipality" and text in broader_regions():
            profile.regions.add(broader_regions()[text])
        elif name in ("country", "publisher"):
            setattr(profile, name, text)
        elif name == "status":
            profile.planned = profile.planned or text == PLANNED
        elif name in ("adoption", "partners"):
            setattr(profile, name, text == "true")
        else:
            dates[name] = text
    profile.window = next((months(dates[k]) for k in ("tender", "start", "started") if k in dates), None)
    profile.adoption_until = last_day(dates["adoptionUntil"]) if "adoptionUntil" in dates else None
    profile.partners_until = last_day(dates["partnersUntil"]) if "partnersUntil" in dates else None
    profile.concepts = text_concepts(texts)
    return profile


def text_concepts(texts: list[tuple[str, str]]) -> set[str]:
    """Topic and sector concepts whose labels occur in the texts, each read in its own language:
    the language-neutral trace of what a text is about, so a Danish and a Swedish text meet."""
    found: set[str] = set()
    for language, text in texts:
        for concept in matches(field_for(language) if language else NEUTRAL, text, TEXT_CONCEPT_FACETS):
            found.add(concept.iri)
    return found
