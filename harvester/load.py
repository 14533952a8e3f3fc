"""Loading admitted members: one named graph per case, provenance beside it, routes remembered.

Per member: decide whether this route's copy is the one the registry keeps (the publisher's own
copy always wins over a relayed one; among relays the latest harvested wins), write the store
(an idempotent replacement), record the route, the registry's view of the case, the registry's
own feed entry and the checkpoint. Refused and quarantined members only reach the reports.

A feed page is applied as a unit (`apply_page`): ONE SQLite transaction is opened, every member's
decision is taken and recorded inside it (so a later member of the same case sees the earlier
one's route), the store writes are collected into ONE store transaction, and the page checkpoint
joins the same SQLite transaction. The store commits first, SQLite second: a crash between the
two leaves the store ahead of the checkpoint, and the resumed run re-applies the page with the
same idempotent graph replacements (no loss, no duplicate feed entries, since the feed entries
rolled back with SQLite). Every case graph is still replaced atomically, inside the page's store
transaction. The search index follows the store's commit, before SQLite's: a crash in between
leaves its marker behind the store's and the next start rebuilds it. `apply_page` runs on the
registry's single store-writer thread (`Registry.write`), so sources harvested concurrently never
interleave their decisions and writes. It gets the few parts it writes through (`LoadParts`),
never the Registry that builds them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox

from stafett.harvester import terms as t
from stafett.harvester.admit import ACCEPT, DELETE, QUARANTINE, Decision
from stafett.harvester.cases import Cases
from stafett.harvester.checkpoint import Checkpoints
from stafett.harvester.db import Database
from stafett.harvester.feed import Feed
from stafett.harvester.matching.engine import Matcher
from stafett.harvester.quadstore import QuadStore
from stafett.harvester.reports import Reports, Run, source_iri, utcnow
from stafett.harvester.search.index import SearchIndex
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.harvester.suggest import suggestion_iri, suggestion_triples
from stafett.harvester.validated import snapshot_sha256
from stafett.ldes import AS_PUBLISHED, timestamp
from stafett.vocabulary.terms import DCAT_VERSION, DCT_MODIFIED, DCT_PUBLISHER, RDF_TYPE, XSD_BOOLEAN


@dataclass(frozen=True)
class LoadParts:
    """What applying a page writes through: the registry's tables, its feed and its quad store."""

    settings: RegistrySettings
    db: Database  # the page's one SQLite transaction
    cases: Cases
    feed: Feed
    backend: QuadStore
    prov_graph: str  # the named graph of case and route provenance
    index: SearchIndex | None = None  # the search index kept in step (embedded store only)
    matcher: Matcher | None = None  # the matches kept in step (issue 15; embedded store only)


def literal_of(triples: list[ox.Triple], case: str, predicate: ox.NamedNode) -> str | None:
    subject = ox.NamedNode(case)
    return next(
        (
            tr.object.value
            for tr in triples
            if tr.subject == subject and tr.predicate == predicate and isinstance(tr.object, ox.Literal)
        ),
        None,
    )


def route_iri(base_url: str, case: str, source: str) -> str:
    return f"{base_url}route/{hashlib.sha256(case.encode()).hexdigest()[:24]}/{source}"


def apply_page(parts: LoadParts, source: Source, decisions: list[Decision], run: Run, done=None) -> None:
    """Apply a page's decisions in one SQLite and one store transaction; `done(tx)` checkpoints the page."""
    counts = dict(run.counts)
    batch = parts.backend.batch()
    changed = [d.member.case for d in decisions if d.verdict in (ACCEPT, DELETE)]
    try:
        with parts.db.transaction() as tx:
            for decision in decisions:
                apply(parts, tx, batch, source, decision, run)
            if done is not None:
                done(tx)
            marker = parts.index.new_marker(batch) if parts.index is not None and changed else None
            batch.commit()  # the store first: if it fails, SQLite rolls back and nothing is marked
            if marker is not None:  # then the index, from what the store now holds (see search/index.py)
                parts.index.apply(changed, marker)
    except BaseException:
        run.counts = counts  # the counters rolled back with the transaction
        raise


