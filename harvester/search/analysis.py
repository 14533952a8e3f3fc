"""How text is analysed for the search index: one field per language, a neutral and a folded field.

Each language-tagged literal goes to the field of its language, analysed with that language's
Snowball stemmer as the tantivy bindings ship it (nb, nn and generic no share the Norwegian one;
Icelandic has none there, so `is` is lower-cased and folded, not stemmed). Untagged text and
languages outside the seven go to a neutral field (lower-case only). Every literal also goes to a
Nordic-folded field, so "ökonomi" meets "økonomi" and "Æ" meets "Ä" whatever field they came in.
"""

from __future__ import annotations

import tantivy

# Index field -> the stemmer of its language (None: folded, not stemmed).
LANGUAGE_FIELDS = {
    "text_en": "english",
    "text_sv": "swedish",
    "text_nb": "norwegian",
    "text_da": "danish",
    "text_fi": "finnish",
    "text_is": None,
}
NEUTRAL = "text_neutral"
FOLDED = "text_folded"
TEXT_FIELDS = (*LANGUAGE_FIELDS, NEUTRAL, FOLDED)
# Titles once more, in fields of their own, so that ranking can weigh a word in the title above
# the same word in the rest (BM25 with field boosts); analysed like their language's text field.
TITLE_BOOST = 3.0


def title_field(text_field: str) -> str:
    """text_sv -> title_sv: the title field analysed like the text field."""
    return "title" + text_field.removeprefix("text")


TITLE_FIELDS = tuple(title_field(name) for name in (*LANGUAGE_FIELDS, NEUTRAL))
SEARCHED = (*TEXT_FIELDS, *TITLE_FIELDS)

# ascii_fold turns å/ä into a and ö/ø into o, but æ into "ae": fold æ first so it meets ä.
NORDIC = str.maketrans({"æ": "a", "Æ": "A", "ǽ": "a"})


def field_for(language: str) -> str:
    """The index field a literal with this language tag feeds (the neutral one when unknown)."""
    primary = language.lower().split("-")[0]
    if primary in ("nb", "nn", "no"):
        primary = "nb"
    field = f"text_{primary}"
    return field if field in LANGUAGE_FIELDS else NEUTRAL


def fold(text: str) -> str:
    """Text as the folded field indexes it (tantivy's ascii folding does the rest)."""
    return text.translate(NORDIC)


def analyzer(stemmer: str | None, *, folded: bool = False) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(60))
        .filter(tantivy.Filter.lowercase())
    )
    if folded:
        builder = builder.filter(tantivy.Filter.ascii_fold())
    if stemmer:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    return builder.build()


def register(index: tantivy.Index) -> None:
    """Every analyser the schema names; needed on each open, before writing or searching."""
    for field, stemmer in LANGUAGE_FIELDS.items():
        index.register_tokenizer(field, analyzer(stemmer, folded=stemmer is None))
    index.register_tokenizer(NEUTRAL, analyzer(None))
    index.register_tokenizer(FOLDED, analyzer(None, folded=True))
