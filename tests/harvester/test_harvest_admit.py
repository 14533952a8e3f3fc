"""Admission rules on their own: authority, relaying, subject namespaces, feed profile."""

import pyoxigraph as ox
from harvest_support import case_doc, snapshot

from stafett.harvester.admit import ACCEPT, DELETE, QUARANTINE, REFUSE, admit
from stafett.harvester.parse import Member
from stafett.harvester.sources import Source

A, B = "https://a.example/", "https://b.example/"
PUBLISHER_A = Source("a", A, (A,))
PUBLISHER_B = Source("b", B, (B,))
BROAD_RELAY = Source("hub", "https://hub.example/", aggregator=True, relay=("https://",))
NARROW_RELAY = Source("se", "https://se.example/", aggregator=True, relay=(A,))
SOURCES = [PUBLISHER_A, PUBLISHER_B, BROAD_RELAY, NARROW_RELAY]


def member(doc, kind="Create", **changes):
    fields = {
        "activity": "https://x.example/act/1",
        "kind": kind,
        "case": doc["id"] if isinstance(doc, dict) else doc,
        "published": "2026-03-01T08:00:00Z",
        "payload": snapshot(doc) if isinstance(doc, dict) else [],
    }
    fields.update(changes)
    return Member(**fields)


def test_publisher_and_allowed_relays_are_accepted():
    doc = case_doc(A, "c1")
    assert admit(member(doc), PUBLISHER_A, SOURCES).verdict == ACCEPT
    relayed = admit(member(doc), NARROW_RELAY, SOURCES)
    assert relayed.verdict == ACCEPT and not relayed.direct
    assert admit(member(doc), BROAD_RELAY, SOURCES).verdict == ACCEPT


def test_cases_outside_the_sources_authority_are_refused():
    doc = case_doc(B, "c1")
    assert admit(member(doc), PUBLISHER_A, SOURCES).verdict == REFUSE
    decision = admit(member(doc), NARROW_RELAY, SOURCES)
    assert decision.verdict == REFUSE and "relay https://a.example/" in decision.reasons[0].message
    assert admit(member(B + "case/c1", kind="Delete"), PUBLISHER_A, SOURCES).verdict == REFUSE
    assert admit(member(A + "case/c1", kind="Delete"), PUBLISHER_A, SOURCES).verdict == DELETE


def test_subjects_on_another_site_or_of_another_publisher_are_refused():
    doc = case_doc(A, "c1")
    doc["relatedCase"] = [{"id": "https://elsewhere.example/case/9", "title": {"sv": "Kapad"}}]
    decision = admit(member(doc), BROAD_RELAY, SOURCES)  # "https://" covers it, the site rule does not
    assert decision.verdict == REFUSE and decision.reasons[0].focus_node == "https://elsewhere.example/case/9"
    narrow = Source("a-root", A, (A,))
    inner = Source("a-sub", A + "sub/", (A + "sub/",))
    doc = case_doc(A, "c2")
    doc["relatedCase"] = [{"id": A + "sub/case/1", "title": {"sv": "Kapad"}}]
    assert admit(member(doc), narrow, [narrow, inner]).verdict == REFUSE  # a-sub's resource


def test_malformed_activities_and_invalid_snapshots_are_quarantined():
    doc = case_doc(A, "c1")
    broken = member(doc, kind="", problems=["the activity must have exactly one type"])
    assert admit(broken, PUBLISHER_A, SOURCES).verdict == QUARANTINE
    no_case = [t for t in snapshot(doc) if t.subject != ox.NamedNode(doc["id"])]
    assert admit(member(doc, payload=no_case), PUBLISHER_A, SOURCES).verdict == QUARANTINE
    invalid = dict(doc)
    del invalid["title"]
    decision = admit(member(invalid), PUBLISHER_A, SOURCES, lang="sv")
    assert decision.verdict == QUARANTINE and decision.reasons
