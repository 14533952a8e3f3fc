"""The codes a sheet may use, and the codes behind the names people write instead.

Built once from the vocabulary's SKOS schemes and EU tables (`stafett.vocabulary`), per JSON key of
`vocabulary.SCHEMES`: each concept's code (the end of its IRI), its skos:notation, and its
skos:prefLabel and skos:altLabel in every language. A cell matches a code in any letter case or
spacing ("se 212" is SE212, "pilot" is pilot), or a label in any language ("Sverige", "Suomi",
"Hälsa, vård och omsorg"); a label shared by several codes is refused as ambiguous, never guessed.
Labels shown back to the reader come from the same SKOS labels, in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from stafett import vocabulary
from stafett.vocabulary.terms import SKOS, term

PREF_LABEL = term(SKOS, "prefLabel")
ALT_LABEL = term(SKOS, "altLabel")
NOTATION = term(SKOS, "notation")
CPV_CHECK_DIGIT = re.compile(r"^(\d{8})-\d$")
SPACES = re.compile(r"\s+")


@dataclass
class Scheme:
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> lang -> label
    by_code: dict[str, str] = field(default_factory=dict)  # squeezed code -> code
    by_label: dict[str, set[str]] = field(default_factory=dict)  # folded label -> codes


@dataclass(frozen=True)
class Found:
    code: str | None
    label: str | None = None
    candidates: tuple[str, ...] = ()  # several codes share the label that was written
    known_scheme: bool = False  # the node ships the list of this key's codes


def fold(text: str) -> str:
    return SPACES.sub(" ", text).strip().casefold()


def squeeze(text: str) -> str:
    return SPACES.sub("", text).casefold()


@cache
def schemes() -> dict[str, Scheme]:
    """JSON key -> its codes, labels and the index of both (about half a second, once)."""
    prefixes = {key: iri + "/" for key, iri in vocabulary.SCHEMES.items()}
    by_prefix: dict[str, list[str]] = {}
    for key, prefix in prefixes.items():
        by_prefix.setdefault(prefix, []).append(key)
    found: dict[str, Scheme] = {key: Scheme() for key in prefixes}
    for quad in (*vocabulary.concept_quads(), *vocabulary.reference_quads()):
        subject = quad.subject
        if not isinstance(subject, ox.NamedNode) or not isinstance(quad.object, ox.Literal):
            continue
        if quad.predicate not in (PREF_LABEL, ALT_LABEL, NOTATION):
            continue
        prefix, _, code = subject.value.rpartition("/")
        for key in by_prefix.get(prefix + "/", ()):
            add(found[key], code, quad.predicate, quad.object)
    return found


def add(scheme: Scheme, code: str, predicate, literal: ox.Literal) -> None:
    scheme.by_code.setdefault(squeeze(code), code)
    if predicate == NOTATION:
        scheme.by_code.setdefault(squeeze(literal.value), code)
        return
    if predicate == PREF_LABEL:
        scheme.labels.setdefault(code, {})[literal.language or "en"] = literal.value
    scheme.by_label.setdefault(fold(literal.value), set()).add(code)


def label_of(key: str, code: str, lang: str) -> str | None:
    names = schemes().get(key, Scheme()).labels.get(code, {})
    for candidate in (lang, "nb" if lang == "nn" else lang, "en"):
        if candidate in names:
            return names[candidate]
    return next(iter(names.values()), None)


def lookup_code(key: str, written: str, lang: str) -> Found:
    """The code `written` stands for under `key` (a code in any case, or a label)."""
    scheme = schemes().get(key)
    if scheme is None or not scheme.by_code:
        return Found(None)
    text = written.strip()
    if key == "cpv" and (match := CPV_CHECK_DIGIT.match(text)):
        text = match[1]  # the CPV check digit people copy from TED is not part of the code
    code = scheme.by_code.get(squeeze(text))
    if code is None:
        codes = sorted(scheme.by_label.get(fold(text), ()))
        if len(codes) > 1:
            return Found(None, candidates=tuple(codes), known_scheme=True)
        code = codes[0] if codes else None
    if code is None:
        return Found(None, known_scheme=True)
    return Found(code, label_of(key, code, lang), known_scheme=True)


def codes_for(key: str, lang: str) -> list[tuple[str, str]]:
    """(code, label in `lang`) of every code of `key`, sorted by code."""
    scheme = schemes().get(key, Scheme())
    return [(code, label_of(key, code, lang) or code) for code in sorted(scheme.labels)]
