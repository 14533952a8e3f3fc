"""Signed relays (issue 16): node -> national registry -> Nordic registry, all real, on loopback.

The node signs every version; the national registry relays the origin's proof untouched; the
Nordic registry verifies each case against the key the *node* publishes. Every untampered case
verifies there; a national registry that alters a literal, drops a triple or swaps a buyer (its
operator edits the feed it serves) is caught every time, and one that strips proofs is unsigned.
"""

import json
import pathlib
import sqlite3
import time

import httpx
import pyoxigraph as ox
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from harvest_support import FeedServer, case_doc, case_graph, served_registry
from starlette.responses import Response
from test_harvest_real_node import CASE

from stafett.harvester.app import create_app
from stafett.harvester.feed import pack, unpack
from stafett.harvester.sources import Source, parse_sources
from stafett.harvester.verify import status_sentence
from stafett.integrity.multikey import public_multikey
from stafett.integrity.proofs import STATUSES, sign
from stafett.languages import SUPPORTED
from stafett.node import bootstrap as node_bootstrap
from stafett.node.keys import create_key, list_keys
from stafett.problems import Problem
from stafett.serving import bind, serve_in_thread, url_of
from stafett.vocabulary.terms import RDF_TYPE, SEC_MULTIKEY, SEC_PUBLIC_KEY_MULTIBASE

STF = "https://w3id.org/stafett/ns#"
SEC_PROOF = "<https://w3id.org/security#proof>"
TITLE = "<http://purl.org/dc/terms/title>"
STATUS_OF = ox.NamedNode(STF + "signatureStatus")
SIGNED_WITH = ox.NamedNode(STF + "signedWith")
SIGNED_BY = ox.NamedNode(STF + "signedBy")


@pytest.fixture
def federation(tmp_path):
    sock = bind()
    settings, store, token = node_bootstrap.init_node(
        tmp_path / "node", url_of(sock), {"sv": "Växjö kommun"}, "212000-0688", "SWE", ("sv", "en")
    )
    node = node_bootstrap.start_node(settings, store, sock)
    http = httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    base = settings.base_url
    national, national_server = served_registry(tmp_path, "se", [Source("vaxjo", base, (base,))])
    nordic, nordic_server = served_registry(
        tmp_path, "nordic", [Source("se", national.settings.base_url, aggregator=True, relay=(base,))]
    )
    yield settings, http, national, nordic
    for server in (nordic_server, national_server, node):
        server.stop()
    http.close()
    national.close()
    nordic.close()


def publish(http, title: str) -> str:
    body = json.dumps({**CASE, "title": {"sv": title}}).encode()
    answer = http.post("cases", content=body, headers={"Content-Type": "application/ld+json"})
    assert answer.status_code == 201, answer.text
    return answer.json()["document"]["id"]


def provenance(registry, case: str, predicate: ox.NamedNode) -> list[str]:
    graph = ox.NamedNode(registry.prov_graph)
    return [
        q.object.value for q in registry.store.quads_for_pattern(ox.NamedNode(case), predicate, None, graph)
    ]


def tamper(registry, case: str, edit) -> None:
    """What a dishonest national operator does: edit the payload its own feed serves for `case`."""
    with sqlite3.connect(registry.settings.db_path) as db:
        for seq, payload in db.execute(
            "SELECT seq, payload FROM feed WHERE case_iri = ?", (case,)
        ).fetchall():
            lines = [line for line in unpack(payload).decode().splitlines() if line]
            edited = pack(("\n".join(edit(lines)) + "\n").encode())
            db.execute("UPDATE feed SET payload = ? WHERE seq = ?", (edited, seq))


def altered_title(lines):
    return [line.replace('"Fall 0"@sv', '"Fall noll"@sv') if TITLE in line else line for line in lines]


def dropped_triple(lines):
    return [line for line in lines if "startDate" not in line]


def swapped_buyer(lines):
    return [
        line.replace("#buyer-1>", "#buyer-9>").replace('"Växjö kommun"', '"Sundsvalls kommun"')
        for line in lines
    ]


def stripped_proof(lines):
    return [line for line in lines if "#proof>" not in line]


