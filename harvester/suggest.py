"""Suggested topics: what a case without any `topic` seems to be about, said as the registry's guess.

A publisher's `topic` (dct:subject with a concept of the topic scheme) is the case's own word and is
never touched. For a case that has none, the registry looks for the topic scheme's labels
(prefLabel and altLabel, every language) in the case's title, summary, need, solution and lessons,
analysed as the search analyses them (search/concepts.py), and records what it found in its
provenance graph, never in the case's graph:

    <case> stf:suggestedTopic topic:home-care .
    <{base}suggestion/<hash of the case>> a stf:TopicSuggestion ;      # a prov:Activity
        prov:used <case> ;
        prov:wasAssociatedWith <{base}> ;                              # the registry suggested it
        prov:endedAtTime "…"^^xsd:dateTime ;
        stf:matchedLabel "hjemmepleje"@da .                            # the labels that matched

The suggestion is replaced with the case's provenance on every harvest of a new version and goes
with it when the case is deleted or gains a topic of its own.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester import terms as t
from stafett.harvester.search.analysis import field_for
from stafett.harvester.search.concepts import matched_labels, matches
from stafett.ldes import timestamp
from stafett.vocabulary.terms import DCT, FOAF, RDF_TYPE, STF, term

TOPIC_BASE = vocabulary.SCHEMES["topic"] + "/"
DCT_SUBJECT = term(DCT, "subject")
# What a suggestion reads: the texts that say what the case is about (not risks, not contacts).
READ = {
    term(DCT, "title"): 3,  # a label in the title counts three times
    term(DCT, "description"): 1,
    term(STF, "need"): 1,
    term(STF, "lessonsLearned"): 1,
}
SOLUTION = term(STF, "solution")
SOLUTION_TEXT = (term(FOAF, "name"), term(DCT, "description"))
MOST = 5  # topics suggested at most, the best supported first


def suggestion_iri(base_url: str, case: str) -> str:
    return f"{base_url}suggestion/{hashlib.sha256(case.encode()).hexdigest()[:24]}"


def has_own_topic(triples: list[ox.Triple], case: ox.NamedNode) -> bool:
    return any(
        tr.subject == case and tr.predicate == DCT_SUBJECT and tr.object.value.startswith(TOPIC_BASE)
        for tr in triples
    )


def case_texts(triples: list[ox.Triple], case: ox.NamedNode) -> list[tuple[ox.Literal, int]]:
    """The case's literals a suggestion reads, each with its weight."""
    solutions = {tr.object for tr in triples if tr.subject == case and tr.predicate == SOLUTION}
    texts = []
    for tr in triples:
        if not isinstance(tr.object, ox.Literal):
            continue
        if tr.subject == case and tr.predicate in READ:
            texts.append((tr.object, READ[tr.predicate]))
        elif tr.subject in solutions and tr.predicate in SOLUTION_TEXT:
            texts.append((tr.object, 1))
    return texts


def suggested_topics(triples: list[ox.Triple], case: ox.NamedNode) -> list[tuple[str, list[ox.Literal]]]:
    """(topic IRI, the labels that matched) for a case without a topic of its own, best first."""
    if has_own_topic(triples, case):
        return []
    score: Counter = Counter()
    cited: dict = {}
    for literal, weight in case_texts(triples, case):
        field = field_for(literal.language or "")
        for concept, found in matches(field, literal.value).items():
            score[concept] += weight * len(found)
            for label in matched_labels(concept, field, found):
                cited.setdefault(concept, set()).add(label)
    ranked = sorted(score, key=lambda c: (-score[c], c.code))[:MOST]
    return [
        (c.iri, [ox.Literal(text, language=lang) for text, lang in sorted(cited.get(c, ()))]) for c in ranked
    ]


def suggestion_triples(
    base_url: str, case: str, triples: list[ox.Triple], now: str, suggested: list | None = None
) -> list[ox.Triple]:
    """The provenance of the suggested topics (none when the case has a topic or nothing matched).

    `suggested`: `suggested_topics` of these triples, when it was worked out before (in a page
    worker, harvester/workers.py); None: worked out here."""
    subject = ox.NamedNode(case)
    if suggested is None:
        suggested = suggested_topics(triples, subject)
    if not suggested:
        return []
    activity = ox.NamedNode(suggestion_iri(base_url, case))
    out = [
        ox.Triple(activity, RDF_TYPE, t.STF_TOPIC_SUGGESTION),
        ox.Triple(activity, t.PROV_USED, subject),
        ox.Triple(activity, t.PROV_ASSOCIATED, ox.NamedNode(base_url)),
        ox.Triple(activity, t.PROV_ENDED, timestamp(now)),
    ]
    for topic, labels in suggested:
        out.append(ox.Triple(subject, t.STF_SUGGESTED_TOPIC, ox.NamedNode(topic)))
        out += [ox.Triple(activity, t.STF_MATCHED_LABEL, label) for label in labels]
    return out
