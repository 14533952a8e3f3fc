"""The matches graph: each match a resource with its score, kind, reasons and the last day it holds.

    <{base}match/{hash}> a stf:Match ;
        stf:matchFor <seeker> ; stf:matchedCase <candidate> ;
        stf:matchScore 0.85 ; stf:matchKind "need" ; dct:created "…"^^xsd:dateTime ;
        stf:validUntil "2030-06-30"^^xsd:date ;          # only when it rests on an offer with an end
        stf:matchReason <{base}match/{hash}/reason/0> .
    <{base}match/{hash}/reason/0> a stf:MatchReason ;
        stf:reasonKind "cpv-group" ; stf:reasonValue "3319" .   # a concept: stf:reasonConcept

The graph is `{base}graph/matches` (docs/matching.md). Reading applies expiry: a match whose
`stf:validUntil` is before today is not shown, whatever the stored graph still says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from stafett.harvester import terms as t
from stafett.harvester.matching.score import Match, Reason
from stafett.harvester.named_queries import NamedQueries
from stafett.vocabulary.terms import DCT_CREATED, RDF_TYPE, XSD, XSD_DATETIME, term

QUERIES = Path(__file__).with_name("queries")
XSD_DECIMAL, XSD_DATE = term(XSD, "decimal"), term(XSD, "date")
IRI_VALUED = {"topic", "sector", "text", "region", "country"}


_QUERIES = NamedQueries(QUERIES)
named_query, select = _QUERIES.text, _QUERIES.select


def matches_graph(base_url: str) -> str:
    return base_url + "graph/matches"


def match_iri(base_url: str, seeker: str, candidate: str) -> str:
    digest = hashlib.sha256(f"{seeker} {candidate}".encode()).hexdigest()[:24]
    return f"{base_url}match/{digest}"


def value_term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    if kind in IRI_VALUED:
        return ox.NamedNode(value)
    return ox.Literal(value)  # a CPV group, a number of months or a day, as text (xsd:string)


def match_triples(base_url: str, match: Match, created: str) -> list[ox.Triple]:
    node = ox.NamedNode(match_iri(base_url, match.seeker, match.candidate))
    out = [
        ox.Triple(node, RDF_TYPE, t.STF_MATCH),
        ox.Triple(node, t.STF_MATCH_FOR, ox.NamedNode(match.seeker)),
        ox.Triple(node, t.STF_MATCHED_CASE, ox.NamedNode(match.candidate)),
        ox.Triple(node, t.STF_MATCH_SCORE, ox.Literal(f"{match.score:.3f}", datatype=XSD_DECIMAL)),
        ox.Triple(node, t.STF_MATCH_KIND, ox.Literal(match.kind)),
        ox.Triple(node, DCT_CREATED, ox.Literal(created, datatype=XSD_DATETIME)),
    ]
    if match.valid_until is not None:
        out.append(
            ox.Triple(node, t.STF_VALID_UNTIL, ox.Literal(match.valid_until.isoformat(), datatype=XSD_DATE))
        )
    for position, reason in enumerate(match.reasons):
        about = ox.NamedNode(f"{node.value}/reason/{position}")
        out += [
            ox.Triple(node, t.STF_MATCH_REASON, about),
            ox.Triple(about, RDF_TYPE, t.STF_MATCH_REASON_CLASS),
            ox.Triple(about, t.STF_REASON_KIND, ox.Literal(reason.kind)),
        ]
        predicate = t.STF_REASON_CONCEPT if reason.kind in IRI_VALUED else t.STF_REASON_VALUE
        out += [ox.Triple(about, predicate, value_term(reason.kind, v)) for v in reason.values]
    return out


def subjects_of(base_url: str, match: Match) -> list[str]:
    """The IRIs a match's triples are about: the match and each of its reasons."""
    node = match_iri(base_url, match.seeker, match.candidate)
    return [node, *(f"{node}/reason/{position}" for position in range(len(match.reasons)))]


