"""A client's language wishes (HTTP Accept-Language, RFC 9110 §12.5.4), read one way everywhere.

Node pages, node error messages and the registry's query page all pick a language from the same
header; they share this so a q=0 exclusion or a generic `no` (Norwegian) means the same to each.
"""

from __future__ import annotations

from collections.abc import Container

from stafett.headers import weighted_values

# The seven first-class languages of Stafett's labels and messages.
SUPPORTED = ("en", "sv", "nb", "nn", "da", "fi", "is")
# Each language's name in itself, for language switches (the same in every interface language).
ENDONYMS = {
    "en": "English",
    "sv": "Svenska",
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "da": "Dansk",
    "fi": "Suomi",
    "is": "Íslenska",
}


def ranked_tags(header: str | None) -> list[str]:
    """Language tags from an Accept-Language header, best first; q=0 and `*` dropped."""
    return [tag for tag, _ in weighted_values(header) if tag != "*"]


def candidates(tag: str) -> list[str]:
    """What a tag may be served as: itself, its primary subtag, and nb then nn for generic `no`."""
    primary = tag.split("-")[0]
    found = [tag, primary]
    if primary == "no":
        found += ["nb", "nn"]
    return found


def pick(
    header: str | None,
    supported: Container[str] = SUPPORTED,
    *,
    requested: str | None = None,
    default: str = "en",
) -> str:
    """The first supported language: an explicit request (e.g. `?lang=`), then the header."""
    wishes = ([requested.lower()] if requested else []) + ranked_tags(header)
    for tag in wishes:
        for candidate in candidates(tag):
            if candidate in supported:
                return candidate
    return default
