"""Verification on harvest (issue 16): each member's proof against the key its node publishes.

After admission (admit.py) and before loading, every accepted case snapshot and every tombstone
is checked (stafett/integrity/proofs.py, eddsa-rdfc-2022). The key must be published on the case's
own site (scheme and authority of the case IRI): the registry fetches the document the
`verificationMethod` names (the node's catalogue `/`) with the same Fetcher and limits as every
other fetch, keeps it `key_cache_seconds`, and fetches it again sooner when a proof names a key it
does not list (a rotation: a key not asked for before refetches at once, at most 8 per
document; one asked for again, at most every 5 s). The outcome goes into the case's provenance
(load.py) and decides, by the source's settings, what happens to the member:

- `unsigned = "accept"` (default: accepted and marked) | `"quarantine"`;
- `invalid = "quarantine"` (default: kept out, with the reason in the run's report, which the
  publisher reads at /reports) | `"accept"` (accepted and marked). Unknown and revoked keys count
  as invalid.

A graph too costly to canonicalise (blank-node cap, time budget: stafett/integrity/canon.py) is
invalid with that reason; one bad member never costs the rest of the page.
"""

from __future__ import annotations

import time

import pyoxigraph as ox

from stafett.harvester.admit import ACCEPT, DELETE, QUARANTINE, Decision
from stafett.harvester.fetch import Fetcher
from stafett.harvester.parse import page_limits
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.integrity.canon import BoundedCanonicaliser
from stafett.integrity.proofs import PublishedKey, Verification, verify
from stafett.integrity.published import published_keys
from stafett.problems import Finding, Problem
from stafett.texts import words
from stafett.vocabulary.jsonld import parse_document
from stafett.vocabulary.terms import SEC_VERIFICATION_METHOD

KEY_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/ld+json;q=0.5"
UNKNOWN_KEY_REFRESH = 5.0  # seconds: an unknown key asked for again refetches at most this often
MAX_MISSES = 8  # new unknown keys per document that refetch at once (bounds requests to one site)


class Verifier:
    """Owns the bounded canonicaliser (a worker process) and the key documents fetched so far."""

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings
        self.canonicalise = BoundedCanonicaliser(
            deadline=settings.canonicalisation_deadline, max_blank_nodes=settings.max_blank_nodes
        )
        self.documents: dict[str, tuple[float, dict[str, PublishedKey]]] = {}
        self.missed: dict[str, set[str]] = {}  # key IRIs a document did not list, since its last full fetch

    def close(self) -> None:
        self.canonicalise.close()

    async def key(self, fetcher: Fetcher, key_iri: str, case_iri: str, source: str) -> PublishedKey | None:
        if not same_site(key_iri, case_iri):
            return None  # a key on another site cannot speak for this case, whatever it says
        document = key_iri.split("#", 1)[0]
        cached = self.documents.get(document)
        age = time.monotonic() - cached[0] if cached else float("inf")
        missed = self.missed.setdefault(document, set())
        if age > self.settings.key_cache_seconds:
            missed.clear()
        elif cached is not None and key_iri in cached[1]:
            return cached[1][key_iri]
        elif key_iri in missed or len(missed) >= MAX_MISSES:
            if age <= UNKNOWN_KEY_REFRESH:  # asked again: no new request to that site yet
                return None
        else:
            missed.add(key_iri)  # a key not seen before (a rotation): one fresh look at once
        self.documents[document] = (time.monotonic(), await self.fetch(fetcher, document, source))
        return self.documents[document][1].get(key_iri)

    async def fetch(self, fetcher: Fetcher, url: str, source: str) -> dict[str, PublishedKey]:
        try:
            fetched = await fetcher.get(url, source=source, accept=KEY_ACCEPT)
            quads = parse_document(
                fetched.body,
                fetched.media_type or "text/turtle",
                base_iri=fetched.url,
                limits=page_limits(self.settings),
                source=source,
            )
        except Problem:
            return {}  # unreachable or unreadable: its keys are unknown until the next try
        return published_keys(quads)

    async def check(self, fetcher: Fetcher, member_payload, case_iri: str, source: str) -> Verification:
        keys: dict[str, PublishedKey] = {}
        named = {
            t.object.value
            for t in member_payload
            if t.predicate == SEC_VERIFICATION_METHOD and isinstance(t.object, ox.NamedNode)
        }
        for key_iri in named:  # the keys the proofs name (verify() checks they are the proofs')
            found = await self.key(fetcher, key_iri, case_iri, source)
            if found:
                keys[key_iri] = found
        try:
            return verify(
                member_payload, keys.get, canonicalise=lambda q: self.canonicalise(q, source=source)
            )
        except Problem as problem:  # the canonicalisation bounds refused the graph
            return Verification("invalid", problem.detail)


async def verify_page(
    verifier: Verifier, fetcher: Fetcher, source: Source, decisions: list[Decision]
) -> None:
    """Set each accepted or deleting decision's signature, and quarantine what the source's policy says."""
    for decision in decisions:
        if decision.verdict not in (ACCEPT, DELETE) or decision.member.case is None:
            continue
        member, case = decision.member, decision.member.case
        result = await verifier.check(fetcher, member.payload, case, source.name)
        decision.signature = result
        if not keep(result, source):
            decision.verdict = QUARANTINE
            decision.reasons.append(
                Finding(
                    "Violation",
                    f"the case's proof is {result.status}: {result.reason}",
                    focus_node=member.case,
                    rule=f"signature-{result.status}",
                    source=f"{source.name}: {member.activity}",
                )
            )


def keep(result: Verification, source: Source) -> bool:
    if result.status == "verified":
        return True
    if result.status == "unsigned":
        return source.unsigned == "accept"
    return source.invalid == "accept"  # invalid, unknown-key, revoked-key


def same_site(iri: str, case: str) -> bool:
    return iri.split("/", 3)[:3] == case.split("/", 3)[:3]


def status_sentence(status: str, organisation: str, lang: str) -> str:
    """What a case page says about its signature, e.g. "Signerad av Växjö kommun, verifierad"."""
    return words("signing", lang)[f"sentence-{status}"].format(organisation=organisation)
