"""Proofs survive re-serialisation (the point of signing the graph, not the bytes), literals with
control characters included; every kind of change, a wrong key and a retired key are told apart."""

import pyoxigraph as ox
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from stafett.integrity.multikey import public_multikey
from stafett.integrity.proofs import PublishedKey, find_proofs, sign, verify

CASE = ox.NamedNode("https://node.example/cases/ai-triage")
KEY_IRI = "https://node.example/#key-1"
EX = "https://example.org/"
CONTROL = "".join(chr(c) for c in range(32)) + '\x7f\x85\u2028\u2029 "quoted" \\ ∞ 🌃'


def case_graph() -> list[ox.Triple]:
    p = lambda local: ox.NamedNode(EX + local)  # noqa: E731
    return [
        ox.Triple(CASE, p("title"), ox.Literal("Triage med AI", language="sv")),
        ox.Triple(CASE, p("note"), ox.Literal(CONTROL)),
        ox.Triple(CASE, p("buyer"), ox.NamedNode("https://node.example/org/vaxjo")),
        ox.Triple(
            CASE,
            p("amount"),
            ox.Literal("1200000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
    ]


@pytest.fixture(scope="module")
def signer():
    key = Ed25519PrivateKey.generate()
    signed = case_graph() + sign(
        case_graph(), CASE, key, verification_method=KEY_IRI, created="2026-12-01T10:00:00Z"
    )
    return signed, {
        KEY_IRI: PublishedKey(KEY_IRI, public_multikey(key.public_key()), "https://node.example/")
    }


@pytest.mark.parametrize(
    "fmt",
    [
        ox.RdfFormat.N_TRIPLES,
        ox.RdfFormat.TURTLE,
        ox.RdfFormat.TRIG,
        ox.RdfFormat.N_QUADS,
        ox.RdfFormat.JSON_LD,
    ],
)
def test_control_characters_round_trip_and_still_verify(signer, fmt):
    signed, keys = signer
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):  # as a feed member: inside a named graph
        graph = ox.NamedNode("https://node.example/feed/activity/1")
        body = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph) for t in signed], format=fmt)
    else:
        body = ox.serialize(signed, format=fmt)
    back = list(ox.parse(body, fmt))
    assert CONTROL in {q.object.value for q in back}
    result = verify(back, keys.get)
    assert (result.status, result.key, result.controller) == ("verified", KEY_IRI, "https://node.example/")
    assert result.created == "2026-12-01T10:00:00Z"


def change(triples, old, new):
    return [new if t == old else t for t in triples]


def test_every_change_to_the_signed_graph_is_detected(signer):
    signed, keys = signer
    title, buyer = signed[0], signed[2]
    edits = {
        "altered literal": change(
            signed, title, ox.Triple(CASE, title.predicate, ox.Literal("Triage med AJ", language="sv"))
        ),
        "changed language": change(
            signed, title, ox.Triple(CASE, title.predicate, ox.Literal("Triage med AI", language="nb"))
        ),
        "dropped triple": [t for t in signed if t != signed[3]],
        "swapped buyer": change(
            signed, buyer, ox.Triple(CASE, buyer.predicate, ox.NamedNode("https://evil.example/org"))
        ),
        "added triple": [*signed, ox.Triple(CASE, ox.NamedNode(EX + "lesson"), ox.Literal("forged"))],
        "changed created": [
            ox.Triple(t.subject, t.predicate, ox.Literal("2026-12-02T10:00:00Z", datatype=t.object.datatype))
            if t.predicate.value.endswith("/created")
            else t
            for t in signed
        ],
    }
    for name, edited in edits.items():
        assert verify(edited, keys.get).status == "invalid", name


def test_unsigned_unknown_and_retired_keys(signer):
    signed, keys = signer
    document, proofs = find_proofs(signed)
    assert len(proofs) == 1 and len(document) == len(case_graph())
    assert verify(document, keys.get).status == "unsigned"
    assert verify(signed, {}.get).status == "unknown-key"
    published = keys[KEY_IRI]
    revoked = {KEY_IRI: PublishedKey(KEY_IRI, published.public_key_multibase, revoked="2026-11-30T00:00:00Z")}
    assert verify(signed, revoked.get).status == "revoked-key"
    retired = {KEY_IRI: PublishedKey(KEY_IRI, published.public_key_multibase, expires="2026-12-31T00:00:00Z")}
    assert verify(signed, retired.get).status == "verified"  # made before the rotation: still good
    other = Ed25519PrivateKey.generate().public_key()
    wrong = {KEY_IRI: PublishedKey(KEY_IRI, public_multikey(other))}
    assert verify(signed, wrong.get).status == "invalid"
