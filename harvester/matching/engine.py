"""The registry's matches, kept in step with the store incrementally (never by a full scan per harvest).

In memory: every live case's profile, posting lists from each CPV group, topic and sector to the
cases that have it, and each seeker's best `count` matches. When a harvest commits new, changed
or deleted cases (`refresh`), only they are read back from the store; then

- a changed case that seeks (a planned need or open for partners) gets its list computed afresh,
  from the candidates sharing a CPV group or topic with it (a sector alone only fills a short list);
- every seeker that listed the changed case before is computed afresh too (it may have dropped);
- every other seeker sharing a posting with the changed case scores that one pair and takes it in
  when it scores higher than its weakest match (the alert for the other side). A tie does not
  displace a listed match: a list, and the feed that announces its changes, does not change for a
  match that is no better (before, a tie went to the later IRI: three in four changes of a growing
  registry's lists were such swaps, docs/benchmarks.md).

A pair is scored only while it could still enter a list: `score.upper_bound` (set tests, no reasons
built) is checked first against a full list's weakest match, and a list computed afresh scores its
candidates from the highest bound down and stops when no bound left can beat its tenth. The lists
are exactly those of scoring every pair; the work per case stops growing with a full registry
(docs/benchmarks.md, "What grows with the registry").

The changed seekers' match resources are then replaced in the matches graph (graph.py), in one
store transaction. Expiry is left to read time: a stored match carries the last day it holds.
"""

from __future__ import annotations

import logging
from bisect import insort
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

import pyoxigraph as ox

from stafett.harvester.matching import graph
from stafett.harvester.matching.profile import Profile, read_profiles
from stafett.harvester.matching.score import MIN_SCORE, Match, score, upper_bound
from stafett.harvester.search.documents import batches, live_cases

log = logging.getLogger("stafett.harvester.matching")
MAX_CANDIDATES = 3000  # cases scored per seeker's recomputation


def today_utc() -> date:
    return datetime.now(UTC).date()


def rank(match: Match) -> tuple[float, str]:
    """A list's order: best score first, then the candidate's IRI (so equal scores are stable)."""
    return (-match.score, match.candidate)


