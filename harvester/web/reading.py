"""What the pages read from the registry's store: whole named queries (queries/*.rq) with bound terms.

The store is the source of truth for the pages as for the index: the search finds a case, the
case page and the result list read it back from the case's own named graph, the provenance graph
and, for the adoption chain and similar cases, every other case's graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from stafett.harvester.named_queries import NamedQueries

QUERIES = Path(__file__).with_name("queries")


_QUERIES = NamedQueries(QUERIES)
named_query, select = _QUERIES.text, _QUERIES.select


@dataclass
class Graph:
    """A case's own graph, indexed by subject and predicate."""

    case: str
    by_subject: dict[str, dict[str, list]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    def values(self, subject: str, predicate: str) -> list:
        return self.by_subject.get(subject, {}).get(predicate, [])

    def nodes(self, subject: str, predicate: str) -> list[str]:
        return [
            v.value for v in self.values(subject, predicate) if isinstance(v, ox.NamedNode | ox.BlankNode)
        ]

    def texts(self, subject: str, predicate: str) -> dict[str, str]:
        """Language tag ("" untagged) -> text, of the literals of `predicate`."""
        found: dict[str, str] = {}
        for value in self.values(subject, predicate):
            if isinstance(value, ox.Literal):
                found.setdefault(value.language or "", value.value)
        return found


def case_graph(store: ox.Store, case: str) -> Graph | None:
    """The case's own graph, or None when the registry holds no live case of that IRI."""
    rows = select(store, "case-graph", case=case)
    if not rows:
        return None
    graph = Graph(case)
    for row in rows:
        key = row["s"].value if isinstance(row["s"], ox.NamedNode) else "_:" + row["s"].value
        graph.by_subject[key][row["p"].value].append(row["o"])
    return graph


def provenance(store: ox.Store, case: str, prov_graph: str) -> dict[str, str]:
    rows = select(store, "case-provenance", case=case, provenance=prov_graph)
    found: dict[str, str] = {}
    for row in rows:
        for key in ("source", "harvested", "stream", "signature", "signedBy"):
            if row[key] is not None:
                found.setdefault(key, row[key].value)
    return found


def titles(store: ox.Store, case: str) -> dict[str, str]:
    """Language tag -> title of a case the registry holds; empty when it holds none."""
    found: dict[str, str] = {}
    for row in select(store, "case-titles", case=case):
        found.setdefault(row["title"].language or "", row["title"].value)
    return found


def links_in(store: ox.Store, case: str) -> list[tuple[str, str]]:
    """(other case, relation IRI) for every case that points at `case`."""
    return [(row["other"].value, row["relation"].value) for row in select(store, "links-in", case=case)]


def similar(store: ox.Store, case: str) -> list[tuple[str, int]]:
    """(other case, score) of the cases sharing the most concepts with `case` (queries/similar.rq)."""
    return [(row["other"].value, int(row["score"].value)) for row in select(store, "similar", case=case)]


def hit_details(store: ox.Store, case: str) -> tuple[dict[str, list], dict[str, dict[str, str]]]:
    """For a result in the list: status, start, end, approaches; and each buyer's names by language."""
    found: dict[str, list] = defaultdict(list)
    buyers: dict[str, dict[str, str]] = defaultdict(dict)
    for row in select(store, "hit", case=case):
        if row["buyer"] is not None:
            buyers[row["buyer"].value].setdefault(row["value"].language or "", row["value"].value)
        else:
            found[row["name"].value].append(row["value"])
    return found, buyers


def names(store: ox.Store, thing: str) -> dict[str, str]:
    """Language tag -> name of an organisation, from any case graph."""
    found: dict[str, str] = {}
    for row in select(store, "names", thing=thing):
        found.setdefault(row["name"].language or "", row["name"].value)
    return found


def buyer_names(store: ox.Store) -> list[tuple[str, int]]:
    return [(row["name"].value, int(row["cases"].value)) for row in select(store, "buyers")]


def title_words(store: ox.Store) -> list[str]:
    return [row["text"].value for row in select(store, "words")]
