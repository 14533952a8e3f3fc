"""The validator API used by the node's write API, the harvester's admission step and the CLI.

Contract:
- `validate_quads(quads, lang=...) -> Report`
- `validate_document(raw, media_type, lang=...) -> (quads, Report)`; raises `Problem` on
  unreadable input (never a traceback).
A Report's findings are `stafett.problems.Finding`s with messages in the requested language
(en, sv, nb, nn, da, fi, is; `nn` falls back to `nb`, everything to `en`), sorted deterministically.
The SHACL engine is chosen by `engine=` or the STAFETT_SHACL_ENGINE environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pyoxigraph as ox
from stafett.shapes.messages import LANGUAGES
from stafett.vocabulary.jsonld import DEFAULT_LIMITS, Limits, parse_document

from stafett.problems import Finding

__all__ = ["LANGUAGES", "Report", "validate_document", "validate_quads", "warm_up"]


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when nothing is a Violation (warnings and infos are allowed)."""
        return not any(f.severity == "Violation" for f in self.findings)

    def by_severity(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]


def default_engine() -> str:
    return os.environ.get("STAFETT_SHACL_ENGINE", "pyshacl")


def warm_up(engine: str | None = None) -> None:
    """Load and harvest the shapes now (call from an app factory, not per request)."""
    from stafett.shapes._engine import engine as get_engine

    get_engine(engine or default_engine())


def validate_quads(quads: list[ox.Quad], *, lang: str = "en", source: str | None = None,
                   engine: str | None = None) -> Report:
    from stafett.shapes._engine import engine as get_engine  # the engine is private and swappable
    from stafett.shapes.findings import document_findings, sort_key, to_finding

    quads = list(quads)
    results = get_engine(engine or default_engine()).results(quads)
    findings = document_findings(quads, lang, source)
    findings += [to_finding(result, lang, source) for result in results]
    # One shape can fail a value twice (e.g. "01/03/2021" breaks both sh:datatype and sh:pattern of the
    # date rule); the publisher needs to read that once.
    return Report(sorted(set(findings), key=sort_key))


def validate_document(raw: bytes, media_type: str, *, lang: str = "en", source: str | None = None,
                      base_iri: str | None = None, limits: Limits = DEFAULT_LIMITS):
    quads = parse_document(raw, media_type, base_iri=base_iri, limits=limits, source=source)
    return quads, validate_quads(quads, lang=lang, source=source)
