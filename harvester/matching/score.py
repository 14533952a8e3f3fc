"""How well another organisation's case fits a seeker (a planned need or a case open for partners).

A candidate must share what is procured or what it is about: the same CPV group (the first four
digits of a code), a topic (the registry's suggested topics count), or a sector. Then the points
(docs/matching.md states them):

| reason | points |
|---|---|
| same CPV group | 0.35 |
| shared topics | 0.30 for one, 0.10 for each further (up to 0.20 more) |
| same sector | 0.10 |
| same subject in the texts (topic and sector labels found in either language) | up to 0.15 |
| place: same region / same country / both Nordic | 0.15 / 0.08 / 0.03 |
| time: windows within the margin (default ±12 months) | up to 0.10, more the closer |

A need and another need (or a case open for partners) whose time windows are further apart than
the margin do not match at all: they cannot procure together. A past case has no such window: it
is there to learn from. The sum is capped at 1.0; below MIN_SCORE a pair is not a match.
The place rule is a distance in three steps, because the registry knows places as codes, not as
coordinates: a region (län, fylke, region, maakunta, landsvæði; a municipality counts as its
region) is closer than the country, which is closer than the Nordic area.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stafett.harvester.matching.profile import NORDIC, Profile

CPV_GROUP = 0.35
TOPIC_FIRST, TOPIC_MORE, TOPIC_MORE_MAX = 0.30, 0.10, 0.20
SECTOR = 0.10
TEXT_MAX = 0.15
REGION, COUNTRY, NORDIC_AREA = 0.15, 0.08, 0.03
TIME_MAX = 0.10
MIN_SCORE = 0.30
SLACK = 1e-9  # keeps upper_bound above a sum of the same points added in another order
KIND_NEED, KIND_OFFER, KIND_PAST = "need", "offer", "past"


@dataclass(frozen=True)
class Reason:
    """One structured reason: its kind and the values it names (IRIs, codes or numbers as text)."""

    # cpv-group | topic | sector | text | region | country | nordic | time | need | offer-adoption
    kind: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    seeker: str
    candidate: str
    score: float
    kind: str  # what the candidate is to the seeker: need | offer | past
    reasons: tuple[Reason, ...]
    valid_until: date | None  # the first day after which the match relies on an expired offer


def candidate_kind(other: Profile, today: date) -> str:
    if other.planned or other.open_for_partners(today):
        return KIND_NEED
    if other.open_for_adoption(today):
        return KIND_OFFER
    return KIND_PAST


def score(seeker: Profile, other: Profile, today: date, margin: int = 12) -> Match | None:
    """The match of `other` for `seeker`, or None (same organisation, nothing shared, too far apart)."""
    if other.case == seeker.case or (seeker.publisher and other.publisher == seeker.publisher):
        return None
    kind = candidate_kind(other, today)
    points, reasons = shared(seeker, other)
    if not reasons:
        return None
    timing = time_points(seeker, other, margin, kind)
    if timing is None:
        return None
    points += timing[0]
    reasons += timing[1]
    place = place_reason(seeker, other)
    if place:
        points += {"region": REGION, "country": COUNTRY, "nordic": NORDIC_AREA}[place.kind]
        reasons.append(place)
    reasons += offer_reasons(other, today, kind)
    total = round(min(points, 1.0), 3)
    if total < MIN_SCORE:
        return None
    return Match(
        seeker.case, other.case, total, kind, tuple(reasons), valid_until(seeker, other, today, kind)
    )


def upper_bound(seeker: Profile, other: Profile) -> float:
    """A score `score(seeker, other)` never exceeds, from set tests alone (no reasons built).

    It adds the same points as `score`, except that the text share counts whenever the texts name
    a concept in common and the time points count in full, and it is rounded as `score` rounds
    (rounding is monotonic, so the bound survives it). The engine uses it to leave pairs unscored
    that could not enter a list: the lists come out exactly as if every pair were scored."""
    points = CPV_GROUP if not seeker.cpv_groups.isdisjoint(other.cpv_groups) else 0.0
    topics = len(seeker.topics & other.topics)
    if topics:
        points += TOPIC_FIRST + min(TOPIC_MORE * (topics - 1), TOPIC_MORE_MAX)
    if not seeker.sectors.isdisjoint(other.sectors):
        points += SECTOR
    if not seeker.concepts.isdisjoint(other.concepts):
        points += TEXT_MAX
    if not seeker.regions.isdisjoint(other.regions):
        points += REGION
    elif seeker.country and seeker.country == other.country:
        points += COUNTRY
    elif seeker.country in NORDIC and other.country in NORDIC:
        points += NORDIC_AREA
    return round(min(points + TIME_MAX + SLACK, 1.0), 3)


def shared(seeker: Profile, other: Profile) -> tuple[float, list[Reason]]:
    points, reasons = 0.0, []
    groups = sorted(seeker.cpv_groups & other.cpv_groups)
    if groups:
        points += CPV_GROUP
        reasons.append(Reason("cpv-group", tuple(groups)))
    topics = sorted(seeker.topics & other.topics)
    if topics:
        points += TOPIC_FIRST + min(TOPIC_MORE * (len(topics) - 1), TOPIC_MORE_MAX)
        reasons.append(Reason("topic", tuple(topics)))
    sectors = sorted(seeker.sectors & other.sectors)
    if sectors:
        points += SECTOR
        reasons.append(Reason("sector", tuple(sectors)))
    if not reasons:
        return 0.0, []
    named = (seeker.concepts & other.concepts) - set(topics) - set(sectors)
    either = seeker.concepts | other.concepts
    if named and either:
        points += TEXT_MAX * len(seeker.concepts & other.concepts) / len(either)
        reasons.append(Reason("text", tuple(sorted(named))))
    return points, reasons


def time_points(seeker: Profile, other: Profile, margin: int, kind: str) -> tuple[float, list[Reason]] | None:
    """Points for windows that meet within the margin; None when two needs are too far apart."""
    if kind != KIND_NEED or seeker.window is None or other.window is None:
        return 0.0, []  # an offer or a past case is there to adopt or learn from, whenever it was
    gap = max(0, max(seeker.window[0], other.window[0]) - min(seeker.window[1], other.window[1]))
    if gap > margin:
        return None
    apart = abs((seeker.window[0] + seeker.window[1]) - (other.window[0] + other.window[1])) // 2
    return TIME_MAX * (1 - gap / (margin + 1)), [Reason("time", (str(apart),))]


def place_reason(seeker: Profile, other: Profile) -> Reason | None:
    regions = sorted(seeker.regions & other.regions)
    if regions:
        return Reason("region", tuple(regions))
    if seeker.country and seeker.country == other.country:
        return Reason("country", (seeker.country,))
    if seeker.country in NORDIC and other.country in NORDIC:
        return Reason("nordic", ())
    return None


def offer_reasons(other: Profile, today: date, kind: str) -> list[Reason]:
    out = []
    if kind == KIND_NEED:
        out.append(Reason("need", (other.partners_until.isoformat(),) if other.partners_until else ()))
    if other.open_for_adoption(today):
        out.append(
            Reason("offer-adoption", (other.adoption_until.isoformat(),) if other.adoption_until else ())
        )
    return out


def valid_until(seeker: Profile, other: Profile, today: date, kind: str) -> date | None:
    """The last day the match holds as stored: a seeker open for partners (not a planned need)
    stops seeking when that ends; a candidate kept for its open offer stops being one."""
    ends = []
    if not seeker.planned and seeker.partners_until is not None:
        ends.append(seeker.partners_until)
    if kind == KIND_NEED and not other.planned and other.partners_until is not None:
        ends.append(other.partners_until)
    if kind == KIND_OFFER and other.adoption_until is not None:
        ends.append(other.adoption_until)
    return min(ends) if ends else None
