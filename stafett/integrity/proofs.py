"""Create and verify W3C Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite.

Follows W3C "Data Integrity EdDSA Cryptosuites v1.0", section 3.3 (eddsa-rdfc-2022):
  canonicalProofConfig = RDFC-1.0(proof options without proofValue)
  canonicalDocument    = RDFC-1.0(document without its proof)
  hashData = SHA-256(canonicalProofConfig) || SHA-256(canonicalDocument)
  proofValue = multibase-base58btc(Ed25519-sign(secret key, hashData))

In RDF the proof is a resource P linked from the signed subject S:
  S sec:proof P . P a sec:DataIntegrityProof ; sec:cryptosuite "eddsa-rdfc-2022"^^sec:cryptosuiteString ;
  dct:created "…"^^xsd:dateTime ; sec:verificationMethod <key> ; sec:proofPurpose sec:assertionMethod ;
  sec:proofValue "z…"^^sec:multibase .
Stafett keeps P's triples in the same graph as the case (P is an IRI, `<case>#proof`), because the
feed carries each case in one named graph and a graph cannot nest. Whatever graph the triples
arrive in, both the document and the proof options are canonicalised in the default graph, so a
case signed at the node verifies from its JSON-LD, its Turtle, a feed member or a registry's copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from stafett.integrity.canon import canonical_nquads
from stafett.integrity.multikey import (
    MultibaseError,
    decode_multibase,
    encode_multibase,
    public_key_from_multikey,
)
from stafett.vocabulary.terms import (
    DCT_CREATED,
    RDF_TYPE,
    SEC_ASSERTION_METHOD,
    SEC_CRYPTOSUITE,
    SEC_CRYPTOSUITE_STRING,
    SEC_DATA_INTEGRITY_PROOF,
    SEC_MULTIBASE,
    SEC_PROOF,
    SEC_PROOF_PURPOSE,
    SEC_PROOF_VALUE,
    SEC_VERIFICATION_METHOD,
    XSD_DATETIME,
)

CRYPTOSUITE = "eddsa-rdfc-2022"
STATUSES = ("verified", "unsigned", "invalid", "unknown-key", "revoked-key")
Canonicalise = Callable[[list[ox.Quad]], bytes]


@dataclass(frozen=True)
class PublishedKey:
    """A verification method as its controller publishes it (validity from the key's description)."""

    id: str  # the verificationMethod IRI
    public_key_multibase: str
    controller: str | None = None
    expires: str | None = None  # sec:expiration: proofs created after it are refused (rotation)
    revoked: str | None = None  # sec:revoked: proofs created after it are refused (compromise)


@dataclass(frozen=True)
class Verification:
    status: str  # one of STATUSES
    reason: str  # one English sentence for logs and reports; pages use the status
    key: str | None = None  # the verificationMethod the proof names
    created: str | None = None
    controller: str | None = None

    @property
    def verified(self) -> bool:
        return self.status == "verified"


@dataclass(frozen=True)
class Proof:
    node: ox.NamedNode | ox.BlankNode
    subject: ox.NamedNode | ox.BlankNode
    triples: list[ox.Triple]  # the proof's own triples, proofValue included


def as_default_graph(statements: Iterable) -> list:
    """Triples as they are (serialised, a triple is in the default graph); quads moved there."""
    return [ox.Triple(q.subject, q.predicate, q.object) if isinstance(q, ox.Quad) else q for q in statements]


def hash_data(document: Iterable, config: Iterable, canonicalise: Canonicalise = canonical_nquads) -> bytes:
    """SHA-256(canonical proof options) || SHA-256(canonical document): what Ed25519 signs."""
    config_hash = hashlib.sha256(canonicalise(as_default_graph(config))).digest()
    document_hash = hashlib.sha256(canonicalise(as_default_graph(document))).digest()  # (cheap on triples)
    return config_hash + document_hash


def proof_options(node, created: str, verification_method: str) -> list[ox.Triple]:
    return [
        ox.Triple(node, RDF_TYPE, SEC_DATA_INTEGRITY_PROOF),
        ox.Triple(node, SEC_CRYPTOSUITE, ox.Literal(CRYPTOSUITE, datatype=SEC_CRYPTOSUITE_STRING)),
        ox.Triple(node, DCT_CREATED, ox.Literal(created, datatype=XSD_DATETIME)),
        ox.Triple(node, SEC_VERIFICATION_METHOD, ox.NamedNode(verification_method)),
        ox.Triple(node, SEC_PROOF_PURPOSE, SEC_ASSERTION_METHOD),
    ]


def sign(
    triples: Iterable,
    subject: ox.NamedNode,
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    proof_node: ox.NamedNode | ox.BlankNode | None = None,
) -> list[ox.Triple]:
    """The triples to add to `triples` (the unsigned document) so that it carries its proof."""
    node = proof_node or ox.NamedNode(subject.value.split("#", 1)[0] + "#proof")
    options = proof_options(node, created, verification_method)
    signature = key.sign(hash_data(triples, options))
    value = ox.Literal(encode_multibase(signature), datatype=SEC_MULTIBASE)
    return [ox.Triple(subject, SEC_PROOF, node), *options, ox.Triple(node, SEC_PROOF_VALUE, value)]


def find_proofs(triples: Iterable) -> tuple[list[ox.Triple], list[Proof]]:
    """Split a graph into the unsigned document and its proofs (each with its own triples)."""
    triples = as_default_graph(triples)
    links = [t for t in triples if t.predicate == SEC_PROOF and not isinstance(t.object, ox.Literal)]
    nodes = {t.object for t in links}
    proofs = [
        Proof(link.object, link.subject, [t for t in triples if t.subject == link.object]) for link in links
    ]
    document = [
        t for t in triples if t.subject not in nodes and not (t.predicate == SEC_PROOF and t.object in nodes)
    ]
    return document, proofs


def strip_proofs(triples: Iterable) -> list[ox.Triple]:
    return find_proofs(triples)[0]


def verify(
    triples: Iterable,
    resolve: Callable[[str], PublishedKey | None],
    *,
    canonicalise: Canonicalise = canonical_nquads,
) -> Verification:
    """Verify a graph's one proof. `resolve` maps a verificationMethod IRI to its published key
    (None: unknown). A canonicalisation refusal (Problem) propagates: the caller records why."""
    document, proofs = find_proofs(triples)
    if not proofs:
        return Verification("unsigned", "the graph carries no proof")
    if len(proofs) > 1:
        return Verification("invalid", f"the graph carries {len(proofs)} proofs; one is expected")
    proof = proofs[0]
    fields, problem = read_fields(proof)
    key_iri, created = fields.get("verificationMethod"), fields.get("created")
    if problem or key_iri is None:
        return Verification("invalid", problem or "the proof names no key", key_iri, created)
    key = resolve(key_iri)
    if key is None:
        return Verification(
            "unknown-key", f"the key {key_iri} is not published by its controller", key_iri, created
        )
    for limit, what in ((key.revoked, "revoked"), (key.expires, "retired")):
        if limit and later(created, limit):
            return Verification(
                "revoked-key",
                f"the proof was made on {created}, after its key was {what} on {limit}",
                key_iri,
                created,
                key.controller,
            )
    try:
        public = public_key_from_multikey(key.public_key_multibase)
        signature = decode_multibase(fields["proofValue"])
        options = [t for t in proof.triples if t.predicate != SEC_PROOF_VALUE]
        public.verify(signature, hash_data(document, options, canonicalise))
    except (InvalidSignature, MultibaseError, ValueError) as err:
        reason = "the signature does not match the graph (it was changed after signing)"
        if not isinstance(err, InvalidSignature):
            reason = f"the proof or key is malformed: {err}"
        return Verification("invalid", reason, key_iri, created, key.controller)
    return Verification("verified", f"signed with {key_iri}", key_iri, created, key.controller)


def read_fields(proof: Proof) -> tuple[dict[str, str], str | None]:
    """The proof's fields by name, and what is wrong with them (None when nothing is)."""
    values: dict = {}
    for t in proof.triples:
        values.setdefault(t.predicate, []).append(t.object)
    single = {p: v[0] for p, v in values.items() if len(v) == 1}
    fields = {
        name: single[p].value
        for name, p in (
            ("verificationMethod", SEC_VERIFICATION_METHOD),
            ("created", DCT_CREATED),
            ("proofValue", SEC_PROOF_VALUE),
            ("cryptosuite", SEC_CRYPTOSUITE),
        )
        if p in single
    }
    if SEC_DATA_INTEGRITY_PROOF not in values.get(RDF_TYPE, []):
        return fields, "the proof is not a DataIntegrityProof"
    if fields.get("cryptosuite") != CRYPTOSUITE:
        return fields, f"the proof's cryptosuite is not {CRYPTOSUITE}"
    if single.get(SEC_PROOF_PURPOSE) != SEC_ASSERTION_METHOD:
        return fields, "the proof's purpose is not assertionMethod"
    if not isinstance(single.get(SEC_VERIFICATION_METHOD), ox.NamedNode):
        return fields, "the proof names no single verificationMethod"
    if "proofValue" not in fields or "created" not in fields or parse_time(fields["created"]) is None:
        return fields, "the proof lacks a proofValue or a valid created time"
    return fields, None


def parse_time(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def later(created: str | None, limit: str) -> bool:
    moment, bound = parse_time(created), parse_time(limit)
    return moment is None or bound is None or moment > bound
