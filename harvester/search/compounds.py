"""Compound words split into their parts, and inflected words brought to their dictionary form.

The Nordic languages write compounds as one word ("nattillsyn", "elbil", "hjemmetjeneste",
"ruokahävikki", "hleðslustöð"), so a reader's "tillsyn" or "bil" is not a word of the case and
the stemmers cannot help. At index time every word of a case's text is looked up in the
lexicon of its language and, when it is a compound, its parts go to that language's parts
field (`parts_sv` …), analysed like the text field (so the parts are stemmed too).

A lexicon is a word list (harvester/search/words/<lang>.txt, maintained by hand, the common
parts of municipal procurement words) plus every word of four letters or more in the
vocabulary's SKOS labels (prefLabel and altLabel of the concept schemes and the reference
tables, CPV included) in that language. A word splits only when all of it is covered: non-final
parts are lexicon words, possibly without their final vowel ("skol-mat" from "skola"), with a
linking element ("arbets-", "hleðslu-"), or with a consonant dropped where three would meet
("nat-tillsyn" from "natt"); the final part is a lexicon word, possibly inflected ("-bilar",
"-dispenseren"). The split with the fewest parts wins. tantivy's own SplitCompoundWords filter
is greedy (leftmost-longest, no backtracking), knows no linking elements or dropped letters and
replaces the compound by its parts, so it cannot do this; the splitting is done here in Python
and the parts fed to fields of their own. Results are cached per word: a federation's texts
repeat their words.

`lemma()` serves the same lexicon in the other direction: "skólinn" -> "skóli", "hemtjänsten"
-> "hemtjänst". For Icelandic, which the tantivy bindings cannot stem, this is the only
inflection handling there is, and it reaches only the lexicon's words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph as ox

WORDS = Path(__file__).with_name("words")
VOWELS = "aeiouyåäöæøáéíóúý"

# Lexicon field -> the word lists that feed it and the language tags of labels that count.
LISTS = {
    "sv": ("sv",),
    "nb": ("nb", "nn"),
    "da": ("da",),
    "fi": ("fi",),
    "is": ("is",),
    "en": ("en",),
}
LABEL_LANGUAGES = {"nb": ("nb", "nn", "no")}
# Linking elements between the parts of a compound, and final vowels a first part drops.
LINKS = {
    "sv": ("s", "e", "a", "u", "o"),
    "nb": ("s", "e"),
    "da": ("s", "e"),
    "fi": ("n",),
    "is": ("s", "a", "u", "ar", "ur", "i"),
    "en": (),
}
DROPPED = {"sv": ("a", "e"), "nb": ("e",), "da": ("e",), "fi": (), "is": ("a", "i", "ur"), "en": ()}
# Inflection endings a final part (or a whole word) may carry beyond its dictionary form.
ENDINGS = {
    "sv": (
        "arnas",
        "ernas",
        "ornas",
        "arna",
        "erna",
        "orna",
        "ens",
        "ets",
        "ar",
        "er",
        "or",
        "en",
        "et",
        "na",
        "ns",
        "n",
        "t",
        "s",
        "a",
        "e",
    ),
    "nb": ("ene", "ane", "ens", "ets", "ers", "en", "et", "er", "ar", "ne", "a", "e", "s", "i"),
    "da": ("ernes", "erne", "ene", "ens", "ets", "er", "en", "et", "ne", "e", "s", "n"),
    "fi": (
        "issa",
        "issä",
        "ista",
        "istä",
        "illa",
        "illä",
        "ssa",
        "ssä",
        "sta",
        "stä",
        "lla",
        "llä",
        "lta",
        "ltä",
        "lle",
        "ksi",
        "ien",
        "iden",
        "jen",
        "ja",
        "jä",
        "in",
        "na",
        "nä",
        "n",
        "a",
        "ä",
        "t",
        "i",
    ),
    "is": (
        "anna",
        "unum",
        "inni",
        "inum",
        "inn",
        "ins",
        "ina",
        "num",
        "nar",
        "nni",
        "um",
        "ar",
        "ir",
        "ur",
        "ið",
        "in",
        "na",
        "nn",
        "nu",
        "a",
        "i",
        "u",
        "s",
        "ð",
    ),
    "en": ("ies", "es", "s"),
}
# Endings that change the stem before them: Finnish -us nouns ("kulutus" -> "kulutuksen").
REPLACED = {
    "fi": (
        ("ksen", "s"),
        ("kset", "s"),
        ("ksessa", "s"),
        ("ksessä", "s"),
        ("ksia", "s"),
        ("ksiä", "s"),
        ("ksella", "s"),
        ("ksellä", "s"),
        ("kselle", "s"),
        ("ksesta", "s"),
        ("ksestä", "s"),
    )
}
MIN_LABEL_WORD = 4  # shorter words from labels ("av", "och", "for") would split anything
MIN_LIST_WORD = 2  # the hand-made lists may hold short parts on purpose ("el", "ai")
MIN_SPLIT = 5  # shorter words are not compounds worth splitting
WORD = re.compile(r"\w+")
# Words remembered per cache (lemma, split, parts text, infix tails): a federation's vocabulary
# repeats; the bound keeps the harvester's memory in check (some tens of MB at most).
CACHED_WORDS = 100_000
# Folding for the n-gram field, as tantivy's ascii_fold does it, after æ -> a (see analysis.NORDIC).
FOLD = str.maketrans({"æ": "a", "ø": "o", "ð": "d", "þ": "th", "ß": "ss", "œ": "oe", "ı": "i"})


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())


def ascii_folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, eq=False)  # one per language (cached): identity hashing keeps lookups cheap
class Lexicon:
    language: str
    words: frozenset[str]
    forms: tuple[tuple[str, str], ...] = ()  # "skóla>skóli" in a list: a form and its lemma
    whole: frozenset[str] = frozenset()  # "=tillsyn": a word never split ("till" + "syn")
    never: frozenset[str] = frozenset()  # "!till": never a part, whatever the labels hold
    listed: frozenset[str] = frozenset()  # the hand-made list's words (labels hold inflected forms)

    @property
    def form_lemmas(self) -> dict[str, str]:
        return _forms(self)

    def lemma(self, word: str) -> str | None:
        """The lexicon word this word is a form of (itself when it is one), else None."""
        return _lemma(self, word)

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound in dictionary form (the final part also as written); () if none."""
        return _split(self, word)

    def parts_text(self, text: str) -> str:
        """What the parts field indexes for this text: parts of compounds, lemmas of inflected words."""
        return self.parts_of_words(words_of(text))

    def parts_of_words(self, words: list[str]) -> str:
        """parts_text of a text already split into words (words_of), so it is split only once."""
        return " ".join(filter(None, (_derived_text(self, word) for word in words)))

    def bases(self, word: str) -> list[str]:
        """Dictionary forms a written stem may stand for (undoing a dropped vowel or gradation)."""
        found = [self.form_lemmas.get(word, word)] if word in self.words else []
        found.extend(
            self.form_lemmas.get(word + v, word + v) for v in DROPPED[self.language] if word + v in self.words
        )
        if self.language == "fi":
            found.extend(gradation(word, self.words))
        return found


