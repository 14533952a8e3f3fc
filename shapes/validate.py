"""The validator API (placeholder engine: pySHACL over shapes/case-shapes.ttl).

Contract used by node, harvester and CLI:
- `validate_quads(quads, lang=...) -> Report`
- `validate_document(raw, media_type, lang=...) -> (quads, Report)`; raises `Problem` on
  unreadable input (never a traceback).
A Report's findings are `stafett.problems.Finding`s with messages in the requested language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from stafett.vocabulary.jsonld import DEFAULT_LIMITS, Limits, parse_document

from stafett.problems import Finding

LANGUAGES = ("en", "sv", "nb", "nn", "da", "fi", "is")


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when nothing is a Violation (warnings and infos are allowed)."""
        return not any(f.severity == "Violation" for f in self.findings)

    def by_severity(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]


def validate_quads(quads: list[ox.Quad], *, lang: str = "en", source: str | None = None) -> Report:
    from stafett.shapes._engine import run_shacl  # the engine is private and swappable

    return Report(run_shacl(quads, lang=lang, source=source))


def validate_document(raw: bytes, media_type: str, *, lang: str = "en", source: str | None = None,
                      base_iri: str | None = None, limits: Limits = DEFAULT_LIMITS):
    quads = parse_document(raw, media_type, base_iri=base_iri, limits=limits, source=source)
    return quads, validate_quads(quads, lang=lang, source=source)
