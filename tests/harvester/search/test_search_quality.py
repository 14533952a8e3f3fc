"""Search quality over the example cases: bench/quality.py's query set through a real index.

The figures are printed (pytest -s); the goal of issue 13 is found@10 >= 0.9. Pairs marked
"topic" meet only through concepts (the topic scheme's labels, the publishers' topics and the
registry's suggested topics, which bench/quality.py writes as a harvest does); the threshold is held
for all pairs together and for every pair whose words meet.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `bench` is a folder of the repository, not an installed package

from bench import quality  # noqa: E402


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    results, misses = quality.run(0, tmp_path_factory.mktemp("quality"))
    for group, values in results.items():
        print(group, values)
    for pair, top in misses:
        print("miss", pair.kind, pair.lang, pair.query, top)
    return results


def test_the_set_has_sixty_pairs_in_five_languages_half_cross_language():
    pairs = quality.example_pairs(quality.example_docs())
    assert len(pairs) >= 60
    assert {"sv", "nb", "da", "fi", "is"} <= {pair.lang for pair in pairs}
    cross = [pair for pair in pairs if pair.kind != "same"]
    assert len(cross) >= 0.45 * len(pairs)
    for pair in pairs:  # every expected case exists; "same" means what it says
        docs = {doc["id"]: doc for doc in quality.example_docs().values()}
        languages = [quality.texts_languages(docs[case]) for case in pair.expected]
        written = {pair.lang, "nb"} if pair.lang == "nn" else {pair.lang}
        assert all(lang & written for lang in languages) == (pair.kind == "same"), pair


def test_found_at_10_is_at_least_090_without_topic_pairs(figures):
    without = figures["examples without topic pairs"]
    assert without["pairs"] >= 40
    assert without["found@10"] >= 0.9, without
    assert figures["examples same"]["found@10"] >= 0.9
    assert figures["examples same"]["mean rank"] <= 1.5


def test_found_at_10_is_at_least_090_over_all_pairs_with_the_topic_concepts(figures):
    every = figures["examples all"]
    assert every["pairs"] >= 60
    assert every["found@10"] >= 0.9, every
    assert figures["examples topic"]["found@10"] >= 0.75, figures["examples topic"]


def test_every_group_is_measured(figures):
    for group in ("examples same", "examples cross", "examples topic", "examples all"):
        assert figures[group]["pairs"] > 0
        assert 0 <= figures[group]["recall@10"] <= figures[group]["found@10"] <= 1
