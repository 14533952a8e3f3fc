"""Admission: may this source say this about this case, and is the snapshot valid?

Order of checks, cheapest first: well-formed activity -> namespace authority (a source publishes
only in its own namespaces; an aggregator relays only the namespaces it is allowed to) -> every
subject of the snapshot inside the case's own namespace (no triples about another publisher's
resources) -> the one shared validator `stafett.shapes.validate_quads`. Anything refused or
invalid is kept with its reasons for the reports; it never touches stored data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from stafett.harvester.parse import Member
from stafett.harvester.sources import Source
from stafett.shapes import validate_quads

from stafett.problems import Finding, Problem

ACCEPT, DELETE, QUARANTINE, REFUSE = "accept", "delete", "quarantine", "refuse"


@dataclass
class Decision:
    member: Member
    verdict: str
    direct: bool = False  # True when the source is the case's own publisher
    namespace: str | None = None
    reasons: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

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
    def reason(message: str, rule: str, focus: str | None = None) -> Finding:
        return Finding(
            "Violation",
            message,
            focus_node=focus or member.case,
            rule=rule,
            source=f"{source.name}: {member.activity}",
        )

    if member.problems:
        return Decision(member, QUARANTINE, reasons=[reason(p, "feed-profile") for p in member.problems])
    case = member.case
    namespace, direct = source.owns(case), True
    if namespace is None:
        namespace, direct = source.may_relay(case), False
    if namespace is None:
        return Decision(
            member,
            REFUSE,
            reasons=[
                reason(
                    f"source {source.name!r} is not the authority for {case}: it may publish only under "
                    + ", ".join(source.namespaces or ("(none)",))
                    + (" and relay " + ", ".join(source.relay) if source.aggregator else ""),
                    "namespace",
                )
            ],
        )
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
                    f"the snapshot of {case} states triples about {s}, outside the case's namespace; "
                    "a source may only describe its own resources",
                    "subject-namespace",
                    s,
                )
                for s in foreign[:20]
            ],
        )
    if not any(tr.subject == ox.NamedNode(case) for tr in member.payload):
        return Decision(
            member,
            QUARANTINE,
            direct,
            namespace,
            [reason(f"the snapshot does not describe the case {case} itself", "snapshot")],
        )
    try:
        report = validate_quads(
            [ox.Quad(tr.subject, tr.predicate, tr.object) for tr in member.payload],
            lang=lang,
            source=member.activity,
        )
    except Problem as problem:
        return Decision(
            member, QUARANTINE, direct, namespace, problem.findings or [reason(problem.detail, problem.slug)]
        )
    if not report.conforms:
        return Decision(member, QUARANTINE, direct, namespace, report.by_severity("Violation"))
    return Decision(
        member, ACCEPT, direct, namespace, warnings=[f for f in report.findings if f.severity != "Violation"]
    )


def foreign_subjects(payload: list[ox.Triple], case: str, namespace: str, sources: list[Source]) -> list[str]:
    owner = owner_of(case, sources)
    foreign = []
    for triple in payload:
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode):
            continue  # blank nodes are local to the snapshot
        iri = subject.value
        if not iri.startswith(namespace) or owner_of(iri, sources) != owner or not same_site(iri, case):
            foreign.append(iri)
    return sorted(set(foreign))


def same_site(iri: str, case: str) -> bool:
    """Same scheme and authority: a broad relay namespace ("https://") must not cover other sites."""
    return iri.split("/", 3)[:3] == case.split("/", 3)[:3]
