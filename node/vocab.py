"""The shared JSON-LD context read backwards: now stafett.vocabulary.context_terms (the registry's
JSON-LD export compacts with it too); kept here so the node's modules import it as before."""

from stafett.vocabulary.context_terms import (
    NODE_SET_FIELDS,
    NODE_SET_PREDICATES,
    SET_TERMS,
    Term,
    context_terms,
    expand,
    term_for,
    terms_by_iri,
)

__all__ = [
    "NODE_SET_FIELDS",
    "NODE_SET_PREDICATES",
    "SET_TERMS",
    "Term",
    "context_terms",
    "expand",
    "term_for",
    "terms_by_iri",
]
