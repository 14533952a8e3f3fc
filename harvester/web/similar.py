"""Five cases like this one, in any language: shared concepts from the store, shared words from the index.

- Concepts (queries/similar.rq over every case's graph): a shared topic or CPV code scores 3, a
  shared CPV group (first three digits) or keyword 2, a shared sector or innovation approach 1.
  Concepts are language-neutral, so this part crosses languages.
- Words (the search index): the case's titles and summaries, every word of four letters or more,
  OR-ed over every text field (each analysed in its own language, plus the Nordic-folded field);
  tantivy's BM25 ranks the other cases, and the best text neighbour adds 3 points, the others in
  proportion to their score. A case sharing no concept but the same subject still shows.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stafett.harvester.search.analysis import SEARCHED
from stafett.harvester.web import reading
from stafett.vocabulary.terms import DCT, term

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

COUNT = 5
TEXT_WEIGHT = 3.0
MAX_WORDS = 40
WORD = re.compile(r"\w{4,}")
TITLE, SUMMARY = term(DCT, "title").value, term(DCT, "description").value


def similar(registry: Registry, graph: reading.Graph) -> list[str]:
    """The IRIs of the `COUNT` cases most like the case, best first."""
    assert registry.store is not None
    scores: dict[str, float] = {}
    for other, points in reading.similar(registry.store, graph.case):
        scores[other] = scores.get(other, 0.0) + points
    for other, weight in text_neighbours(registry, graph):
        scores[other] = scores.get(other, 0.0) + weight
    scores.pop(graph.case, None)
    return [case for case, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))][:COUNT]


def text_neighbours(registry: Registry, graph: reading.Graph) -> list[tuple[str, float]]:
    if registry.search is None:
        return []
    texts = [*graph.texts(graph.case, TITLE).values(), *graph.texts(graph.case, SUMMARY).values()]
    words = list(dict.fromkeys(w.lower() for text in texts for w in WORD.findall(text)))[:MAX_WORDS]
    if not words:
        return []
    index = registry.search.index
    query, _errors = index.parse_query_lenient(
        " ".join(f'"{word}"' for word in words), default_field_names=list(SEARCHED)
    )
    searcher = index.searcher()
    hits = searcher.search(query, 2 * COUNT + 1).hits
    best = max((score for score, _ in hits), default=0.0) or 1.0
    found = ((searcher.doc(address)["id"][0], score) for score, address in hits)
    return [(case, TEXT_WEIGHT * score / best) for case, score in found if case != graph.case]