def test_untampered_cases_all_verify_at_the_nordic_registry(federation):
    settings, http, national, nordic = federation
    cases = [publish(http, f"Fall {i}") for i in range(6)]
    assert national.harvest()[0]["accepted"] == 6
    assert nordic.harvest()[0]["accepted"] == 6
    key = next(iter(provenance(nordic, cases[0], SIGNED_WITH)))
    assert key.startswith(settings.base_url + "#key-")  # the origin node's key, not the relay's
    for registry in (national, nordic):
        for case in cases:
            assert provenance(registry, case, STATUS_OF) == ["verified"], case
            assert provenance(registry, case, SIGNED_WITH) == [key]
            assert provenance(registry, case, SIGNED_BY) == [settings.publisher_iri]
    # the relayed graph still carries the origin's proof, triple for triple
    assert any(q.predicate.value.endswith("#proofValue") for q in case_graph(nordic.store, cases[0]))


def test_a_relay_that_alters_drops_or_swaps_is_caught_and_one_that_strips_is_unsigned(federation):
    _, http, national, nordic = federation
    cases = [publish(http, f"Fall {i}") for i in range(6)]
    national.harvest()
    edits = {
        cases[0]: altered_title,
        cases[1]: dropped_triple,
        cases[2]: swapped_buyer,
        cases[3]: stripped_proof,
    }
    for case, edit in edits.items():
        tamper(national, case, edit)
    [report] = nordic.harvest()
    quarantined = {p["case"]: p for p in report["problems"] if p["verdict"] == "quarantine"}
    assert set(quarantined) == set(cases[:3])  # 100% of the tampered, none of the honest
    for case in cases[:3]:
        assert [r["rule"] for r in quarantined[case]["reasons"]] == ["signature-invalid"]
        assert "changed after signing" in quarantined[case]["reasons"][0]["message"]
        assert case_graph(nordic.store, case) == []  # never stored
    assert provenance(nordic, cases[3], STATUS_OF) == ["unsigned"]  # accepted, marked (the default)
    assert not any(q.predicate.value.endswith("#proof") for q in case_graph(nordic.store, cases[3]))
    for case in cases[4:]:
        assert provenance(nordic, case, STATUS_OF) == ["verified"]
    assert report["accepted"] == 3 and report["quarantined"] == 3
    # examples/queries/17 over the Nordic store (union of its graphs, as /sparql answers it)
    query = (EXAMPLES / "17-signature-status.rq").read_text("utf-8")
    counts = {
        r["status"].value: int(r["cases"].value)
        for r in nordic.store.query(query, use_default_graph_as_union=True)
    }
    assert counts == {"verified": 2, "unsigned": 1, "invalid": 0, "unknown-key": 0, "revoked-key": 0}


def test_a_signed_tombstone_travels_two_hops(federation):
    _, http, national, nordic = federation
    case = publish(http, "Fall att ta bort")
    national.harvest()
    nordic.harvest()
    slug = case.rsplit("/", 1)[1]
    assert http.delete(f"cases/{slug}").status_code == 204
    national.harvest()
    [report] = nordic.harvest()
    assert report["deleted"] == 1
    assert provenance(nordic, case, STATUS_OF) == ["verified"]


def test_policies_quarantine_unsigned_and_accept_invalid(tmp_path, federation):
    settings, http, national, _ = federation
    cases = [publish(http, f"Fall {i}") for i in range(3)]
    national.harvest()
    tamper(national, cases[0], altered_title)
    tamper(national, cases[1], stripped_proof)
    base = settings.base_url
    source = Source(
        "se",
        national.settings.base_url,
        aggregator=True,
        relay=(base,),
        unsigned="quarantine",
        invalid="accept",
    )
    strict, server = served_registry(tmp_path, "strict", [source])
    try:
        [report] = strict.harvest()
        assert [p["case"] for p in report["problems"]] == [cases[1]]
        assert report["problems"][0]["reasons"][0]["rule"] == "signature-unsigned"
        assert provenance(strict, cases[0], STATUS_OF) == ["invalid"]  # accepted by that source's choice
        assert provenance(strict, cases[2], STATUS_OF) == ["verified"]
    finally:
        server.stop()
        strict.close()


EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "queries"
POISON = pathlib.Path(__file__).resolve().parents[1] / "reference" / "w3c-tests" / "rdf-canon" / "tests"


