"""The publishing flow: parse -> mint IRI -> normalise -> stamp -> validate -> store -> change.

Both the HTTP write routes and `stafett node import` call `prepare` then `commit`, so a case
imported from a file and one sent over HTTP end up byte-identical. The node alone sets `id`,
`publisher`, `issued`, `modified` and `version` (client-sent values are dropped and reported
as warnings), and validation runs on the stamped graph with the shared validator.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

import pyoxigraph as ox

from stafett.integrity.proofs import strip_proofs
from stafett.node.compact import compact_case
from stafett.node.messages import message
from stafett.node.normalise import normalise, rebase_iri, rebase_triples
from stafett.node.settings import NodeSettings
from stafett.node.signing import signed, signed_tombstone
from stafett.node.store import NodeStore, WriteResult, format_time
from stafett.problems import Finding, Problem
from stafett.shapes import validate_quads
from stafett.vocabulary.jsonld import Limits, parse_document
from stafett.vocabulary.languages import with_derived_language
from stafett.vocabulary.terms import (
    DCAT_VERSION,
    DCT,
    DCT_ISSUED,
    DCT_MODIFIED,
    DCT_PUBLISHER,
    DCT_TITLE,
    EU_COUNTRY,
    FOAF,
    ORG,
    RDF_TYPE,
    STF_CASE,
    XSD_DATETIME,
    term,
)

FOAF_NAME = term(FOAF, "name")
DCT_IDENTIFIER = term(DCT, "identifier")
DCT_SPATIAL = term(DCT, "spatial")
ORGANIZATION = term(ORG, "Organization")
FOLD = str.maketrans({"æ": "ae", "ø": "o", "œ": "oe", "þ": "th", "ð": "d", "ß": "ss", "đ": "d"})
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class Prepared:
    """A parsed, renamed and skolemised case, ready to be stamped and stored."""

    case_iri: str
    slug: str
    triples: list[ox.Triple]
    content_hash: str
    warnings: list[Finding] = field(default_factory=list)
    old_case_iri: str | None = None


@dataclass
class Outcome:
    result: WriteResult
    findings: list[Finding]  # warnings and infos (violations never get this far)


def limits_for(settings: NodeSettings) -> Limits:
    return Limits(max_bytes=settings.max_body_bytes, max_depth=settings.max_depth)


def parse(
    raw: bytes,
    media_type: str,
    settings: NodeSettings,
    *,
    source: str | None = None,
    rebases: Sequence[tuple[str, str]] = (),
) -> list[ox.Triple]:
    quads = parse_document(
        raw, media_type, base_iri=settings.base_url, limits=limits_for(settings), source=source
    )
    triples = [
        ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == ox.DefaultGraph()
    ]
    return rebase_triples(triples, list(rebases))


def prepare(
    triples: list[ox.Triple],
    settings: NodeSettings,
    slug: str,
    *,
    source: str | None = None,
    lang: str = "en",
) -> Prepared:
    case_iri = settings.case_iri(slug)
    # A proof in the input (an exported case imported again) is the old version's: the node signs
    # every version itself (node/signing.py), so an incoming proof is replaced, never kept.
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in strip_proofs(triples)]
    norm = normalise(quads, case_iri, source=source, lang=lang, max_depth=settings.max_depth)
    body = canonical_ntriples(norm.triples)
    return Prepared(
        case_iri, slug, norm.triples, hashlib.sha256(body).hexdigest(), norm.warnings, norm.old_case_iri
    )


def canonical_ntriples(triples) -> bytes:
    """One triple per line, sorted, no blank nodes: equal graphs give equal bytes."""
    text = cast(bytes, ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)).decode("utf-8")
    lines = sorted(set(line for line in text.splitlines() if line.strip()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def stamp(
    triples, settings: NodeSettings, case_iri: str, issued: str, modified: str, version: int
) -> list[ox.Triple]:
    """Add the node-set fields and the publisher's description (all in the node's namespace)."""
    case = ox.NamedNode(case_iri)
    publisher = ox.NamedNode(settings.publisher_iri)
    added = [
        ox.Triple(case, DCT_PUBLISHER, publisher),
        ox.Triple(case, DCT_ISSUED, ox.Literal(issued, datatype=XSD_DATETIME)),
        ox.Triple(case, DCT_MODIFIED, ox.Literal(modified, datatype=XSD_DATETIME)),
        ox.Triple(case, DCAT_VERSION, ox.Literal(str(version))),  # DCAT: a plain text version label
        ox.Triple(publisher, RDF_TYPE, ORGANIZATION),
        ox.Triple(publisher, DCT_SPATIAL, ox.NamedNode(EU_COUNTRY + settings.country)),
    ]
    if settings.org_number:  # optional: never a placeholder on every public case page
        added.append(ox.Triple(publisher, DCT_IDENTIFIER, ox.Literal(settings.org_number)))
    added += [
        ox.Triple(publisher, FOAF_NAME, ox.Literal(name, language=lang))
        for lang, name in settings.org_name.items()
    ]
    # 1.1: `language` is optional; derived from the texts' tags before the publisher's name is added
    return with_derived_language(list(triples), case) + added


def validate(
    prepared: Prepared, settings: NodeSettings, *, lang: str, version: int, source: str | None = None
) -> list[Finding]:
    """Validate the stamped graph; violations -> 422 Problem, otherwise the non-violations."""
    now = format_time(datetime.now(UTC))
    stamped = stamp(prepared.triples, settings, prepared.case_iri, now, now, version)
    report = validate_quads(
        [ox.Quad(t.subject, t.predicate, t.object) for t in stamped], lang=lang, source=source
    )
    findings = prepared.warnings + list(report.findings)
    if not report.conforms:
        violations = sum(1 for f in findings if f.severity == "Violation")
        raise Problem(
            422,
            "validation-failed",
            "The case is not valid",
            message("violations", lang, n=violations),
            findings,
        )
    return findings


def commit(
    store: NodeStore,
    settings: NodeSettings,
    prepared: Prepared,
    *,
    state: str = "published",
    lang: str = "en",
    if_match: str | None = None,
    must_exist: bool = False,
    create_only: bool = False,
    source: str | None = None,
) -> Outcome:
    current = store.get_case(prepared.case_iri)
    findings = validate(
        prepared, settings, lang=lang, version=(current.version + 1) if current else 1, source=source
    )

    def render(issued: str, modified: str, version: int) -> tuple[dict, bytes]:
        stamped = stamp(prepared.triples, settings, prepared.case_iri, issued, modified, version)
        stamped = signed(stamped, settings, prepared.case_iri, modified)  # issue 16: every version
        return compact_case(stamped, prepared.case_iri), canonical_ntriples(stamped)

    result = store.save_case(
        iri=prepared.case_iri,
        slug=prepared.slug,
        state=state,
        content_hash=prepared.content_hash,
        render=render,
        if_match=if_match,
        must_exist=must_exist,
        create_only=create_only,
        tombstone=tombstone_for(settings),
    )
    return Outcome(result, findings)


def tombstone_for(settings: NodeSettings):
    return lambda case_iri, deleted: signed_tombstone(settings, case_iri, deleted)


def delete(store: NodeStore, settings: NodeSettings, iri: str, *, if_match: str | None = None):
    """Delete a case; its feed member carries the node's signed tombstone (None: unknown case)."""
    return store.delete_case(iri, if_match=if_match, tombstone=tombstone_for(settings))


