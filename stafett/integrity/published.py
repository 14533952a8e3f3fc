"""Read the keys a controller publishes (a node's catalogue at `/`) into `PublishedKey`s.

A key is a `sec:Multikey` with `sec:publicKeyMultibase`, `sec:controller` and optionally
`sec:expiration` / `sec:revoked` (W3C Controlled Identifiers 1.0 in RDF). Any RDF serialisation
of the description works: the harvester and `stafett verify` both parse it first.
"""

from __future__ import annotations

import pyoxigraph as ox

from stafett.integrity.proofs import PublishedKey
from stafett.vocabulary.terms import (
    RDF_TYPE,
    SEC_CONTROLLER,
    SEC_EXPIRATION,
    SEC_MULTIKEY,
    SEC_PUBLIC_KEY_MULTIBASE,
    SEC_REVOKED,
)


def published_keys(quads) -> dict[str, PublishedKey]:
    """Every Multikey described in `quads`, by its IRI (keys without a usable value are left out)."""
    about: dict = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            about.setdefault(q.subject.value, {}).setdefault(q.predicate, []).append(q.object)
    keys = {}
    for iri, props in about.items():
        values = props.get(SEC_PUBLIC_KEY_MULTIBASE, [])
        if SEC_MULTIKEY not in props.get(RDF_TYPE, []) or len(values) != 1:
            continue

        def one(predicate, props=props):
            found = props.get(predicate, [])
            return found[0].value if len(found) == 1 else None

        keys[iri] = PublishedKey(
            iri, values[0].value, one(SEC_CONTROLLER), one(SEC_EXPIRATION), one(SEC_REVOKED)
        )
    return keys
