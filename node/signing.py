"""Every case version and every tombstone the node publishes carries the node's proof (issue 16).

`publish.commit` signs the stamped graph (after `stamp`, before it is stored), so the JSON-LD
document, the Turtle/N-Triples answers and the feed member all carry the same proof triples; a
Delete's feed member carries a signed tombstone (`<case> a as:Tombstone ; as:deleted t`), so a
relay cannot forge a deletion. The proof is W3C Data Integrity `eddsa-rdfc-2022`
(stafett/integrity/proofs.py) made with the node's current key (node/keys.py).
"""

from __future__ import annotations

from typing import cast

import pyoxigraph as ox

from stafett.integrity.proofs import sign
from stafett.ldes import AS_DELETED, AS_TOMBSTONE
from stafett.node.keys import signing_key
from stafett.node.settings import NodeSettings
from stafett.vocabulary.terms import RDF_TYPE, XSD_DATETIME


def signed(triples: list[ox.Triple], settings: NodeSettings, case_iri: str, created: str) -> list[ox.Triple]:
    """The graph with its proof added (`created` is the version's `modified` time)."""
    key, published = signing_key(settings)
    proof = sign(
        triples,
        ox.NamedNode(case_iri),
        key,
        verification_method=published.iri(settings),
        created=created,
    )
    return [*triples, *proof]


def tombstone_triples(case_iri: str, deleted: str) -> list[ox.Triple]:
    case = ox.NamedNode(case_iri)
    return [
        ox.Triple(case, RDF_TYPE, AS_TOMBSTONE),
        ox.Triple(case, AS_DELETED, ox.Literal(deleted, datatype=XSD_DATETIME)),
    ]


def signed_tombstone(settings: NodeSettings, case_iri: str, deleted: str) -> bytes:
    """The N-Triples of a Delete's feed member: the signed tombstone."""
    triples = signed(tombstone_triples(case_iri, deleted), settings, case_iri, deleted)
    return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