def apply(parts: LoadParts, tx, batch, source: Source, decision: Decision, run: Run) -> str:
    """Apply one decision inside the page's transaction; returns the counter it was counted under."""
    Reports.bump(tx, run, "fetched")
    if decision.verdict not in (ACCEPT, DELETE):
        return record_refusal(tx, source, decision, run)
    member = decision.member
    routes = parts.cases.routes_of(member.case)
    mine = routes.get(source.name)
    if mine and not newer(member.published, mine["published"], allow_equal=run.full):
        finish_member(tx, source, member.activity, run, "skipped")
        return "skipped"
    # The publisher's own copy always wins; a relay wins only while no publisher route exists.
    wins = decision.direct or not any(r["direct"] for name, r in routes.items() if name != source.name)
    snapshot = member.payload if decision.verdict == ACCEPT else None
    sha = (decision.sha or snapshot_sha256(snapshot)) if snapshot is not None else None
    current = parts.cases.current(member.case)
    now = utcnow()
    write_store(parts, batch, source, decision, wins, snapshot, now)
    kind = feed_kind(wins, snapshot, sha, current, routes)
    counter = "accepted" if snapshot is not None else "deleted"
    state = "live" if snapshot is not None else "deleted"
    modified = literal_of(snapshot or [], member.case, DCT_MODIFIED)
    Cases.record_route(
        tx,
        (
            member.case,
            source.name,
            int(decision.direct),
            state,
            member.published,
            decision.origin_activity,
            decision.origin_stream,
            modified,
            sha,
            now,
        ),
    )
    if wins:
        Cases.record_case(tx, member.case, state, source.name, decision.origin_activity, now)
    if kind:
        # a Delete relays the origin's signed tombstone unchanged (issue 16), a Create/Update its snapshot
        parts.feed.append(tx, kind, member.case, decision, snapshot or member.payload, now)
    finish_member(tx, source, member.activity, run, counter)
    return counter


def record_refusal(tx, source: Source, decision: Decision, run: Run) -> str:
    member = decision.member
    counter = "quarantined" if decision.verdict == QUARANTINE else "refused"
    payload = ox.serialize(member.payload, format=ox.RdfFormat.N_TRIPLES).decode() if member.payload else None
    Reports.problem(tx, run, member.activity, member.case, decision.verdict, decision.reasons, payload)
    finish_member(tx, source, member.activity, run, counter)
    return counter


def write_store(
    parts: LoadParts,
    batch,
    source: Source,
    decision: Decision,
    wins: bool,
    snapshot: list[ox.Triple] | None,
    now: str,
) -> None:
    """The idempotent store write: the case graph and its provenance when this route wins, else the route."""
    settings, case = parts.settings, decision.member.case
    route_triples = route_description(settings.base_url, case, source, decision, decision.member.published)
    route_node = route_iri(settings.base_url, case, source.name)
    if wins:
        provenance = (
            case_provenance(settings.base_url, source, decision, now, settings.language) + route_triples
        )
        # the suggestion node goes with the case's provenance: replaced on update, gone on delete
        replaced = [case, route_node, suggestion_iri(settings.base_url, case)]
        batch.write_case(case, snapshot, parts.prov_graph, replaced, provenance)
    else:
        batch.replace_about(parts.prov_graph, [route_node], route_triples)


def feed_kind(wins: bool, snapshot, sha: str | None, current, routes: dict) -> str | None:
    """What the registry's own feed says about this change (None: nothing new for downstream)."""
    if not wins:
        return None
    if snapshot is None:
        return "Delete" if current is None or current["state"] != "deleted" else None
    if current is None or current["state"] != "live":
        return "Create"
    previous = routes.get(current["source"])
    if previous is not None and previous["snapshot_sha"] == sha:
        return None  # same content again (a --full re-sync, or the publisher's copy replacing a relay's)
    return "Update"


