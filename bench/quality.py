"""Search quality: found@10, recall@10 and mean rank for a fixed query set, over a real index.

    python -m bench.quality                 # the example cases and 500 synthetic ones
    python -m bench.quality --cases 2000    # more synthetic cases

Two sets, each indexed in a real SearchIndex over a real store (the cases written into it as the
harvester commits them, one named graph per case):
- examples/cases with the hand-made pairs of bench/search/quality-examples.tsv;
- the synthetic federation (bench.generate): for six subjects, a query in six languages in another
  form than the generator writes it; the expected cases are those the generator made about that
  subject (its phrase is in every title it fills), "same" when the case has text in the query's
  language, "cross" when it has none (asked with the other countries ticked, as a reader looking
  abroad would: unfiltered, the hundreds of own-language cases fill the first ten).

Measures per group of pairs: found@10, the share of queries with an expected case in the first 10;
recall@10, the mean share of expected cases in the first 10 (of at most 10: a synthetic subject
has hundreds); mean rank, the mean rank of the first expected hit among the queries that found
one (any depth). "topic" pairs are cross-language pairs whose words occur in no form in the
expected cases: only concept expansion can find them, so they are reported apart.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import orjson
import pyoxigraph as ox

from bench import generate
from bench import wordlists as W
from stafett.harvester.search.index import SearchIndex
from stafett.harvester.search.query import Request, search
from stafett.harvester.suggest import suggestion_triples
from stafett.vocabulary.jsonld import json_ld_to_quads

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cases"
PAIRS = Path(__file__).with_name("search") / "quality-examples.tsv"
BASE = "https://registry.bench/"
DEPTH = 10
# subject (index in wordlists.SUBJECTS) -> query per language, in another form than the phrase
SYNTHETIC_QUERIES = {
    0: {
        "sv": "elbuss",
        "nb": "elektrisk buss",
        "da": "elbus",
        "fi": "sähköbussi",
        "is": "rafmagnsstrætisvagn",
        "en": "electric bus",
    },
    3: {
        "sv": "skolmåltid",
        "nb": "skolemåltid",
        "da": "skolemåltid",
        "fi": "kouluateria",
        "is": "skólamáltíð",
        "en": "school meal",
    },
    5: {
        "sv": "byggarbetsplats",
        "nb": "byggeplass",
        "da": "byggeplads",
        "fi": "työmaa",
        "is": "byggingarsvæði",
        "en": "construction site",
    },
    9: {
        "sv": "läcksökning",
        "nb": "lekkasjesøk",
        "da": "lækagesøgning",
        "fi": "vuotojen paikannus",
        "is": "lekaleit",
        "en": "leak detection",
    },
    13: {
        "sv": "luftkvalitet",
        "nb": "luftkvalitetssensor",
        "da": "luftkvalitetssensor",
        "fi": "ilmanlaatuanturi",
        "is": "loftgæðaskynjari",
        "en": "air quality sensor",
    },
    14: {
        "sv": "läkemedelsrobot",
        "nb": "medisinrobot",
        "da": "medicinrobot",
        "fi": "lääkerobotti",
        "is": "lyfjaskammtari",
        "en": "medicine robot",
    },
}


@dataclass(frozen=True)
class Pair:
    corpus: str  # "examples" or "synthetic"
    lang: str
    kind: str  # same, cross, topic
    query: str
    expected: frozenset[str]
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # facet filters of the search, if any


SUGGESTED_AT = "2026-01-01T00:00:00Z"


def case_graph(doc: dict) -> list[ox.Quad]:
    graph = ox.NamedNode(doc["id"])
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in json_ld_to_quads(doc)]


def texts_languages(doc: dict) -> set[str]:
    return {
        lang for key in ("title", "summary", "need") if isinstance(doc.get(key), dict) for lang in doc[key]
    }


def example_docs() -> dict[str, dict]:
    return {path.stem: orjson.loads(path.read_bytes()) for path in sorted(EXAMPLES.glob("*.jsonld"))}


def example_pairs(docs: dict[str, dict]) -> list[Pair]:
    pairs = []
    for line in PAIRS.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, kind, query, expected = line.split("\t")
            pairs.append(
                Pair(
                    "examples", lang, kind, query, frozenset(docs[name]["id"] for name in expected.split(","))
                )
            )
    return pairs


def synthetic_pairs(fed: generate.Federation) -> list[Pair]:
    """Ground truth from the generator: a case is about a subject when its English title (or, for
    English-less cases, its own) holds the subject's phrase."""
    about: dict[int, list[dict]] = {subject: [] for subject in SYNTHETIC_QUERIES}
    for case in fed.cases:
        doc = case.doc
        for subject in SYNTHETIC_QUERIES:
            phrases = W.SUBJECTS[subject][2]
            if any(phrases[lang].lower() in title.lower() for lang, title in doc["title"].items()):
                about[subject].append(doc)
    pairs = []
    for subject, queries in SYNTHETIC_QUERIES.items():
        for lang, query in queries.items():
            written = {lang, "nb"} if lang == "nn" else {lang}
            same = frozenset(d["id"] for d in about[subject] if texts_languages(d) & written)
            if same:
                pairs.append(Pair("synthetic", lang, "same", query, same))
            # Cross-language as a reader asks it: the other countries ticked (else the reader's
            # own-language cases, hundreds at scale, fill the first ten whatever the matching).
            home = W.LANGUAGES[lang]["country"]
            abroad = tuple(sorted({W.LANGUAGES[other]["country"] for other in W.LANGUAGES} - {home}))
            cross = frozenset(
                d["id"] for d in about[subject] if not texts_languages(d) & written and d["country"] in abroad
            )
            if cross and lang != "en":
                pairs.append(Pair("synthetic", lang, "cross", query, cross, (("country", abroad),)))
    return pairs


