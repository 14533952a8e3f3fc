"""A stored case graph back into the case document form: now stafett.vocabulary.compact (the
registry's JSON-LD export writes cases the same way); kept here so the node imports it as before."""

from stafett.vocabulary.compact import compact_case

__all__ = ["compact_case"]
