"""How text is analysed for the search index: one field per language, a neutral and a folded field.

Each language-tagged literal goes to the field of its language, analysed with that language's
Snowball stemmer as the tantivy bindings ship it (nb, nn and generic no share the Norwegian one;
Icelandic has none there, so `is` is lower-cased and folded, not stemmed). Untagged text and
languages outside the seven go to a neutral field (lower-case only). Every literal also goes to a
Nordic-folded field, so "ökonomi" meets "økonomi" and "Æ" meets "Ä" whatever field they came in.

Two fields catch what stemming cannot, each weighing less than the one before (see `word_query`):
- `parts_<lang>`: the parts of compounds and the dictionary forms of inflected words, from the
  lexicon of the literal's language (harvester/search/compounds.py), analysed like the text field;
  so "tillsyn" finds "nattillsyn", "bil" finds "elbilar" and "skóli" finds "skólinn".
- `text_infix`: every long word (folded) and its tails of seven letters or more; a long query
  word matches (a prefix query on the field) where a text word contains its first three quarters
  anywhere, so "medisindispenseren" finds "medisindispenser", "ruokahävikin" finds
  "ruokahävikki" and "värmepumpar" finds "varmepumper". This is the character n-gram fallback
  in the form tantivy can search fast: its ngram tokenizer gives every gram the same position,
  so a run of grams cannot be asked for, and a bag of grams matches scattered letters.
"""

from __future__ import annotations

import tantivy

from stafett.harvester.search import compounds

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
TITLE_BOOST = 4.0  # above READER_BOOST: a title in any language outranks the reader's body text


def title_field(text_field: str) -> str:
    """text_sv -> title_sv: the title field analysed like the text field."""
    return "title" + text_field.removeprefix("text")


TITLE_FIELDS = tuple(title_field(name) for name in (*LANGUAGE_FIELDS, NEUTRAL))
SEARCHED = (*TEXT_FIELDS, *TITLE_FIELDS)


def parts_field(text_field: str) -> str:
    """text_sv -> parts_sv: compound parts and lemmas, analysed like the text field."""
    return "parts" + text_field.removeprefix("text")


PARTS_FIELDS = tuple(parts_field(name) for name in LANGUAGE_FIELDS)
INFIX = "text_infix"
# Ranking tiers: a word as written or stemmed (1, titles 3) above a compound part or lemma above
# an n-gram run; the fallbacks only decide among cases the exact words do not find.
PARTS_BOOST = 0.4
READER_BOOST = 2.0  # a match in the reader's own language field (see exact_boosts)
INFIX_BOOST = 0.1
INFIX_SHORTEST = 8  # query words this long or longer also try the infix field ...
INFIX_INDEXED = 7  # ... whose run is at least this long, so shorter text words need no tails

# ascii_fold turns å/ä into a and ö/ø into o, but æ into "ae": fold æ first so it meets ä.
NORDIC = str.maketrans({"æ": "a", "Æ": "A", "ǽ": "a"})


def field_for(language: str) -> str:
    """The index field a literal with this language tag feeds (the neutral one when unknown)."""
    primary = language.lower().split("-")[0]
    if primary in ("nb", "nn", "no"):
        primary = "nb"
    field = f"text_{primary}"
    return field if field in LANGUAGE_FIELDS else NEUTRAL


def lexicon_of(text_field: str) -> compounds.Lexicon:
    return compounds.lexicon(text_field.removeprefix("text_"))


def derived_fields(texts: dict[str, list[str]]) -> dict[str, list[str]]:
    """The parts and n-gram fields of a case, from the literals of its language fields."""
    derived: dict[str, list[str]] = {}
    long_words: dict[str, None] = {}  # each long word once: the infix field only matches
    for name, literals in texts.items():
        if name not in LANGUAGE_FIELDS and name != NEUTRAL:
            continue
        split = [compounds.words_of(literal) for literal in literals]  # each literal split once
        if name in LANGUAGE_FIELDS:
            lexicon = lexicon_of(name)
            parts = [text for text in map(lexicon.parts_of_words, split) if text]
            if parts:
                derived[parts_field(name)] = parts
        for words in split:
            long_words.update(dict.fromkeys(w for w in words if len(w) >= INFIX_INDEXED))
    if long_words:
        derived[INFIX] = [" ".join(compounds.word_suffixes(word, INFIX_INDEXED) for word in long_words)]
    return derived


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
    index.register_tokenizer(INFIX, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def exact_boosts(lang: str) -> dict[str, float]:
    """Titles weigh TITLE_BOOST; the reader's language weighs READER_BOOST more, so that among
    cases that match equally the reader's own come first (the others still match). It also
    offsets a bias of BM25 per field: tantivy averages a field's length over every document, also
    those without text in that language, so a language few cases are written in looks long and
    scores low (a Danish reader's Danish case came 11th behind Norwegian ones at boost 1.5)."""
    boosts = dict.fromkeys(TITLE_FIELDS, TITLE_BOOST)
    reader = field_for(lang)
    if reader != NEUTRAL:
        boosts[reader] = READER_BOOST
        boosts[title_field(reader)] = TITLE_BOOST * READER_BOOST
    return boosts


def word_query(index: tantivy.Index, word: str, lang: str = "") -> tantivy.Query:
    """One query word, matched in three tiers: as written or stemmed in every language field (and
    Nordic-folded), as a compound part or lemma (its own lemma and parts in every language's
    lexicon), and, for long words, as a run of letters inside a word. The word is quoted: never
    query syntax."""
    exact, _ = index.parse_query_lenient(
        f'"{word}" "{fold(word)}"', default_field_names=list(SEARCHED), field_boosts=exact_boosts(lang)
    )
    clauses = [(tantivy.Occur.Should, exact)]
    lowered = word.lower()
    lemmas, splits = {lowered}, set()
    for name in LANGUAGE_FIELDS:
        lexicon = lexicon_of(name)
        lemma = lexicon.lemma(lowered)
        if lemma:
            lemmas.add(lemma)
        parts = lexicon.split(lowered)
        if parts:
            splits.add(tuple(sorted(set(parts[:-1]) if len(parts) > 2 else set(parts))))
    terms = " ".join(f'"{term}"' for term in sorted(lemmas))
    lemma_query, _ = index.parse_query_lenient(terms, default_field_names=[*PARTS_FIELDS, *TEXT_FIELDS])
    clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(lemma_query, PARTS_BOOST)))
    for parts in sorted(splits):
        each = " ".join(f'+"{part}"' for part in parts)
        split_query, _ = index.parse_query_lenient(each, default_field_names=[*PARTS_FIELDS, *TEXT_FIELDS])
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(split_query, PARTS_BOOST)))
    folded = compounds.ascii_folded(word)
    if len(folded) >= INFIX_SHORTEST and folded.isalpha() and folded.isascii():
        run = folded[: max(INFIX_INDEXED, len(folded) - len(folded) // 4)]  # letters only: no regex syntax
        infix = tantivy.Query.regex_query(index.schema, INFIX, run + ".*")
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(infix, INFIX_BOOST)))
    return tantivy.Query.boolean_query(clauses)
