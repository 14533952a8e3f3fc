"""The interface's fixed words (stafett/texts.py): every key in all seven languages, no empty word,
and one translation per English term across areas, so one concept has one name on every page."""

from collections import defaultdict

from stafett import languages, texts


def test_every_word_is_in_all_seven_languages_and_none_is_empty():
    missing = [
        f"{area}.{key}: {sorted(set(languages.SUPPORTED) - set(value))}"
        for area, table in texts.every_area().items()
        for key, value in table.items()
        if set(value) != set(languages.SUPPORTED) or not all(str(text).strip() for text in value.values())
    ]
    assert not missing, "words missing or empty: " + "; ".join(missing)


def test_one_english_term_has_one_translation_in_every_area():
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for table in texts.every_area().values():
        for value in table.values():
            for lang, text in value.items():
                seen[value["en"]][lang].add(text)
    differing = {term: dict(by) for term, by in seen.items() if any(len(found) > 1 for found in by.values())}
    assert not differing, f"one English term, several translations: {differing}"


def test_words_fall_back_to_english_outside_the_seven():
    assert texts.word("common", "case", "sv") == "Fall"
    assert texts.word("common", "case", "de") == "Case"
