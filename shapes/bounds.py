"""Work bounds checked before SHACL: values per property and literals per case.

The SHACL engine's cost grows with the square of the values one node has for one property
(pyshacl-turbo 0.1: 2,000 keywords 0.08 s per property shape, 8,000 keywords 1.9 s; five shapes
read `keyword`), so a 400 KB case with 19,000 keywords, under every byte limit, kept a node busy
past 90 s and cost a harvester the same per member. A case over these bounds is refused with a
finding that names the JSON key, the count and the limit, and SHACL never sees it; under them the
engine's work is at most (literals / values per property) groups of a bounded size, so validation
cost is linear in the input. Both bounds sit well above what any shape allows (the largest
sh:maxCount is 50), so a case a little over a shape's limit still gets that shape's own finding.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from stafett.problems import Finding
from stafett.shapes.findings import SHAPES_NS, field_name, node_id
from stafett.shapes.messages import say

MAX_VALUES_PER_PROPERTY = 200  # values one subject may have for one property
MAX_LITERALS = 5_000  # literal values in one case document (texts, dates, numbers, ...)


def bound_findings(
    quads: list[ox.Quad],
    lang: str,
    source: str | None,
    *,
    max_values: int = MAX_VALUES_PER_PROPERTY,
    max_literals: int = MAX_LITERALS,
) -> list[Finding]:
    """Violations for every subject/property over `max_values` and for a case over `max_literals`."""
    per_property = Counter((q.subject, q.predicate.value) for q in quads)
    findings = [
        Finding(
            "Violation",
            say("value_cap", lang, key=field_name([predicate]), n=count, limit=max_values),
            focus_node=node_id(subject),
            path=predicate,
            field=field_name([predicate]),
            value=str(count),
            rule=SHAPES_NS + "Document-value-count",
            source=source,
        )
        for (subject, predicate), count in per_property.items()
        if count > max_values
    ]
    literals = sum(1 for q in quads if isinstance(q.object, ox.Literal))
    if literals > max_literals:
        findings.append(
            Finding(
                "Violation",
                say("literal_cap", lang, n=literals, limit=max_literals),
                value=str(literals),
                rule=SHAPES_NS + "Document-literal-count",
                source=source,
            )
        )
    return findings
