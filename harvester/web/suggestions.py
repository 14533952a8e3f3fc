"""Help for a search that finds nothing or is being typed: "did you mean", buyers and topics.

- **Did you mean** (zero results): each word of `q` that no case title, keyword or concept label
  contains is replaced by the closest word that one does (difflib's ratio, at least 0.75), and the
  corrected words are offered only when they find something. The word list comes from the store
  (queries/words.rq) and the vocabulary's labels of the facets' schemes, so it speaks every language
  the registry holds; it is rebuilt when a harvest has changed the store (its commit marker).
- **Suggestions** after `MIN_CHARS` characters: buyers (queries/buyers.rq, most cases first) and
  topics (the labels of the topic and sector schemes, in any language, shown in the reader's)
  whose name has a word starting with what was typed. `GET /suggest?q=..&lang=..` answers them as
  JSON; the page shows them as plain links and offers them to the search box as a `<datalist>`,
  so no script is needed.
"""

from __future__ import annotations

import difflib
import re
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from stafett import texts, vocabulary
from stafett.harvester.search.documents import FACETS
from stafett.harvester.search.query import search
from stafett.harvester.web import reading
from stafett.harvester.web.labels import all_labels, in_language
from stafett.harvester.web.pages import link, reader_language

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

MIN_CHARS = 2
MAX_SUGGESTIONS = 10
DATALIST_SIZE = 200
TTL = 30.0  # seconds a word or buyer list is reused where the store has no commit marker
CUTOFF = 0.75
TOPIC_KEYS = ("topic", "sector")  # the schemes whose concepts are offered as topics
WORD = re.compile(r"\w+")
_cache: dict[tuple, tuple[float, str | None, object]] = {}
_lock = threading.Lock()


def cached(registry: Registry, kind: str, build):
    """`build()`'s value, reused until the store's commit marker changes (a harvest wrote cases) or
    `TTL` seconds pass (a registry without a search index has no marker)."""
    marker = registry.search.store_marker() if registry.search is not None else None
    key, now = (id(registry), kind), time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit and hit[1] == marker and (marker is not None or now - hit[0] < TTL):
            return hit[2]
    value = build()
    with _lock:
        _cache[key] = (now, marker, value)
    return value


def concepts(key: str) -> dict[str, dict[str, str]]:
    """Code -> labels by language, of the scheme under a concept-valued key (empty when unknown)."""
    scheme = vocabulary.SCHEMES.get(key)
    if scheme is None:
        return {}
    prefix = scheme + "/"
    return {iri[len(prefix) :]: names for iri, names in all_labels().items() if iri.startswith(prefix)}


def known_words(registry: Registry) -> set[str]:
    """Every word (three letters or more, lower-cased) of the titles, keywords and topic labels."""

    def build() -> set[str]:
        found: set[str] = set()
        assert registry.store is not None, "callers check for the embedded store"
        texts_ = reading.title_words(registry.store)
        texts_ += [
            label for key in TOPIC_KEYS for names in concepts(key).values() for label in names.values()
        ]
        for text in texts_:
            found.update(word.lower() for word in WORD.findall(text) if len(word) >= 3)
        return found

    return cached(registry, "words", build)


def did_you_mean(registry: Registry, wanted, lang: str) -> str | None:
    """Corrected words that find at least one case, or None."""
    vocabulary_words = known_words(registry)
    corrected = []
    for word in wanted.q.split():
        lowered = word.lower()
        if lowered in vocabulary_words or not WORD.fullmatch(lowered):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(lowered, vocabulary_words, n=1, cutoff=CUTOFF)
        corrected.append(close[0] if close else word)
    text = " ".join(corrected)
    if text.lower() == wanted.q.strip().lower():
        return None
    assert registry.search is not None, "the page asks only with an index"
    answer = search(registry.search, replace(wanted, q=text, page=1))
    return text if answer["total"] else None


def buyers(registry: Registry) -> list[tuple[str, int]]:
    store = registry.store
    return cached(registry, "buyers", lambda: reading.buyer_names(store)) if store is not None else []


def starts_a_word(prefix: str, text: str) -> bool:
    return any(word.startswith(prefix) for word in WORD.findall(text.lower()))


def suggest(registry: Registry, q: str, lang: str) -> list[dict]:
    """Buyers and topics whose name has a word starting with `q` (after `MIN_CHARS` characters)."""
    prefix = q.strip().lower()
    if len(prefix) < MIN_CHARS:
        return []
    words = texts.words("search", lang)
    found = [
        {
            "label": name,
            "kind": "buyer",
            "kindLabel": words["kind_buyer"],
            "url": link("/search", [("q", name), ("lang", lang)]),
        }
        for name, _count in buyers(registry)
        if starts_a_word(prefix, name)
    ][:MAX_SUGGESTIONS]
    for key in TOPIC_KEYS:
        for code, names in concepts(key).items():
            shown = in_language(names, lang)
            if shown is None or not any(starts_a_word(prefix, label) for label in names.values()):
                continue
            params = [(key, code), ("lang", lang)] if key in FACETS else [("q", shown[0]), ("lang", lang)]
            kind_label = words.get(f"facet_{key}", words["facet_other"])
            found.append(
                {"label": shown[0], "kind": key, "kindLabel": kind_label, "url": link("/search", params)}
            )
    return found[: 2 * MAX_SUGGESTIONS]


def datalist(registry: Registry, lang: str) -> list[str]:
    """What the search box offers as the reader types (no script): buyers, then topic labels."""
    names = [name for name, _count in buyers(registry)][:DATALIST_SIZE]
    topics = [in_language(labels, lang) for key in TOPIC_KEYS for labels in concepts(key).values()]
    return list(dict.fromkeys([*names, *(t[0] for t in topics if t)]))[:DATALIST_SIZE]


def suggest_response(request: Request, registry: Registry) -> Response:
    lang = reader_language(request)
    q = request.query_params.get("q", "")[:100]
    return JSONResponse(
        {"q": q, "lang": lang, "suggestions": suggest(registry, q, lang)},
        headers={"Vary": "Accept-Language", "Cache-Control": "public, max-age=30"},
    )
