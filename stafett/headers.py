"""Quality-weighted HTTP header values (Accept, Accept-Language; RFC 9110 §12.4.2), read once.

The node's content negotiation, the SPARQL endpoint's and the language choice all rank what a
client lists by its `q`; they share this so a `q=0` exclusion means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache


def weighted_values(header: str | None) -> list[tuple[str, float]]:
    """(lower-cased value, q) pairs, highest q first, document order among equals; q=0 dropped.

    A malformed q counts as 0 (not acceptable) rather than as the default 1.
    """
    ranked = [
        (-quality, position, value)
        for position, (value, quality) in enumerate(_entries(header))
        if quality > 0
    ]
    return [(value, -negative_q) for negative_q, _, value in sorted(ranked)]


def _entries(header: str | None) -> list[tuple[str, float]]:
    """Every (lower-cased value, q) in document order, q=0 included (it excludes, so it matters)."""
    entries = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        entries.append((fields[0].lower(), quality))
    return entries


def _specificity(media_range: str, media_type: str) -> int:
    """2: the range names the type; 1: `type/*` covers it; 0: `*/*`; -1: no match."""
    if media_range == media_type:
        return 2
    if media_range == "*/*":
        return 0
    if media_range.endswith("/*") and media_type.startswith(media_range[:-1]):
        return 1
    return -1


def quality_of(media_type: str, accept: str | None) -> tuple[float, int]:
    """(q, specificity) of one media type under an Accept header (RFC 9110 §12.5.1).

    The most specific range that matches decides the quality, so `application/ld+json;q=0, */*`
    excludes JSON-LD. A type no range matches gets (0, -1).
    """
    best = (0.0, -1)
    for media_range, quality in _entries(accept):
        specificity = _specificity(media_range, media_type)
        if specificity > best[1]:
            best = (quality, specificity)
    return best


CACHED_HEADER_CHARS = 1024  # longer Accept headers are rare; they are read but not kept


def best_media_type(
    accept: str | None, offered: Sequence[str], ties: Sequence[str] | None = None
) -> str | None:
    """The offered media type a client prefers, or None when none is acceptable.

    `offered` is the server's order; its first entry answers a request without Accept. Highest q
    wins; among equal q a type the client named beats one only a wildcard let through; then the
    server's order, `ties` if given (for types the client named or `type/*` covered) else
    `offered`. So `*/*` gets `offered[0]` while an equal-weight list of named types gets the first
    of them in `ties` (e.g. Turtle, which stands alone, before JSON-LD, which needs its context).
    """
    if accept and len(accept) > CACHED_HEADER_CHARS:
        return _best_media_type.__wrapped__(accept, tuple(offered), tuple(ties) if ties else None)
    return _best_media_type(accept, tuple(offered), tuple(ties) if ties else None)


@lru_cache(maxsize=512)  # clients repeat the same few headers
def _best_media_type(
    accept: str | None, offered: tuple[str, ...], ties: tuple[str, ...] | None
) -> str | None:
    if not (accept or "").strip():
        return offered[0] if offered else None
    order = list(ties or offered)
    order += [media for media in offered if media not in order]
    best, best_score = None, None
    for media in offered:
        quality, specificity = quality_of(media, accept)
        if quality <= 0:
            continue
        rank = order.index(media) if specificity > 0 else offered.index(media)
        score = (quality, specificity, -rank)
        if best_score is None or score > best_score:
            best, best_score = media, score
    return best