def gradation(word: str, words: frozenset[str]) -> list[str]:
    """Finnish consonant gradation undone for a stem: "häviki" -> "hävikki", "kunna" -> "kunta"."""
    found = []
    for weak, strong in (("k", "kk"), ("p", "pp"), ("t", "tt"), ("nn", "nt"), ("ll", "lt"), ("d", "t")):
        at = word.rfind(weak, 0, len(word) - 1)
        if at > 0 and word[at + len(weak) :] and word[at + len(weak)] in VOWELS:
            candidate = word[:at] + strong + word[at + len(weak) :]
            if candidate in words:
                found.append(candidate)
    return found


@cache
def _forms(lexicon: Lexicon) -> dict[str, str]:
    return dict(lexicon.forms)


@cache
def _endings(language: str) -> tuple[tuple[str, str], ...]:
    """Shortest ending first: the most cautious reading ("skólinn" is "skóli" + "nn", not "skól" + "inn")."""
    plain = ((ending, "") for ending in ENDINGS[language])
    return tuple(sorted((*plain, *REPLACED.get(language, ())), key=lambda pair: len(pair[0])))


@lru_cache(maxsize=CACHED_WORDS)
def _lemma(lexicon: Lexicon, word: str) -> str | None:
    """A listed word is its own lemma; a word known only from labels may be an inflected form
    there ("buses" in CPV), so its endings are tried first."""
    if word in lexicon.listed:
        return lexicon.form_lemmas.get(word, word)
    for ending, replacement in _endings(lexicon.language):
        if len(word) - len(ending) >= 2 and word.endswith(ending):
            bases = lexicon.bases(word[: -len(ending)] + replacement)
            if bases:
                return bases[0]
    return word if word in lexicon.words else None


def _first_parts(lexicon: Lexicon, piece: str, following: str) -> list[str]:
    """Dictionary forms a non-final piece of a compound may stand for."""
    if piece in lexicon.never:
        return []
    found = lexicon.bases(piece)
    for link in LINKS[lexicon.language]:
        if piece.endswith(link) and len(piece) > len(link) + 1:
            found.extend(lexicon.bases(piece[: -len(link)]))
    if (
        following
        and piece[-1] == following
        and piece[-1] not in VOWELS
        and piece + piece[-1] in lexicon.words
    ):
        found.append(piece + piece[-1])  # "nat|tillsyn": natt + tillsyn, three t's written as two
    return found