def test_a_poison_graph_is_refused_within_its_budget_and_the_harvest_goes_on(tmp_path):
    """A publisher (a fake feed with a real key) sends a signed-looking case holding the W3C
    suite's blank-node clique: it is quarantined with the canonicaliser's finding, the cases
    before and after it verify."""
    node = FeedServer(page_size=5)
    key = Ed25519PrivateKey.generate()
    key_iri = node.base + "#key-1"
    description = ox.serialize(
        [
            ox.Triple(ox.NamedNode(key_iri), RDF_TYPE, SEC_MULTIKEY),
            ox.Triple(
                ox.NamedNode(key_iri), SEC_PUBLIC_KEY_MULTIBASE, ox.Literal(public_multikey(key.public_key()))
            ),
        ],
        format=ox.RdfFormat.TURTLE,
    )
    node.override["/"] = lambda request: Response(description, media_type="text/turtle")
    clique = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(path=POISON / "rdfc10" / "test074-in.nq", format=ox.RdfFormat.N_QUADS)
    ]
    for name in ("before", "poison", "after"):
        doc = case_doc(node.base, name)
        node.publish("Create", doc)
        triples = node.events[-1]["triples"] + (clique if name == "poison" else [])
        case = ox.NamedNode(doc["id"])
        if name == "poison":  # any proofValue: the graph must be canonicalised before it is checked
            proof = sign([], case, key, verification_method=key_iri, created="2026-12-01T00:00:00Z")
        else:
            proof = sign(triples, case, key, verification_method=key_iri, created="2026-12-01T00:00:00Z")
        node.events[-1]["triples"] = triples + proof
    registry, server = served_registry(tmp_path, "r", [Source("fake", node.base, (node.base,))])
    try:
        registry.verifier.canonicalise.warm()
        started = time.monotonic()
        [report] = registry.harvest()
        elapsed = time.monotonic() - started
        poison, before, after = (doc_id(node, n) for n in ("poison", "before", "after"))
        assert [p["case"] for p in report["problems"]] == [poison]
        finding = report["problems"][0]["reasons"][0]
        assert (
            finding["rule"] == "signature-invalid"
            and "blank nodes took longer than 0.5 s" in finding["message"]
        )
        assert (
            provenance(registry, before, STATUS_OF) == provenance(registry, after, STATUS_OF) == ["verified"]
        )
        assert report["status"] == "ok" and report["accepted"] == 2
        assert elapsed < 5  # the poison costs its budget (0.5 s), not the harvest
    finally:
        server.stop()
        node.stop()
        registry.close()


def doc_id(node, slug: str) -> str:
    return f"{node.base}case/{slug}"


def test_search_has_a_signature_facet_in_the_readers_language(federation):
    _, http, national, nordic = federation
    cases = [publish(http, f"Fall {i}") for i in range(3)]
    national.harvest()
    tamper(national, cases[0], stripped_proof)
    nordic.harvest()
    sock = bind()
    server = serve_in_thread(create_app(registry=nordic), sock)
    try:
        with httpx.Client(
            base_url=url_of(sock), timeout=30, headers={"Accept": "application/json"}
        ) as client:
            everything = client.get("/search", params={"lang": "sv"}).json()
            unsigned = client.get("/search", params={"signature": "unsigned"}).json()
    finally:
        server.stop()
    buckets = {b["value"]: (b["label"], b["count"]) for b in everything["facets"]["signature"]}
    assert buckets == {"verified": ("Verifierad", 2), "unsigned": ("Inte signerad", 1)}
    assert [hit["id"] for hit in unsigned["results"]] == [cases[0]]
    # the case page's sentence (for the lead to place): every status in every language
    assert status_sentence("verified", "Växjö kommun", "sv") == "Signerad av Växjö kommun, verifierad"
    for status in STATUSES:
        for lang in SUPPORTED:
            assert "Växjö kommun" in status_sentence(status, "Växjö kommun", lang)


def test_a_rotated_key_is_fetched_at_once_and_a_revoked_one_after_the_cache(federation):
    settings, http, national, _ = federation
    first = publish(http, "Före bytet")
    national.harvest()
    create_key(settings)  # `stafett node key rotate`: the next version is signed with a new key
    second = publish(http, "Efter bytet")
    national.harvest()  # at once, well inside key_cache_seconds
    assert provenance(national, second, STATUS_OF) == ["verified"]
    assert provenance(national, second, SIGNED_WITH) != provenance(national, first, SIGNED_WITH)
    assert national.verifier.documents[settings.base_url][1].keys() == {
        k.iri(settings) for k in list_keys(settings)
    }


def test_source_policies_are_checked_when_the_sources_file_is_read():
    good = parse_sources(
        {"sources": {"a": {"url": "https://a.example/", "namespaces": ["https://a.example/"]}}}
    )
    assert (good[0].unsigned, good[0].invalid) == ("accept", "quarantine")
    with pytest.raises(Problem) as refused:
        parse_sources(
            {
                "sources": {
                    "a": {
                        "url": "https://a.example/",
                        "namespaces": ["https://a.example/"],
                        "invalid": "ignore",
                    }
                }
            }
        )
    assert "source 'a': invalid must be 'quarantine' or 'accept', got 'ignore'" in refused.value.detail