def warm_up(settings: NodeSettings) -> None:
    """Validate one tiny case so the validator's start-up cost is not paid by the first client."""
    case = ox.NamedNode(settings.case_iri("warm-up"))
    triples = [
        ox.Triple(case, RDF_TYPE, STF_CASE),
        ox.Triple(case, DCT_TITLE, ox.Literal("warm-up", language="en")),
    ]
    prepared = Prepared(case.value, "warm-up", triples, "")
    try:
        validate(prepared, settings, lang="en", version=1)
    except Problem:
        pass  # a refusal is fine: only the loading mattered


# -- slugs -----------------------------------------------------------------------------------
def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(FOLD))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.decode()).strip("-")[:60].strip("-")
    return slug or "case"


def title_slug(triples, settings: NodeSettings) -> str:
    """A slug from the case's own title, preferring the node's languages, then English."""
    root = case_subject(triples)
    titles = {
        t.object.language: t.object.value
        for t in triples
        if t.predicate == DCT_TITLE
        and t.subject == root
        and isinstance(t.object, ox.Literal)
        and t.object.language
    }
    for lang in (*settings.languages, "en"):
        if lang in titles:
            return slugify(titles[lang])
    return slugify(sorted(titles.items())[0][1]) if titles else "case"


def free_slug(store: NodeStore, base: str) -> str:
    if not store.slug_taken(base):
        return base
    n = 2
    while store.slug_taken(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


def key_slug(iri: str, settings: NodeSettings, rebases=()) -> str | None:
    """The stable slug of an authored case IRI: its last path segment (after rebasing)."""
    iri = rebase_iri(iri, list(rebases))
    own = settings.slug_of(iri)
    if own:
        return own
    last = iri.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return slugify(last) if last else None


def case_subject(triples):
    """The first subject typed Case (IRI or blank node), or None."""
    return next((t.subject for t in triples if t.predicate == RDF_TYPE and t.object == STF_CASE), None)


def case_subject_iri(triples) -> str | None:
    subject = case_subject(triples)
    return subject.value if isinstance(subject, ox.NamedNode) else None


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise Problem(
            404,
            "not-found",
            "No such case",
            f"{slug!r} is not a case address (lowercase letters, digits and '-')",
        )
    return slug