def build(folder: Path, docs: list[dict]) -> SearchIndex:
    """The cases as a registry holds them: each in its graph, and the topics the harvester suggests
    for those without any in the provenance graph (harvester/suggest.py, as a harvest writes them)."""
    store = ox.Store()
    provenance = ox.NamedNode(BASE + "provenance")
    for doc in docs:
        quads = case_graph(doc)
        store.bulk_extend(quads)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        suggested = suggestion_triples(BASE, doc["id"], triples, SUGGESTED_AT)
        store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, provenance) for t in suggested])
    index = SearchIndex(folder, store, provenance.value, BASE)
    index.rebuild()
    return index


def ranked(index: SearchIndex, pair: Pair) -> list[str]:
    """Result ids, best first, until the first expected case (or the end)."""
    ids: list[str] = []
    page, expected = 1, pair.expected
    while True:
        answer = search(index, Request(q=pair.query, lang=pair.lang, filters=dict(pair.filters), page=page))
        ids.extend(result["id"] for result in answer["results"])
        if (
            len(ids) >= answer["total"]
            or not answer["results"]
            or (len(ids) >= DEPTH and expected & set(ids))
        ):
            return ids
        page += 1


@dataclass
class Score:
    pairs: int = 0
    found: int = 0
    recall: float = 0.0
    ranks: tuple[int, ...] = ()

    def add(self, ids: list[str], expected: frozenset[str]) -> None:
        top = set(ids[:DEPTH])
        self.pairs += 1
        self.found += bool(top & expected)
        self.recall += len(top & expected) / min(DEPTH, len(expected))
        first = next((rank for rank, case in enumerate(ids, 1) if case in expected), None)
        if first is not None:
            self.ranks = (*self.ranks, first)

    def figures(self) -> dict:
        return {
            "pairs": self.pairs,
            "found@10": self.found / self.pairs if self.pairs else None,
            "recall@10": self.recall / self.pairs if self.pairs else None,
            "mean rank": sum(self.ranks) / len(self.ranks) if self.ranks else None,
        }


def evaluate(index: SearchIndex, pairs: list[Pair]) -> tuple[dict[str, dict], list[tuple[Pair, list[str]]]]:
    """Figures per group ("examples same", "examples cross", ... and totals), and each pair's ids."""
    scores: dict[str, Score] = {}
    answers = []
    for pair in pairs:
        ids = ranked(index, pair)
        answers.append((pair, ids))
        kind = "cross" if pair.kind == "topic" else pair.kind
        groups = [f"{pair.corpus} {pair.kind}", f"{pair.corpus} all"]
        if pair.corpus == "examples":  # the synthetic set has no topic pairs
            if kind == "cross":
                groups.append(f"{pair.corpus} cross incl. topic")
            if pair.kind != "topic":
                groups.append(f"{pair.corpus} without topic pairs")
        for group in groups:
            scores.setdefault(group, Score()).add(ids, pair.expected)
    return {group: score.figures() for group, score in sorted(scores.items())}, answers


def run(cases: int, folder: Path) -> tuple[dict[str, dict], list]:
    docs = example_docs()
    results: dict[str, dict] = {}
    misses = []
    examples = build(folder / "examples", list(docs.values()))
    try:
        figures, answers = evaluate(examples, example_pairs(docs))
    finally:
        examples.close()
    results.update(figures)
    misses += [(pair, ids[:3]) for pair, ids in answers if not set(ids[:DEPTH]) & pair.expected]
    if cases:
        fed = generate.generate(cases)
        synthetic = build(folder / "synthetic", [case.doc for case in fed.cases])
        try:
            figures, answers = evaluate(synthetic, synthetic_pairs(fed))
        finally:
            synthetic.close()
        results.update(figures)
        misses += [(pair, ids[:3]) for pair, ids in answers if not set(ids[:DEPTH]) & pair.expected]
    return results, misses


def fmt(value) -> str:
    return "–" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500, help="synthetic cases (0: the examples only)")
    parser.add_argument("--misses", action="store_true", help="list the queries that found nothing expected")
    opts = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="stafett-quality-"))
    try:
        results, misses = run(opts.cases, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"| group ({opts.cases} synthetic cases) | pairs | found@10 | recall@10 | mean rank |")
    print("|---|---|---|---|---|")
    for group, figures in results.items():
        print(
            f"| {group} | "
            + " | ".join(fmt(figures[k]) for k in ("pairs", "found@10", "recall@10", "mean rank"))
            + " |"
        )
    if opts.misses:
        for pair, top in misses:
            print(f"miss: {pair.corpus} {pair.kind} {pair.lang} {pair.query!r} -> {len(top)} first: {top}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
