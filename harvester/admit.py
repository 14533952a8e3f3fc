"""Admission: may this source say this about this case, and is the snapshot valid?

Order of checks, cheapest first: well-formed activity -> namespace authority (a source publishes
only in its own namespaces; an aggregator relays only the namespaces it is allowed to) -> every
subject of the snapshot inside the case's own namespace (no triples about another publisher's
resources) -> the one shared validator. Anything refused or invalid is kept with its reasons for
the reports; it never touches stored data. `admit_page` admits all members of a feed page with one
`validate_many` call (one engine call for many cases); `admit` is the same for one member.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from stafett.harvester.parse import Member
from stafett.harvester.sources import Source
from stafett.harvester.validated import ValidatedVersions, has_blank_nodes, version_key
from stafett.integrity.proofs import Verification
from stafett.problems import Finding, Problem
from stafett.shapes.validate import Report, validate_many, validate_quads

ACCEPT, DELETE, QUARANTINE, REFUSE = "accept", "delete", "quarantine", "refuse"


@dataclass
class Decision:
    member: Member
    verdict: str
    direct: bool = False  # True when the source is the case's own publisher
    namespace: str | None = None
    reasons: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    signature: Verification | None = None  # set by verify.py (issue 16); None: not checked
    sha: str | None = None  # the snapshot's snapshot_sha256, when admission computed it (load reuses it)
    key: str | None = None  # its version_key, when admission computed it (harvester/validated.py)
    # Suggested topics (harvester/suggest.py) when a page worker worked them out beside the
    # validation (harvester/workers.py); None: load.py works them out on the store-writer thread.
    topics: list[tuple[str, list[ox.Literal]]] | None = None

    @property
    def origin_activity(self) -> str:
        return self.member.derived_from or self.member.activity

    @property
    def origin_stream(self) -> str | None:
        return self.member.origin_stream or self.member.stream


def owner_of(iri: str, sources: list[Source]) -> str | None:
    """The configured source whose namespace is the longest prefix of `iri` (the authority)."""
    best = max(
        ((len(ns), s.name) for s in sources for ns in s.namespaces if iri.startswith(ns)), default=None
    )
    return best[1] if best else None


def admit(member: Member, source: Source, sources: list[Source], lang: str = "en") -> Decision:
    return admit_page([member], source, sources, lang)[0]


def admit_page(
    members: list[Member],
    source: Source,
    sources: list[Source],
    lang: str = "en",
    validated: ValidatedVersions | None = None,
) -> list[Decision]:
    """Decisions for a page's members, in order; the snapshots that reach SHACL are validated together.

    With `validated`, a snapshot whose hash conformed before is accepted with its kept warnings
    instead of being validated again (harvester/validated.py), and new conforming ones are kept.
    The three steps are apart so that harvester/workers.py can run the middle one in a worker."""
    early, waiting = screen(members, source, sources, lang, validated)
    reports = validate_snapshots([members[i] for i in waiting], lang)
    return conclude(early, waiting, reports, source, lang, validated)


def screen(
    members: list[Member],
    source: Source,
    sources: list[Source],
    lang: str,
    validated: ValidatedVersions | None,
) -> tuple[list[Decision], list[int]]:
    """Every check before SHACL; returns the decisions so far and the members SHACL must decide."""
    early = [check(member, source, sources) for member in members]
    waiting = [i for i, decision in enumerate(early) if decision.verdict == VALIDATE]
    if validated is not None:
        waiting = [i for i in waiting if not known_version(early, i, validated, lang)]
    return early, waiting


def validate_snapshots(members: list[Member], lang: str) -> list[Report | Problem]:
    """One report per member's snapshot, in one validator call; a Problem where one cannot be read."""
    snapshots = [[ox.Quad(tr.subject, tr.predicate, tr.object) for tr in m.payload] for m in members]
    try:
        return list(validate_many(snapshots, lang=lang, sources=[m.activity for m in members]))
    except Problem:  # one bad snapshot must not cost the others their verdict: find it alone
        return [one_report(m, snapshot, lang) for m, snapshot in zip(members, snapshots, strict=True)]


def conclude(
    early: list[Decision],
    waiting: list[int],
    reports: list[Report | Problem],
    source: Source,
    lang: str,
    validated: ValidatedVersions | None,
) -> list[Decision]:
    """The validator's reports turned into verdicts; conforming versions remembered."""
    for i, report in zip(waiting, reports, strict=True):
        key = early[i].key
        early[i] = judged(early[i], report, source)
        if validated is not None and key and early[i].verdict == ACCEPT:
            validated.conformed(key, lang, early[i].warnings)
    return early


