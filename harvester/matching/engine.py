"""The registry's matches, kept in step with the store incrementally (never by a full scan per harvest).

In memory: every live case's profile, posting lists from each CPV group, topic and sector to the
cases that have it, and each seeker's best `count` matches. When a harvest commits new, changed
or deleted cases (`refresh`), only they are read back from the store; then

- a changed case that seeks (a planned need or open for partners) gets its list computed afresh,
  from the candidates sharing a CPV group or topic with it (a sector alone only fills a short list);
- every seeker that listed the changed case before is computed afresh too (it may have dropped);
- every other seeker sharing a posting with the changed case scores that one pair and takes it in
  when it beats its weakest match (the alert for the other side).

The changed seekers' match resources are then replaced in the matches graph (graph.py), in one
store transaction. Expiry is left to read time: a stored match carries the last day it holds.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

import pyoxigraph as ox

from stafett.harvester.matching import graph
from stafett.harvester.matching.profile import Profile, read_profile
from stafett.harvester.matching.score import Match, score
from stafett.harvester.search.documents import live_cases

log = logging.getLogger("stafett.harvester.matching")
MAX_CANDIDATES = 3000  # cases scored per seeker's recomputation


def today_utc() -> date:
    return datetime.now(UTC).date()


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
        self.lists: dict[str, dict[str, Match]] = {}  # seeker -> candidate -> match
        self.listed_by: dict[str, set[str]] = {}  # candidate -> seekers listing it
        self.created: dict[tuple[str, str], str] = {}  # (seeker, candidate) -> when first seen
        self.written: dict[str, dict[str, Match]] = {}  # seeker -> its matches as the graph holds them
        self.loaded = False

    # ---- building

    def load(self) -> None:
        """All live cases from the store, every seeker's list, the matches graph rewritten to agree."""
        self.profiles, self.postings, self.seeker_postings = {}, {}, {}
        self.lists, self.listed_by, self.written = {}, {}, {}
        self.created = graph.created_times(self.store, self.graph)
        for case in live_cases(self.store):
            found = read_profile(self.store, case, self.prov_graph)
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
        for key in profile.keys():
            self.postings.setdefault(key, set()).add(profile.case)
            if profile.seeks(self.today()):
                self.seeker_postings.setdefault(key, set()).add(profile.case)

    def remove(self, case: str) -> Profile | None:
        profile = self.profiles.pop(case, None)
        if profile is not None:
            for key in profile.keys():
                self.postings.get(key, set()).discard(case)
                self.seeker_postings.get(key, set()).discard(case)
        return profile

    # ---- keeping in step

    def refresh(self, changed: Iterable[str]) -> set[str]:
        """Read the changed cases back from the store and bring the matches up to date; returns the
        seekers whose lists changed (their resources were rewritten in the matches graph)."""
        if not self.loaded:
            self.load()
            return set(self.lists)
        touched: set[str] = set()
        gone: set[str] = set()
        for case in dict.fromkeys(changed):
            self.remove(case)
            profile = read_profile(self.store, case, self.prov_graph)
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
                found |= {
                    s for s in self.seeker_postings.get(key, ()) if len(self.lists.get(s, ())) < self.count
                }
        return found

    def recompute(self, seeker: str) -> None:
        """The seeker's best `count` matches among the candidates sharing a posting with it."""
        profile, today = self.profiles[seeker], self.today()
        for old in self.lists.get(seeker, {}):
            self.listed_by.get(old, set()).discard(seeker)
        strong = self.strong_candidates(profile)
        found = self.scored(profile, strong, today)
        if len(found) < self.count:  # a sector alone fills a short list, from the same country first
            found += self.scored(profile, self.weak_candidates(profile, strong), today)
        best = sorted(found, key=lambda m: (-m.score, m.candidate))[: self.count]
        self.lists[seeker] = {m.candidate: m for m in best}
        for match in best:
            self.listed_by.setdefault(match.candidate, set()).add(seeker)

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
        holds a fourteenth of the registry; scanning all of it for every short list would not scale)."""
        sectors = [self.postings.get(k, set()) for k in profile.keys() if k[0] == "s"]
        near = [c for c in set().union(*sectors) - strong if self.profiles[c].country == profile.country]
        return set(sorted(near)[:MAX_CANDIDATES]) if len(near) > MAX_CANDIDATES else set(near)

    def scored(self, profile: Profile, candidates: set[str], today: date) -> list[Match]:
        out = []
        for other in candidates:
            found = score(profile, self.profiles[other], today, self.margin)
            if found is not None:
                out.append(found)
        return out

    def offer(self, seeker: str, candidate: Profile, today: date) -> bool:
        """Score one new pair for an existing seeker; keep it when it beats the weakest listed."""
        found = score(self.profiles[seeker], candidate, today, self.margin)
        listed = self.lists.setdefault(seeker, {})
        if found is None:
            return False
        if len(listed) >= self.count:
            weakest = min(listed.values(), key=lambda m: (m.score, m.candidate))
            if (found.score, found.candidate) <= (weakest.score, weakest.candidate):
                return False
            del listed[weakest.candidate]
            self.listed_by.get(weakest.candidate, set()).discard(seeker)
        listed[found.candidate] = found
        self.listed_by.setdefault(found.candidate, set()).add(seeker)
        return True

    def drop_list(self, seeker: str) -> None:
        for old in self.lists.pop(seeker, {}):
            self.listed_by.get(old, set()).discard(seeker)

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
