"""One case as the search index holds it, read from the quad store with named queries.

The store is the source of truth: the index never sees a harvested page, only what a named query
(queries/*.rq, bound by substitution) reads back from the committed case graph and provenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from stafett.harvester.matching.profile import last_day  # one reading of partial dates
from stafett.harvester.search.analysis import FOLDED, field_for, fold, title_field

QUERIES = Path(__file__).with_name("queries")
T = TypeVar("T")

# Facet parameter (named as the vocabulary's JSON key) -> index field.
FACETS = (
    "country",
    "sector",
    "innovationApproach",
    "status",
    "startYear",
    "fundingType",
    "jointProcurement",
    "openForAdoption",
    "openForPartners",
    "language",
    "publisher",
    "source",
    # issue 13: topics (the publisher's and the registry's suggestions), procedure, programme, lessons
    "topic",
    "procedureType",
    "fundingProgramme",
    "hasLessons",
    "signature",  # issue 16: verified | unsigned | invalid | unknown-key | revoked-key (provenance)
)
IRI_VALUED = {"country", "sector", "innovationApproach", "status", "fundingType", "language"}
IRI_VALUED |= {"topic", "topicSuggested", "procedureType", "fundingProgramme", "cpv"}
# Indexed beside the facets but not counted: which topics are only suggested (the topic facet holds
# both kinds, this field marks the suggested), and CPV codes with their broader codes (a query word
# that is a CPV label finds the cases classified under it or below it).
CONCEPT_FIELDS = ("topicSuggested", "cpv")
# issue 15: offer facet -> the index field with its last day (docs/search.md: read-time expiry)
UNTIL_FIELDS = {"openForAdoption": "openForAdoptionUntil", "openForPartners": "openForPartnersUntil"}
OPEN_ENDED = 99991231


@cache
def named_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text("utf-8")


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class CaseDocument:
    case: str
    texts: dict[str, list[str]] = field(default_factory=dict)  # index field -> literals
    titles: dict[str, str] = field(default_factory=dict)  # language tag ("" untagged) -> title
    facets: dict[str, set[str]] = field(default_factory=dict)
    start_year: int = 0
    modified: int = 0  # dct:modified as Unix milliseconds (sort=newest)
    kinds: set[str] = field(default_factory=set)  # which texts the case has (title, need, lessons, …)
    # issue 15: the last day of an offer as YYYYMMDD (OPEN_ENDED without one); the search compares
    # it with today when it answers, so an offer past its day stops counting as open by itself.
    until: dict[str, int] = field(default_factory=dict)

    def add_text(self, kind: str, literal: ox.Literal) -> None:
        self.kinds.add(kind)
        language = literal.language or ""
        self.texts.setdefault(field_for(language), []).append(literal.value)
        self.texts.setdefault(FOLDED, []).append(fold(literal.value))
        if kind == "title":
            self.titles.setdefault(language, literal.value)
            self.texts.setdefault(title_field(field_for(language)), []).append(literal.value)

    def add_facet(self, facet: str, term, base_url: str) -> None:
        if facet in UNTIL_FIELDS.values():
            self.until[facet] = last_day_number(term.value)
            return
        if facet == "modified":
            self.modified = unix_milliseconds(term.value)
            return
        value = facet_value(facet, term, base_url)
        if value:
            self.facets.setdefault(facet, set()).update(cpv_and_broader(value) if facet == "cpv" else {value})
        if facet == "startYear" and value.isdigit():
            self.start_year = int(value)

    def finish(self) -> None:
        """Facets derived from the rest: suggested topics count under `topic` too (the registry only
        suggests for cases without a topic of their own), and whether there are lessons learned."""
        self.facets.setdefault("topic", set()).update(self.facets.get("topicSuggested", ()))
        self.facets["hasLessons"] = {"true" if "lessons" in self.kinds else "false"}


def last_day_number(value: str) -> int:
    """The last day a partial date covers as YYYYMMDD ("2030-06" → 20300630); unreadable: open-ended."""
    found = last_day(value)
    return int(found.strftime("%Y%m%d")) if found else OPEN_ENDED


def cpv_and_broader(code: str) -> set[str]:
    """A CPV code and the division, group, class and category above it (the digits say which)."""
    return {code} | {code[:n].ljust(8, "0") for n in (2, 3, 4, 5) if len(code) == 8 and code.isdigit()}


def unix_milliseconds(value: str) -> int:
    try:
        return max(0, round(datetime.fromisoformat(value).timestamp() * 1000))
    except ValueError:
        return 0


def facet_value(facet: str, term, base_url: str) -> str:
    if facet == "startYear":
        return term.value[:4]
    if facet == "source":
        return term.value.removeprefix(base_url + "source/")
    if facet in IRI_VALUED and isinstance(term, ox.NamedNode):
        return local_name(term.value)
    return term.value


Bindings = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


def select(
    store: ox.Store,
    name: str,
    bound: Bindings | None = None,
    named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
) -> list[ox.QuerySolution]:
    """The rows of the named SELECT query, with the given variables bound (never text), over the
    named graphs given (all of the store's when None)."""
    solutions = store.query(named_query(name), substitutions=bound, named_graphs=named_graphs)
    assert isinstance(solutions, ox.QuerySolutions), name
    return list(solutions)


# Cases one query reads (queries/cases.rq). Parsing the query was half of the cost of reading a
# case back one query at a time; per case, batches of 50 read in 0.32 ms where one query per case
# took 0.69 ms, and batches of 500 in 0.40 ms (2,000 synthetic cases, in process).
READ_BATCH = 50


def read_case(store: ox.Store, case: str, prov_graph: str, base_url: str) -> CaseDocument | None:
    """The case as committed in the store, or None when it has no live graph (deleted)."""
    return read_cases(store, [case], prov_graph, base_url)[case]


def read_cases(
    store: ox.Store, cases: list[str], prov_graph: str, base_url: str
) -> dict[str, CaseDocument | None]:
    """These cases as committed in the store, in one query (keep them to about READ_BATCH); None
    for a case without a live graph (deleted: a tombstoned case keeps provenance but no graph)."""
    documents = {case: CaseDocument(case) for case in cases}
    provenance = ox.NamedNode(prov_graph)
    dataset: list[ox.NamedNode | ox.BlankNode] = [*map(ox.NamedNode, documents), provenance]  # only these
    with_text: set[str] = set()
    for row in select(store, "cases", {ox.Variable("provenance"): provenance}, dataset):
        case = row["case"].value
        document = documents.get(case)
        if document is None:  # not a case asked for
            continue
        if row["kind"].value == "text":
            document.add_text(row["name"].value, row["value"])
            with_text.add(case)
        else:
            document.add_facet(row["name"].value, row["value"], base_url)
    for document in documents.values():
        document.finish()
    return {case: document if case in with_text else None for case, document in documents.items()}


def batches(items: Iterable[T], size: int = READ_BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def live_cases(store: ox.Store) -> list[str]:
    return [row["case"].value for row in select(store, "live-cases")]


def store_marker(store: ox.Store, prov_graph: str, marker: str) -> str | None:
    bound: Bindings = {
        ox.Variable("provenance"): ox.NamedNode(prov_graph),
        ox.Variable("marker"): ox.NamedNode(marker),
    }
    rows = select(store, "commit-marker", bound)
    return rows[0]["token"].value if rows else None