def clear_update(graph: str) -> str:
    return f"DROP SILENT GRAPH {ox.NamedNode(graph)}"


def created_times(store: ox.Store, graph: str) -> dict[tuple[str, str], str]:
    return {
        (r["seeker"].value, r["candidate"].value): r["created"].value
        for r in select(store, "created", matches=graph)
    }


def replace_update(graph: str, subjects: list[str], triples: list[ox.Triple]) -> str:
    """One SPARQL update: the subjects' triples out of the graph, the new ones in."""
    g = str(ox.NamedNode(graph))
    ops = []
    if subjects:
        listed = " ".join(str(ox.NamedNode(s)) for s in subjects)
        where = f"GRAPH {g} {{ VALUES ?s {{ {listed} }} ?s ?p ?o }}"
        ops.append(f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ {where} }}")
    if triples:
        body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        ops.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}}} }}")
    return " ;\n".join(ops)


@dataclass
class StoredMatch:
    """A match as read back from the graph (either side of it)."""

    iri: str
    seeker: str
    candidate: str
    score: float
    kind: str
    created: str
    until: date | None
    reasons: list[Reason] = field(default_factory=list)

    def other(self, side: str) -> str:
        """The case on the other side from `side` (a case IRI; for an organisation, the candidate)."""
        return self.seeker if side == self.candidate else self.candidate


def matches_of(store: ox.Store, graph: str, thing: str, today: date) -> list[StoredMatch]:
    """The matches a case or an organisation takes part in, best first; expired ones left out."""
    found: dict[str, StoredMatch] = {}
    values: dict[str, dict[str, list[str]]] = {}
    kinds: dict[str, dict[str, str]] = {}
    for row in select(store, "matches-of", thing=thing, matches=graph):
        iri = row["match"].value
        if iri not in found:
            until = row["until"]
            found[iri] = StoredMatch(
                iri,
                row["seeker"].value,
                row["candidate"].value,
                float(Decimal(row["score"].value)),
                row["kind"].value,
                row["created"].value,
                date.fromisoformat(until.value) if until is not None else None,
            )
        reason = row["reason"]
        if reason is not None:
            kinds.setdefault(iri, {})[reason.value] = row["reasonKind"].value
            listed = values.setdefault(iri, {}).setdefault(reason.value, [])
            if row["value"] is not None and row["value"].value not in listed:
                listed.append(row["value"].value)
    for iri, match in found.items():
        for reason, kind in sorted(kinds.get(iri, {}).items(), key=lambda item: reason_position(item[0])):
            match.reasons.append(Reason(kind, tuple(sorted(values[iri][reason]))))
    live = [m for m in found.values() if m.until is None or m.until >= today]
    return sorted(live, key=lambda m: (-m.score, m.created, m.iri))


def reason_position(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@dataclass
class About:
    """What is said of one side of a match: its titles and who publishes it (names by language)."""

    case: str
    titles: dict[str, str] = field(default_factory=dict)
    publisher: str = ""
    publisher_names: dict[str, str] = field(default_factory=dict)


def about(store: ox.Store, case: str) -> About | None:
    """The case's titles and publisher, or None when the registry holds no live graph for it."""
    found = About(case)
    for row in select(store, "about", case=case):
        title, publisher, name = row["title"], row["publisher"], row["name"]
        if isinstance(title, ox.Literal):
            found.titles.setdefault(title.language or "", title.value)
        if publisher is not None:
            found.publisher = publisher.value
        if isinstance(name, ox.Literal):
            found.publisher_names.setdefault(name.language or "", name.value)
    return found if found.titles else None


def organisation_names(store: ox.Store, organisation: str) -> dict[str, str] | None:
    """The names of an organisation that publishes cases here; None when none names it."""
    rows = select(store, "organisation", organisation=organisation)
    if not rows:
        return None
    return {
        row["name"].language or "": row["name"].value for row in rows if isinstance(row["name"], ox.Literal)
    }
