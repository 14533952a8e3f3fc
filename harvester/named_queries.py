"""The harvester's named SPARQL queries: whole `.rq` files in a folder, run with bound terms.

Each part that reads the store (harvester/web/queries, harvester/matching/queries,
harvester/search/queries) keeps its queries as files beside its code, never assembled from strings;
this is the one place that reads such a folder and runs a SELECT with IRIs bound to variables.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox

Bound = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class NamedQueries:
    def __init__(self, folder: Path):
        self.folder = folder
        self.text = cache(self._read)  # each file is read once per process

    def _read(self, name: str) -> str:
        return (self.folder / f"{name}.rq").read_text("utf-8")

    def select(self, store: ox.Store, name: str, **bound: str) -> list[ox.QuerySolution]:
        """The rows of the named SELECT query with the given variables bound to IRIs (never text)."""
        substitutions: dict[ox.Variable, Bound] = {
            ox.Variable(key): ox.NamedNode(value) for key, value in bound.items()
        }
        solutions = store.query(self.text(name), substitutions=substitutions)
        assert isinstance(solutions, ox.QuerySolutions), name
        return list(solutions)
