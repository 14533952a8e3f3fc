"""The matcher leaves pairs unscored that could not enter a list (issue 17): its lists must be exactly
those of scoring every pair. Checked two ways: `upper_bound` is never below `score` on generated
pairs, and the engine, fed a long run of new, changed and deleted cases, keeps the same lists as
the same engine with every pair scored (its code before the bounds, kept here as the reference)."""

from __future__ import annotations

import random
from datetime import date

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from stafett.harvester.matching import engine
from stafett.harvester.matching.engine import Matcher, rank
from stafett.harvester.matching.profile import NORDIC, Profile
from stafett.harvester.matching.score import Match, score, upper_bound

TODAY = date(2026, 12, 1)
COUNTRIES = (*sorted(NORDIC), "http://publications.europa.eu/resource/authority/country/DEU", "")
BASE = "https://registry.example/"


def profile(rng: random.Random, case: str) -> Profile:
    """A profile over small pools, so that postings overlap, lists fill and scores tie at the cap."""
    country = rng.choice(COUNTRIES)
    start = rng.randint(24300, 24330)
    adoption_until = rng.choice([None, date(2026, 6, 30), date(2027, 6, 30)])
    return Profile(
        case,
        publisher=f"org{rng.randint(0, 30)}",
        planned=rng.random() < 0.2,
        cpv_groups={f"{rng.randint(3000, 3005)}" for _ in range(rng.randint(0, 2))},
        topics={f"topic{rng.randint(0, 6)}" for _ in range(rng.randint(0, 3))},
        sectors={f"sector{rng.randint(0, 3)}" for _ in range(rng.randint(1, 2))},
        concepts={f"concept{rng.randint(0, 8)}" for _ in range(rng.randint(0, 4))},
        country=country,
        regions={f"{country}-r{rng.randint(0, 2)}"} if country and rng.random() < 0.7 else set(),
        window=rng.choice([None, (start, start + rng.randint(0, 11))]),
        adoption=rng.random() < 0.4,
        adoption_until=adoption_until,
        partners=rng.random() < 0.2,
        partners_until=rng.choice([None, date(2026, 1, 31), date(2027, 3, 31)]),
    )


CALLS = {"bounded": 0, "reference": 0}  # pairs scored by each engine in one run


def reference_score(seeker: Profile, other: Profile, today: date, margin: int) -> Match | None:
    CALLS["reference"] += 1
    return score(seeker, other, today, margin)


def bounded_score(seeker: Profile, other: Profile, today: date, margin: int = 12) -> Match | None:
    CALLS["bounded"] += 1
    return score(seeker, other, today, margin)


class EveryPairScored(Matcher):
    """The engine as it was before upper bounds: every candidate pair scored, sectors scanned."""

    def best_of(self, profile: Profile, candidates: set[str], today: date, found: list[Match]) -> list[Match]:
        scored = [reference_score(profile, self.profiles[c], today, self.margin) for c in candidates]
        return sorted(found + [m for m in scored if m is not None], key=rank)[: self.count]

    def seekers_sharing(self, profile: Profile) -> set[str]:
        found: set[str] = set()
        for key in profile.keys():
            seekers = self.seeker_postings.get(key, set())
            if key[0] == "s":
                seekers = {s for s in seekers if len(self.lists.get(s, ())) < self.count}
            found |= seekers
        return found

    def weak_candidates(self, profile: Profile, strong: set[str]) -> set[str]:
        sectors = [self.postings.get(k, set()) for k in profile.keys() if k[0] == "s"]
        near = [c for c in set().union(*sectors) - strong if self.profiles[c].country == profile.country]
        return set(sorted(near)[: engine.MAX_CANDIDATES]) if len(near) > engine.MAX_CANDIDATES else set(near)

    def offer(self, seeker: str, candidate: Profile, today: date) -> bool:
        found = reference_score(self.profiles[seeker], candidate, today, self.margin)
        listed = self.lists.setdefault(seeker, {})
        if found is None:
            return False
        if len(listed) >= self.count:
            weakest = max(listed.values(), key=rank)
            if found.score <= weakest.score:
                return False
            del listed[weakest.candidate]
            self.listed_by.get(weakest.candidate, set()).discard(seeker)
        listed[found.candidate] = found
        self.listed_by.setdefault(found.candidate, set()).add(seeker)
        return True


