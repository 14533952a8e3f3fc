"""The validator API used by the node's write API, the harvester's admission step and the CLI.

Contract:
- `validate_quads(quads, lang=...) -> Report`
- `validate_document(raw, media_type, lang=...) -> (quads, Report)`; raises `Problem` on
  unreadable input (never a traceback).
A Report's findings are `stafett.problems.Finding`s with messages in the requested language
(en, sv, nb, nn, da, fi, is; `nn` falls back to `nb`, everything to `en`), sorted deterministically.
A case over the work bounds of shapes/bounds.py (values per property, literals per case) gets
those findings without a SHACL run, so no input makes the engine's work grow faster than its size.
- `validate_many([quads, ...], lang=...) -> [Report, ...]`: many cases in as few engine calls as
  possible, with findings identical to `validate_quads` on each (tests/shapes/test_validate_many.py).
The SHACL engine is chosen by `engine=` or the STAFETT_SHACL_ENGINE environment variable:
`turbo` (pyshacl-turbo, the default) or `pyshacl` (the reference engine, the fallback).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pyoxigraph as ox

from stafett.problems import Finding
from stafett.shapes.messages import LANGUAGES
from stafett.vocabulary.jsonld import DEFAULT_LIMITS, Limits, parse_document

__all__ = ["LANGUAGES", "Report", "validate_document", "validate_many", "validate_quads", "warm_up"]


DEFAULT_ENGINE = "turbo"


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
    return os.environ.get("STAFETT_SHACL_ENGINE") or DEFAULT_ENGINE


def warm_up(engine: str | None = None) -> None:
    """Load and harvest the shapes now (call from an app factory, not per request)."""
    from stafett.shapes._engine import engine as get_engine

    get_engine(engine or default_engine())


def validate_quads(
    quads: list[ox.Quad], *, lang: str = "en", source: str | None = None, engine: str | None = None
) -> Report:
    from stafett.shapes._engine import engine as get_engine  # the engine is private and swappable

    quads = list(quads)
    over = bounded(quads, lang, source)
    if over is not None:
        return over
    results = get_engine(engine or default_engine()).results(quads)
    return make_report(quads, results, lang, source)


def bounded(quads: list[ox.Quad], lang: str, source: str | None) -> Report | None:
    """The report of a case over the work bounds (SHACL is skipped), or None when it is within them."""
    from stafett.shapes.bounds import bound_findings
    from stafett.shapes.findings import document_findings, sort_key

    over = bound_findings(quads, lang, source)
    if not over:
        return None
    return Report(sorted(set(document_findings(quads, lang, source) + over), key=sort_key))


def make_report(quads: list[ox.Quad], results, lang: str, source: str | None) -> Report:
    from stafett.shapes.findings import document_findings, sort_key, to_finding

    findings = document_findings(quads, lang, source)
    findings += [to_finding(result, lang, source) for result in results]
    # One shape can fail a value twice (e.g. "01/03/2021" breaks both sh:datatype and sh:pattern of the
    # date rule); the publisher needs to read that once.
    return Report(sorted(set(findings), key=sort_key))


def validate_many(
    cases: list[list[ox.Quad]],
    *,
    lang: str = "en",
    sources: list[str | None] | None = None,
    engine: str | None = None,
) -> list[Report]:
    """One Report per case, in order, the same as `validate_quads` on each case alone.

    With the turbo engine, cases that cannot see each other (no node of one is a subject in
    another) share one engine call; results go back to their case by focus node. `sources`, when
    given, is one source label per case (as `validate_quads(source=)`).
    """
    from stafett.shapes._engine import engine as get_engine
    from stafett.shapes.batch import results_many

    cases = [list(quads) for quads in cases]
    labels = sources if sources is not None else [None] * len(cases)
    if len(labels) != len(cases):
        raise ValueError("validate_many: one source label per case")
    over = [bounded(quads, lang, label) for quads, label in zip(cases, labels, strict=True)]
    within = [index for index, report in enumerate(over) if report is None]
    per_case = results_many(get_engine(engine or default_engine()), [cases[i] for i in within])
    checked = {
        index: make_report(cases[index], results, lang, labels[index])
        for index, results in zip(within, per_case, strict=True)
    }
    return [report if report is not None else checked[index] for index, report in enumerate(over)]


def validate_document(
    raw: bytes,
    media_type: str,
    *,
    lang: str = "en",
    source: str | None = None,
    base_iri: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
):
    quads = parse_document(raw, media_type, base_iri=base_iri, limits=limits, source=source)
    return quads, validate_quads(quads, lang=lang, source=source)
