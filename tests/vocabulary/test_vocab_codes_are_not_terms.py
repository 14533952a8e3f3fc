"""No code of a Stafett scheme is spelled like a JSON key of the context (1.1 guard).

JSON-LD resolves a `@vocab`-typed value that equals a term to the term's IRI before it applies the
scheme's `@vocab`: a role code `supplier` would silently become stf:supplier, not the concept."""

from __future__ import annotations

from vocab_support import term_definitions

from stafett.vocabulary import concept_quads


def test_no_project_code_is_a_context_term():
    codes = {q.object.value for q in concept_quads() if q.predicate.value.endswith("#notation")}
    assert len(codes) > 60
    assert codes & set(term_definitions()) == set()
