"""The fixed words of every page for people, in the seven interface languages: one owner.

Each area of the interface keeps its words in `stafett/interface/<area>.json` as
`{"key": {"en": ..., "sv": ..., "nb": ..., "nn": ..., "da": ..., "fi": ..., "is": ...}}`, so helpers
working on different pages never edit one file, and a page asks `words(area, lang)` for its table.
What things *are* (sectors, countries, statuses, topics) is never here: those labels come from the
vocabulary's SKOS schemes. tests/test_texts.py keeps every key in all seven languages and one
translation per English term across areas ("Case" is "Fall" on the node and in the registry alike).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import orjson

from stafett import languages


@cache
def _area(area: str) -> dict[str, dict[str, str]]:
    raw = resources.files("stafett.interface").joinpath(f"{area}.json").read_bytes()
    return {key: value for key, value in orjson.loads(raw).items() if not key.startswith("_")}


def areas() -> list[str]:
    """Every area that has a words file."""
    files = resources.files("stafett.interface").iterdir()
    return sorted(item.name.removesuffix(".json") for item in files if item.name.endswith(".json"))


def words(area: str, lang: str) -> dict[str, str]:
    """Every word of `area` in `lang` (English for a language outside the seven)."""
    lang = lang if lang in languages.SUPPORTED else "en"
    return {key: value[lang] for key, value in _area(area).items()}


def word(area: str, key: str, lang: str) -> str:
    """One word of `area` in `lang`; a KeyError names a key that is missing."""
    return words(area, lang)[key]


def every_area() -> dict[str, dict[str, dict[str, str]]]:
    """All areas, all keys, all languages (for the agreement test)."""
    return {area: _area(area) for area in areas()}
