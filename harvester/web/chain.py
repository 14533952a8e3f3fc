"""An adoption chain: every case linked to one case by scaledUpFrom, adoptedFrom, adoptedBy or
relatedCase, followed in both directions across every harvested source, bounded and cycle-safe.

Each case states its own links in its own graph, and a link may be stated on either side (the
adopter writes adoptedFrom, the original may confirm with adoptedBy), so every step asks the store
for what the case says and what any other case says about it (queries/chain-links.rq). Stated links
are read as `Link(later, kind, earlier)`: adoptedBy is adoptedFrom seen from the other side, and
relatedCase has no direction. The walk is breadth first from the case asked for and stops at
MAX_DEPTH links away or MAX_CASES cases, whichever comes first; a case already reached is never
visited again, so a cycle ends the walk instead of looping. `order()` then places the cases from
where the chain started (no earlier case in the chain) to the latest adoption.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import pyoxigraph as ox

from stafett.harvester.web import reading
from stafett.vocabulary.terms import DCT, STF, term

MAX_DEPTH = 8  # links away from the case asked for
MAX_CASES = 60  # cases on one page
SCALE_UP, ADOPTION, RELATED = "scaledUpFrom", "adoptedFrom", "relatedCase"
DERIVED = (SCALE_UP, ADOPTION)  # the links that make one case later than another
STATED = {
    term(STF, "scaledUpFrom").value: SCALE_UP,
    term(STF, "adoptedFrom").value: ADOPTION,
    term(STF, "adoptedBy").value: "adoptedBy",
    term(DCT, "relation").value: RELATED,
}


@dataclass(frozen=True)
class Link:
    later: str
    kind: str  # SCALE_UP | ADOPTION | RELATED
    earlier: str

    def other(self, case: str) -> str:
        return self.earlier if self.later == case else self.later


@dataclass
class Chain:
    start: str
    depth: dict[str, int] = field(default_factory=dict)  # case -> links away from start, in walk order
    links: set[Link] = field(default_factory=set)
    truncated: bool = False  # more cases were linked than MAX_DEPTH / MAX_CASES allow

    @property
    def cases(self) -> list[str]:
        return list(self.depth)

    def derived(self, kind: str | None = None) -> list[Link]:
        kinds = DERIVED if kind is None else (kind,)
        return sorted((link for link in self.links if link.kind in kinds), key=lambda x: (x.later, x.earlier))


def as_link(subject: str, relation: str, obj: str) -> Link:
    """A stated link read the one way the page reads it."""
    kind = STATED[relation]
    if kind == "adoptedBy":
        return Link(obj, ADOPTION, subject)
    if kind == RELATED:
        first, second = sorted((subject, obj))
        return Link(first, RELATED, second)
    return Link(subject, kind, obj)


def links_of(store: ox.Store, case: str) -> set[Link]:
    rows = reading.select(store, "chain-links", case=case)
    return {as_link(r["subject"].value, r["relation"].value, r["object"].value) for r in rows}


def solution_case(store: ox.Store, solution: str) -> str | None:
    """The case whose graph holds the solution, or None when `solution` is no solution here."""
    rows = reading.select(store, "solution-case", solution=solution)
    return rows[0]["case"].value if rows else None


def follow(store: ox.Store, start: str, max_depth: int = MAX_DEPTH, max_cases: int = MAX_CASES) -> Chain:
    """The chain around `start`, breadth first, each case visited once."""
    chain = Chain(start, {start: 0})
    queue = deque([start])
    while queue:
        case = queue.popleft()
        for link in sorted(links_of(store, case), key=lambda x: (x.kind, x.later, x.earlier)):
            other = link.other(case)
            if other not in chain.depth:
                if chain.depth[case] >= max_depth or len(chain.depth) >= max_cases:
                    chain.truncated = True
                    continue
                chain.depth[other] = chain.depth[case] + 1
                queue.append(other)
            chain.links.add(link)
    return chain


def generations(chain: Chain) -> dict[str, int]:
    """How many derivation steps each case is from where the chain started (0: an origin).

    Origins are the cases with no earlier case in the chain; the others are counted from them
    breadth first. Cases on a cycle no origin reaches come after all others; cases linked only
    as related get no generation (they are listed apart).
    """
    derived = chain.derived()
    in_derivation = {c for link in derived for c in (link.later, link.earlier)}
    later = {link.later for link in derived}
    found = {case: 0 for case in chain.cases if case in in_derivation and case not in later}
    queue = deque(found)
    while queue:
        case = queue.popleft()
        for link in derived:
            if link.earlier == case and link.later not in found:
                found[link.later] = found[case] + 1
                queue.append(link.later)
    last = max(found.values(), default=-1) + 1
    for case in chain.cases:  # on a cycle: reached by no origin
        if case in in_derivation and case not in found:
            found[case] = last
    return found