def change(matcher: Matcher, case: str, new: Profile | None) -> None:
    """What `Matcher.refresh` does for one changed case, minus reading it back from a store."""
    matcher.remove(case)
    if new is not None:
        matcher.add(new)
    matcher.apply_change(case, new)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_upper_bound_is_never_below_the_score(seed):
    rng = random.Random(seed)
    seeker, other = profile(rng, "a"), profile(rng, "b")
    found = score(seeker, other, TODAY)
    if found is not None:
        assert upper_bound(seeker, other) >= found.score


def test_lists_are_those_of_scoring_every_pair_through_adds_changes_and_deletes(monkeypatch):
    monkeypatch.setattr(engine, "score", bounded_score)
    monkeypatch.setitem(CALLS, "bounded", 0)
    monkeypatch.setitem(CALLS, "reference", 0)
    rng = random.Random(17)
    bounded = Matcher(ox.Store(), BASE + "graph/provenance", BASE, count=4, today=lambda: TODAY)
    reference = EveryPairScored(ox.Store(), BASE + "graph/provenance", BASE, count=4, today=lambda: TODAY)
    bounded.loaded = reference.loaded = True
    live: list[str] = []
    for step in range(1500):
        roll = rng.random()
        if roll < 0.8 or not live:
            case = f"{BASE}case/{step}"
            live.append(case)
            new: Profile | None = profile(rng, case)
        elif roll < 0.93:
            case = rng.choice(live)
            new = profile(rng, case)
        else:
            case, new = live.pop(rng.randrange(len(live))), None
        change(reference, case, new)
        change(bounded, case, new)
        if step % 100 == 99 or step == 1499:
            assert bounded.lists == reference.lists, f"lists differ after step {step}"
            assert bounded.listed_by == reference.listed_by
    full = [s for s, listed in bounded.lists.items() if len(listed) == 4]
    assert len(full) > 100, "the run must fill lists, or the bounds were never put to work"
    assert CALLS["bounded"] < CALLS["reference"] / 2, f"the bounds pruned little: {CALLS}"


def test_a_tie_does_not_displace_a_listed_match_and_a_better_one_replaces_the_last_ranked():
    def need(case: str, publisher: str, *, region: str = "") -> Profile:
        return Profile(
            f"{BASE}case/{case}",
            publisher=publisher,
            planned=True,
            cpv_groups={"3000"},
            sectors={"sector0"},
            country=COUNTRIES[0],
            regions={region} if region else set(),
        )

    matcher = Matcher(ox.Store(), BASE + "graph/provenance", BASE, count=2, today=lambda: TODAY)
    matcher.loaded = True
    for case in (need("seeker", "org0", region="r1"), need("b", "org1"), need("c", "org2")):
        change(matcher, case.case, case)
    seeker = f"{BASE}case/seeker"
    assert set(matcher.lists[seeker]) == {f"{BASE}case/b", f"{BASE}case/c"}
    for tie in ("a", "d"):  # the same score, one IRI before and one after those listed
        change(matcher, f"{BASE}case/{tie}", need(tie, f"org-{tie}"))
        assert set(matcher.lists[seeker]) == {f"{BASE}case/b", f"{BASE}case/c"}, f"tie {tie} displaced"
    change(matcher, f"{BASE}case/e", need("e", "org-e", region="r1"))  # the same region: scores higher
    assert [m.candidate for m in matcher.matches_for(seeker)] == [f"{BASE}case/e", f"{BASE}case/b"]