class Matcher:
    def __init__(
        self,
        store: ox.Store,
        prov_graph: str,
        base_url: str,
        *,
        margin: int = 12,
        count: int = 10,
        today: Callable[[], date] = today_utc,
    ) -> None:
        self.store, self.prov_graph, self.base_url = store, prov_graph, base_url
        self.graph = graph.matches_graph(base_url)
        self.margin, self.count, self.today = margin, count, today
        self.profiles: dict[str, Profile] = {}
        self.postings: dict[str, set[str]] = {}  # posting key -> cases having it
        self.seeker_postings: dict[str, set[str]] = {}  # posting key -> seekers having it
        self.sector_country: dict[tuple[str, str], set[str]] = {}  # (sector key, country) -> cases
        self.short: set[str] = set()  # seekers whose lists hold fewer than `count` matches
        self.weakest: dict[str, tuple[float, str]] = {}  # seeker with a full list -> (score, IRI) of its last
        self.lists: dict[str, dict[str, Match]] = {}  # seeker -> candidate -> match
        self.listed_by: dict[str, set[str]] = {}  # candidate -> seekers listing it
        self.created: dict[tuple[str, str], str] = {}  # (seeker, candidate) -> when first seen
        self.written: dict[str, dict[str, Match]] = {}  # seeker -> its matches as the graph holds them
        self.loaded = False

    # ---- building

    def load(self) -> None:
        """All live cases from the store, every seeker's list, the matches graph rewritten to agree."""
        self.profiles, self.postings, self.seeker_postings = {}, {}, {}
        self.sector_country, self.short, self.weakest = {}, set(), {}
        self.lists, self.listed_by, self.written = {}, {}, {}
        self.created = graph.created_times(self.store, self.graph)
        for batch in batches(live_cases(self.store)):
            for found in read_profiles(self.store, batch, self.prov_graph).values():
                if found is not None:
                    self.add(found)
        self.loaded = True
        seekers = [case for case, p in self.profiles.items() if p.seeks(self.today())]
        for seeker in seekers:
            self.lists[seeker] = {}
            self.recompute(seeker)
        self.store.update(graph.clear_update(self.graph))  # what was stored before is rewritten whole
        self.write(set(seekers), set())

    def add(self, profile: Profile) -> None:
        self.profiles[profile.case] = profile
        seeks = profile.seeks(self.today())
        for key in profile.keys():
            self.postings.setdefault(key, set()).add(profile.case)
            if key[0] == "s":
                self.sector_country.setdefault((key, profile.country), set()).add(profile.case)
            if seeks:
                self.seeker_postings.setdefault(key, set()).add(profile.case)
        if seeks and profile.case not in self.weakest:
            self.short.add(profile.case)

    def remove(self, case: str) -> Profile | None:
        profile = self.profiles.pop(case, None)
        if profile is not None:
            for key in profile.keys():
                self.postings.get(key, set()).discard(case)
                self.seeker_postings.get(key, set()).discard(case)
                self.sector_country.get((key, profile.country), set()).discard(case)
        return profile

    def settle(self, seeker: str) -> None:
        """Keep `short` and `weakest` in step with the seeker's list after it changed."""
        listed = self.lists.get(seeker)
        if listed is not None and len(listed) >= self.count:
            last = max(listed.values(), key=rank)  # the one a fresh list would rank last
            self.weakest[seeker] = (last.score, last.candidate)
            self.short.discard(seeker)
        else:
            self.weakest.pop(seeker, None)
            if listed is None:
                self.short.discard(seeker)
            else:
                self.short.add(seeker)

    # ---- keeping in step

    def refresh(self, changed: Iterable[str]) -> set[str]:
        """Read the changed cases back from the store and bring the matches up to date; returns the
        seekers whose lists changed (their resources were rewritten in the matches graph)."""
        if not self.loaded:
            self.load()
            return set(self.lists)
        touched: set[str] = set()
        gone: set[str] = set()
        for batch in batches(dict.fromkeys(changed)):
            for case, profile in read_profiles(self.store, batch, self.prov_graph).items():
                self.remove(case)
                if profile is not None:
                    self.add(profile)
                t, g = self.apply_change(case, profile)
                touched |= t
                gone |= g
        self.write(touched | gone, gone)
        return touched | gone

    def apply_change(self, case: str, profile: Profile | None) -> tuple[set[str], set[str]]:
        """(seekers to rewrite, seekers whose lists are gone) after `case` became `profile`."""
        today = self.today()
        touched, gone = set(), set()
        if profile is not None and profile.seeks(today):
            self.lists.setdefault(case, {})
            self.recompute(case)
            touched.add(case)
        elif case in self.lists:
            self.drop_list(case)
            gone.add(case)
        for seeker in sorted(self.listed_by.pop(case, set())):
            if seeker in self.lists and seeker != case:
                self.recompute(seeker)
                touched.add(seeker)
        if profile is not None:
            for seeker in self.seekers_sharing(profile) - touched - {case}:
                if self.offer(seeker, profile, today):
                    touched.add(seeker)
        return touched, gone

    def seekers_sharing(self, profile: Profile) -> set[str]:
        """The seekers a changed case may enter: those sharing its CPV group or a topic, and those
        sharing only its sector whose lists are not full (a sector alone only fills a short list)."""
        found: set[str] = set()
        for key in profile.keys():
            if key[0] in "ct":
                found |= self.seeker_postings.get(key, set())
            else:
                found |= self.seeker_postings.get(key, set()) & self.short
        return found

    def recompute(self, seeker: str) -> None:
        """The seeker's best `count` matches among the candidates sharing a posting with it."""
        profile, today = self.profiles[seeker], self.today()
        for old in self.lists.get(seeker, {}):
            self.listed_by.get(old, set()).discard(seeker)
        strong = self.strong_candidates(profile)
        best = self.best_of(profile, strong, today, [])
        if len(best) < self.count:  # a sector alone fills a short list, from the same country first
            best = self.best_of(profile, self.weak_candidates(profile, strong), today, best)
        self.lists[seeker] = {m.candidate: m for m in best}
        for match in best:
            self.listed_by.setdefault(match.candidate, set()).add(seeker)
        self.settle(seeker)

    def strong_candidates(self, profile: Profile) -> set[str]:
        """The cases sharing a CPV group or a topic with the profile; when a common group or topic
        makes them more than MAX_CANDIDATES, those sharing the most keys (bounded work per case)."""
        postings = [self.postings.get(k, set()) for k in profile.keys() if k[0] in "ct"]
        union = set().union(*postings)
        if len(union) <= MAX_CANDIDATES:
            return union
        shared = Counter(case for posting in postings for case in posting)
        return {case for case, _ in shared.most_common(MAX_CANDIDATES)}

    def weak_candidates(self, profile: Profile, strong: set[str]) -> set[str]:
        """Cases sharing only a sector: those of the same country, at most MAX_CANDIDATES (a sector
        holds a fourteenth of the registry, so its cases are kept per country too)."""
        country = profile.country
        sectors = [self.sector_country.get((k, country), set()) for k in profile.keys() if k[0] == "s"]
        near = set().union(*sectors) - strong
        return set(sorted(near)[:MAX_CANDIDATES]) if len(near) > MAX_CANDIDATES else near

    def best_of(self, profile: Profile, candidates: set[str], today: date, found: list[Match]) -> list[Match]:
        """The `count` best of `found` and the candidates' matches. Candidates are scored from the
        highest upper bound down, until none left could beat the list's last (bound, IRI)."""
        bounds = sorted((-upper_bound(profile, self.profiles[c]), c) for c in candidates)
        best = sorted(found, key=rank)[: self.count]
        for negative_bound, other in bounds:
            if -negative_bound < MIN_SCORE:
                break  # score() refuses what falls below MIN_SCORE; the rest are lower still
            if len(best) >= self.count and (negative_bound, other) >= rank(best[-1]):
                break
            match = score(profile, self.profiles[other], today, self.margin)
            if match is not None:
                insort(best, match, key=rank)
                del best[self.count :]
        return best

    def offer(self, seeker: str, candidate: Profile, today: date) -> bool:
        """Score one new pair for an existing seeker; keep it when it scores higher than the weakest
        listed, which then leaves (of the weakest, the one a fresh list would rank last)."""
        listed = self.lists.setdefault(seeker, {})
        weakest = self.weakest.get(seeker)
        if weakest is not None and upper_bound(self.profiles[seeker], candidate) <= weakest[0]:
            return False  # even its best possible score would not beat the weakest listed
        found = score(self.profiles[seeker], candidate, today, self.margin)
        if found is None:
            return False
        if weakest is not None:
            if found.score <= weakest[0]:
                return False  # a tie keeps the match already listed
            del listed[weakest[1]]
            self.listed_by.get(weakest[1], set()).discard(seeker)
        listed[found.candidate] = found
        self.listed_by.setdefault(found.candidate, set()).add(seeker)
        self.settle(seeker)
        return True

    def drop_list(self, seeker: str) -> None:
        for old in self.lists.pop(seeker, {}):
            self.listed_by.get(old, set()).discard(seeker)
        self.settle(seeker)

    # ---- the matches graph

    def write(self, seekers: set[str], gone: set[str]) -> None:
        """Bring these seekers' matches in the graph to what the lists say, in one update: only the
        matches that left, entered or changed are deleted or written (a page of new cases mostly
        adds a match here and there; rewriting whole lists cost more than finding them)."""
        now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        subjects, triples = [], []
        for seeker in sorted(seekers):
            before = self.written.pop(seeker, {})
            after = {} if seeker in gone else self.lists.get(seeker, {})
            for candidate, old in before.items():
                if after.get(candidate) != old:
                    subjects += graph.subjects_of(self.base_url, old)
                if candidate not in after:
                    self.created.pop((seeker, candidate), None)
            for candidate, match in after.items():
                if before.get(candidate) != match:
                    when = self.created.setdefault((seeker, candidate), now)
                    triples += graph.match_triples(self.base_url, match, when)
            if after:
                self.written[seeker] = dict(after)
        update = graph.replace_update(self.graph, subjects, triples)
        if update:
            self.store.update(update)

    def matches_for(self, seeker: str) -> list[Match]:
        return sorted(self.lists.get(seeker, {}).values(), key=lambda m: (-m.score, m.candidate))
