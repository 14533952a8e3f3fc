"""Quality-weighted HTTP header values (Accept, Accept-Language; RFC 9110 §12.4.2), read once.

The node's content negotiation, the SPARQL endpoint's and the language choice all rank what a
client lists by its `q`; they share this so a `q=0` exclusion means the same everywhere.
"""

from __future__ import annotations


def weighted_values(header: str | None) -> list[tuple[str, float]]:
    """(lower-cased value, q) pairs, highest q first, document order among equals; q=0 dropped.

    A malformed q counts as 0 (not acceptable) rather than as the default 1.
    """
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, fields[0].lower()))
    return [(value, -negative_q) for negative_q, _, value in sorted(ranked)]