@lru_cache(maxsize=CACHED_WORDS)
def _split(lexicon: Lexicon, word: str) -> tuple[str, ...]:
    if (
        len(word) < MIN_SPLIT
        or not word.isalpha()
        or word in lexicon.whole
        or _lemma(lexicon, word) in lexicon.whole
    ):
        return ()
    return _segment(lexicon, word, 0) or ()  # a split has two parts at least (start > 0 below)


def _segment(lexicon: Lexicon, word: str, start: int, depth: int = 0) -> tuple[str, ...] | None:
    """Fewest-parts segmentation of word[start:], the final part lemmatised; None if none."""
    rest = word[start:]
    if start > 0 and rest not in lexicon.never:
        final = lexicon.lemma(rest)
        if final is not None and final not in lexicon.never:
            return (rest, final) if final != rest else (rest,)
    if depth >= 3:  # four parts at most: deeper splits are noise
        return None
    best: tuple[str, ...] | None = None
    for end in range(len(word) - 2, start + 1, -1):  # longest first part first
        options = _first_parts(lexicon, word[start:end], word[end])
        if not options:
            continue
        tail = _segment(lexicon, word, end, depth + 1)
        if tail is not None and (best is None or len(tail) + 1 < len(best)):
            best = (options[0], *tail)
    return best


@lru_cache(maxsize=CACHED_WORDS)
def _derived_text(lexicon: Lexicon, word: str) -> str:
    return " ".join(_derived(lexicon, word))


def _derived(lexicon: Lexicon, word: str) -> tuple[str, ...]:
    parts = lexicon.split(word)
    if parts:
        return parts
    lemma = lexicon.lemma(word)
    return (lemma,) if lemma is not None and lemma != word else ()


@dataclass
class WordList:
    """One words/<lang>.txt: "word", "form>lemma", "=whole word", "!never a part", "# comment"."""

    words: set[str]
    forms: dict[str, str]
    whole: set[str]
    never: set[str]


def word_list(language: str) -> WordList:
    found = WordList(set(), {}, set(), set())
    for line in (WORDS / f"{language}.txt").read_text("utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry.startswith("!"):
            found.never.add(entry[1:])
            continue
        if entry.startswith("="):
            entry = entry[1:]
            found.whole.add(entry)
        form, _, lemma = entry.partition(">")
        if len(form) >= MIN_LIST_WORD:
            found.words.update((form, lemma) if lemma else (form,))
            if lemma:
                found.forms[form] = lemma
    return found


@cache
def label_words() -> dict[str, frozenset[str]]:
    """Words of four letters or more in the vocabulary's SKOS labels, per lexicon language."""
    from stafett import vocabulary  # the vocabulary parses its tables on first use
    from stafett.vocabulary.terms import SKOS, term

    predicates = {term(SKOS, "prefLabel"), term(SKOS, "altLabel")}
    tags = {tag: lexicon for lexicon in LISTS for tag in LABEL_LANGUAGES.get(lexicon, (lexicon,))}
    found: dict[str, set[str]] = {lexicon: set() for lexicon in LISTS}
    for quad in (*vocabulary.concept_quads(), *vocabulary.reference_quads()):
        literal = quad.object
        if quad.predicate in predicates and isinstance(literal, ox.Literal) and literal.language:
            lexicon = tags.get(literal.language.split("-")[0].lower())
            if lexicon:
                found[lexicon].update(
                    w for w in words_of(literal.value) if len(w) >= MIN_LABEL_WORD and w.isalpha()
                )
    return {lexicon: frozenset(words) for lexicon, words in found.items()}


@cache
def lexicon(language: str) -> Lexicon:
    lists = [word_list(source) for source in LISTS[language]]
    never = {w for found in lists for w in found.never}
    words = {w for found in lists for w in found.words} | (label_words()[language] - never)
    forms = tuple(sorted({pair for found in lists for pair in found.forms.items()}))
    whole = frozenset(w for found in lists for w in found.whole)
    listed = frozenset(w for found in lists for w in found.words)
    return Lexicon(language, frozenset(words), forms, whole, frozenset(never), listed)


@lru_cache(maxsize=CACHED_WORDS)
def word_suffixes(word: str, shortest: int) -> str:
    """The word folded, and every tail of it at least `shortest` letters long, as the infix
    field indexes them: a prefix of one of them is a run of letters anywhere in the word."""
    folded = ascii_folded(word)
    return " ".join(folded[i:] for i in range(len(folded) - shortest + 1))