def known_version(early: list[Decision], i: int, validated: ValidatedVersions, lang: str) -> bool:
    """Hash the snapshot (load.py needs the hash anyway); True, and accepted, when it conformed before."""
    pending = early[i]
    payload = pending.member.payload
    pending.key = version_key(payload)
    if not has_blank_nodes(payload):
        pending.sha = pending.key  # the same hash then: load.py need not hash again
    warnings = validated.warnings(pending.key, lang, pending.member.activity)
    if warnings is None:
        return False
    early[i] = Decision(
        pending.member,
        ACCEPT,
        pending.direct,
        pending.namespace,
        warnings=warnings,
        sha=pending.sha,
        key=pending.key,
    )
    return True


VALIDATE = "validate"  # internal: passed every cheap check, SHACL decides


def check(member: Member, source: Source, sources: list[Source]) -> Decision:
    """Every check before SHACL, cheapest first; VALIDATE when only SHACL is left to decide."""
    if member.problems:
        reasons = [reason(member, source, p, "feed-profile") for p in member.problems]
        return Decision(member, QUARANTINE, reasons=reasons)
    case = member.case
    namespace, direct = source.owns(case), True
    if namespace is None:
        namespace, direct = source.may_relay(case), False
    if namespace is None:
        allowed = ", ".join(source.namespaces or ("(none)",))
        relay = " and relay " + ", ".join(source.relay) if source.aggregator else ""
        message = f"source {source.name!r} is not the authority for {case}: it may publish only under "
        message += allowed + relay
        return Decision(member, REFUSE, reasons=[reason(member, source, message, "namespace")])
    if member.kind == "Delete":
        return Decision(member, DELETE, direct, namespace)
    foreign = foreign_subjects(member.payload, case, namespace, sources)
    if foreign:
        return Decision(
            member,
            REFUSE,
            direct,
            namespace,
            [
                reason(
                    member,
                    source,
                    f"the snapshot of {case} states triples about {s}, outside the case's namespace; "
                    "a source may only describe its own resources",
                    "subject-namespace",
                    s,
                )
                for s in foreign[:20]
            ],
        )
    if not any(tr.subject == ox.NamedNode(case) for tr in member.payload):
        message = f"the snapshot does not describe the case {case} itself"
        return Decision(member, QUARANTINE, direct, namespace, [reason(member, source, message, "snapshot")])
    return Decision(member, VALIDATE, direct, namespace)


def reason(member: Member, source: Source, message: str, rule: str, focus: str | None = None) -> Finding:
    return Finding(
        "Violation",
        message,
        focus_node=focus or member.case,
        rule=rule,
        source=f"{source.name}: {member.activity}",
    )


def one_report(member: Member, snapshot: list[ox.Quad], lang: str) -> Report | Problem:
    try:
        return validate_quads(snapshot, lang=lang, source=member.activity)
    except Problem as problem:
        return problem


def judged(pending: Decision, report: Report | Problem, source: Source) -> Decision:
    member, direct, namespace = pending.member, pending.direct, pending.namespace
    if isinstance(report, Problem):
        findings = report.findings or [reason(member, source, report.detail, report.slug)]
        return Decision(member, QUARANTINE, direct, namespace, findings)
    if not report.conforms:
        return Decision(member, QUARANTINE, direct, namespace, report.by_severity("Violation"))
    warnings = [f for f in report.findings if f.severity != "Violation"]
    return Decision(member, ACCEPT, direct, namespace, warnings=warnings, sha=pending.sha, key=pending.key)


def foreign_subjects(payload: list[ox.Triple], case: str, namespace: str, sources: list[Source]) -> list[str]:
    owner = owner_of(case, sources)
    # Each distinct subject once: a snapshot has ~70 triples but only a few named subjects.
    subjects = {t.subject.value for t in payload if isinstance(t.subject, ox.NamedNode)}  # blank: local
    return sorted(
        iri
        for iri in subjects
        if not iri.startswith(namespace) or owner_of(iri, sources) != owner or not same_site(iri, case)
    )


def same_site(iri: str, case: str) -> bool:
    """Same scheme and authority: a broad relay namespace ("https://") must not cover other sites."""
    return iri.split("/", 3)[:3] == case.split("/", 3)[:3]
