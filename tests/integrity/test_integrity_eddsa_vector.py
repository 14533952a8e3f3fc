"""The W3C eddsa-rdfc-2022 test vector (vc-di-eddsa TestVectors/eddsa-rdfc-2022), byte for byte.

The vector's JSON-LD names two remote contexts, which Stafett never loads; the test starts from
the vector's own expansion of the unsigned credential (canonDocDataInt.txt, shuffled) and its
proof options, and checks every intermediate the vector publishes: the canonical document and
proof configuration, both hashes, the signature in hex and as multibase, and the Multikey pair.
"""

import json
import random

import pyoxigraph as ox
from integrity_support import EDDSA

from stafett.integrity.canon import canonical_nquads
from stafett.integrity.multikey import private_key_from_multikey, public_key_from_multikey, public_multikey
from stafett.integrity.proofs import PublishedKey, hash_data, proof_options, sign, verify

VECTOR = EDDSA / "eddsa-rdfc-2022"
KEYS = json.loads((EDDSA / "keyPair.json").read_text())
CONFIG = json.loads((VECTOR / "proofConfigDataInt.json").read_text())


def text(name: str) -> str:
    return (VECTOR / name).read_text().strip()


def document() -> list[ox.Triple]:
    triples = [
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=VECTOR / "canonDocDataInt.txt")
    ]
    random.Random(7).shuffle(triples)  # input order must not matter
    return triples


def options(node=None):
    return proof_options(node or ox.BlankNode(), CONFIG["created"], CONFIG["verificationMethod"])


def test_canonical_document_and_proof_configuration_match_the_vector():
    assert (
        canonical_nquads(ox.Quad(t.subject, t.predicate, t.object) for t in document())
        == (VECTOR / "canonDocDataInt.txt").read_bytes()
    )
    assert (
        canonical_nquads(ox.Quad(t.subject, t.predicate, t.object) for t in options())
        == (VECTOR / "proofCanonDataInt.txt").read_bytes()
    )


def test_hashes_signature_and_proof_value_match_the_vector():
    combined = hash_data(document(), options())
    assert combined[:32].hex() == text("proofHashDataInt.txt")
    assert combined[32:].hex() == text("docHashDataInt.txt")
    assert combined.hex() == text("combinedHashDataInt.txt")
    key = private_key_from_multikey(KEYS["privateKeyMultibase"])
    assert key.sign(combined).hex() == text("sigHexDataInt.txt")
    subject = ox.NamedNode("urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33")
    added = sign(
        document(),
        subject,
        key,
        verification_method=CONFIG["verificationMethod"],
        created=CONFIG["created"],
        proof_node=ox.BlankNode(),
    )
    values = [t.object.value for t in added if t.predicate.value.endswith("#proofValue")]
    assert values == [text("sigBTC58DataInt.txt")]
    signed = json.loads((VECTOR / "signedDataInt.json").read_text())
    assert values[0] == signed["proof"]["proofValue"]


def test_the_key_pair_is_one_multikey_pair():
    private = private_key_from_multikey(KEYS["privateKeyMultibase"])
    assert public_multikey(private.public_key()) == KEYS["publicKeyMultibase"]
    assert public_multikey(public_key_from_multikey(KEYS["publicKeyMultibase"])) == KEYS["publicKeyMultibase"]
    assert CONFIG["verificationMethod"].endswith("#" + KEYS["publicKeyMultibase"])  # did:key form


def test_the_signed_vector_verifies_and_a_changed_literal_does_not():
    key = private_key_from_multikey(KEYS["privateKeyMultibase"])
    subject = ox.NamedNode("urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33")
    vm = CONFIG["verificationMethod"]
    signed = document() + sign(
        document(), subject, key, verification_method=vm, created=CONFIG["created"], proof_node=ox.BlankNode()
    )
    published = {vm: PublishedKey(vm, KEYS["publicKeyMultibase"])}
    assert verify(signed, published.get).status == "verified"
    changed = [
        ox.Triple(t.subject, t.predicate, ox.Literal("The School of Forgery"))
        if t.object == ox.Literal("The School of Examples")
        else t
        for t in signed
    ]
    assert verify(changed, published.get).status == "invalid"
