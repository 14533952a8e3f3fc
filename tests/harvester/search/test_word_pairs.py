"""The word-pair list (word_pairs.tsv): per language, pairs a query must find and pairs it must not.

One real index holds one generated case per line (its title is the line's document text, in the
line's language); each query is asked as a reader of that language, through the whole search.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from search_support import found, index_of

PAIRS_FILE = Path(__file__).with_name("word_pairs.tsv")
LANGUAGES = ("sv", "nb", "nn", "da", "fi", "is", "en")


def read_pairs() -> list[tuple[str, str, str, str]]:
    pairs = []
    for line in PAIRS_FILE.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, expect, query, text = line.split("\t")
            pairs.append((language, expect, query, text))
    return pairs


PAIRS = read_pairs()


def case_name(number: int) -> str:
    return f"pair-{number}"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    cases = {case_name(n): {"title": {language: text}} for n, (language, _, _, text) in enumerate(PAIRS)}
    built = index_of(tmp_path_factory.mktemp("pairs"), cases)
    yield built
    built.close()


def test_the_list_has_twenty_matches_and_ten_misses_per_language():
    counts = Counter((language, expect) for language, expect, _, _ in PAIRS)
    for language in LANGUAGES:
        assert counts[language, "+"] >= 20, language
        assert counts[language, "-"] >= 10, language


@pytest.mark.parametrize("number", range(len(PAIRS)), ids=[f"{p[0]}{p[1]}{p[2]}~{p[3]}" for p in PAIRS])
def test_pair(index, number):
    language, expect, query, text = PAIRS[number]
    hits = found(index, query, language)
    if expect == "+":
        assert case_name(number) in hits, f"{query!r} ({language}) should find {text!r}"
    else:
        assert case_name(number) not in hits, f"{query!r} ({language}) must not find {text!r}"


def test_exact_words_rank_above_compound_parts(index, tmp_path):
    cases = {"exact": {"title": {"sv": "tillsyn"}}, "compound": {"title": {"sv": "nattillsyn"}}}
    small = index_of(tmp_path, cases)
    try:
        assert found(small, "tillsyn", "sv") == ["exact", "compound"]
        assert found(small, "nattillsyn", "sv")[0] == "compound"
    finally:
        small.close()


def test_a_long_word_inside_an_unknown_compound_is_found_by_the_infix_field_last(tmp_path):
    """Neither "kvarter" nor "lekplats" is in the Swedish lexicon, so only the infix field can
    join "lekplatserna" to "kvarterslekplatserna"; an exact match still ranks first, and a short
    word never uses the infix field ("plats" does not find "lekplatserna")."""
    cases = {
        "compound": {"title": {"sv": "Nya kvarterslekplatserna"}},
        "exact": {"title": {"sv": "Lekplatserna"}},
        "other": {"title": {"sv": "Platsbrist"}},
    }
    small = index_of(tmp_path, cases)
    try:
        assert found(small, "lekplatserna", "sv") == ["exact", "compound"]
        assert "compound" not in found(small, "plats", "sv")
    finally:
        small.close()