def newer(published: str, than: str, *, allow_equal: bool) -> bool:
    """Compare as:published values as instants (lexical forms may differ: Z vs +00:00)."""
    a, b = datetime.fromisoformat(published), datetime.fromisoformat(than)
    return a > b or (allow_equal and a == b)


def finish_member(tx, source: Source, activity: str, run: Run, counter: str) -> None:
    Checkpoints.mark_processed(tx, source.name, activity)
    Reports.bump(tx, run, counter)


def route_description(
    base_url: str, case: str, source: Source, decision: Decision, published: str
) -> list[ox.Triple]:
    node = ox.NamedNode(route_iri(base_url, case, source.name))
    out = [
        ox.Triple(node, t.STF_ROUTE_OF, ox.NamedNode(case)),
        ox.Triple(node, t.STF_HARVESTED_FROM, ox.NamedNode(source_iri(base_url, source.name))),
        ox.Triple(node, t.STF_ORIGIN_ACTIVITY, ox.NamedNode(decision.member.activity)),
        ox.Triple(node, AS_PUBLISHED, timestamp(published)),
        ox.Triple(node, t.STF_DIRECT, ox.Literal(str(decision.direct).lower(), datatype=XSD_BOOLEAN)),
        ox.Triple(node, t.STF_STATE, ox.Literal("deleted" if decision.verdict == DELETE else "live")),
    ]
    return out


def signature_provenance(case: ox.NamedNode, decision: Decision) -> list[ox.Triple]:
    """What verify.py found (issue 16): the status, the key the proof names, who controls it."""
    result = decision.signature
    if result is None:
        return []
    out = [ox.Triple(case, t.STF_SIGNATURE_STATUS, ox.Literal(result.status))]
    if result.key:
        out.append(ox.Triple(case, t.STF_SIGNED_WITH, ox.NamedNode(result.key)))
    if result.verified and result.controller:
        out.append(ox.Triple(case, t.STF_SIGNED_BY, ox.NamedNode(result.controller)))
    return out


def case_provenance(
    base_url: str, source: Source, decision: Decision, now: str, lang: str
) -> list[ox.Triple]:
    member = decision.member
    case = ox.NamedNode(member.case)
    out = [
        ox.Triple(case, RDF_TYPE, t.PROV_ENTITY),
        ox.Triple(case, t.STF_HARVESTED_FROM, ox.NamedNode(source_iri(base_url, source.name))),
        ox.Triple(case, t.PROV_GENERATED_AT, timestamp(now)),
    ]
    if decision.origin_stream:
        out.append(ox.Triple(case, t.PROV_PRIMARY_SOURCE, ox.NamedNode(decision.origin_stream)))
    out += signature_provenance(case, decision)
    if decision.verdict == DELETE:
        out += [
            ox.Triple(case, RDF_TYPE, t.STF_TOMBSTONE),
            ox.Triple(case, t.PROV_INVALIDATED_BY, ox.NamedNode(decision.origin_activity)),
            ox.Triple(case, t.PROV_INVALIDATED_AT, timestamp(now)),
        ]
        return out
    out.append(ox.Triple(case, t.PROV_DERIVED, ox.NamedNode(decision.origin_activity)))
    publisher = next(
        (
            tr.object
            for tr in member.payload
            if tr.subject == case and tr.predicate == DCT_PUBLISHER and isinstance(tr.object, ox.NamedNode)
        ),
        None,
    )
    if publisher is not None:  # the origin publisher, as the case itself names it
        out.append(ox.Triple(case, t.PROV_ATTRIBUTED, publisher))
    version = literal_of(member.payload, member.case, DCAT_VERSION)
    if version is not None:
        out.append(ox.Triple(case, DCAT_VERSION, ox.Literal(version)))
    out += [
        ox.Triple(case, t.STF_WARNING, ox.Literal(w.message or w.rule or "warning", language=lang))
        for w in decision.warnings
    ]
    # Topics the registry suggests when the publisher gave none (harvester/suggest.py), said as such.
    return out + suggestion_triples(base_url, member.case, member.payload, now, decision.topics)
