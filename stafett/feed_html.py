"""What a person sees of an LDES feed: its pages and each page's members, read from the feed's quads.

Nodes and registries serve the same profile of LDES (docs/protocol.md), so one reading serves both:
`pages_of(root)` lists the pages the root links (with their time spans, oldest first) and
`members_of(page, lang)` the changes on one page, each with the case's title in the reader's
language from the member's own graph. The pages themselves are rendered by node/web and
harvester/web with the shared partial `stafett/templates/_feed.html`; a browser gets them when it
prefers text/html, while feed clients keep getting TriG, N-Quads or JSON-LD.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from stafett.ldes import AS_OBJECT, AS_PUBLISHED, KINDS, TREE_GTE, TREE_LT, TREE_MEMBER, TREE_NODE, TREE_VALUE
from stafett.vocabulary.terms import DCT_TITLE, RDF_TYPE

HTML = "text/html"
KIND_WORDS = {"Create": "feed_created", "Update": "feed_updated", "Delete": "feed_deleted"}


@dataclass(frozen=True)
class PageLink:
    number: int  # 1-based, as a person counts
    url: str
    first: str  # as:published of its first member
    end: str  # exclusive upper bound once closed, else ""


@dataclass(frozen=True)
class Member:
    kind: str  # the words key of the change: feed_created, feed_updated, feed_deleted
    case: str
    link: str
    title: str
    title_lang: str
    published: str  # xsd:dateTime
    shown: str  # the same, as a person reads it


def pages_of(root: Iterable[ox.Quad]) -> list[PageLink]:
    """Every page the root links, oldest first."""
    nodes: dict[ox.Term, str] = {}
    kinds: dict[ox.Term, ox.Term] = {}
    values: dict[ox.Term, str] = {}
    for quad in root:
        if quad.predicate == TREE_NODE:
            nodes[quad.subject] = quad.object.value
        elif quad.predicate == RDF_TYPE and quad.object in (TREE_GTE, TREE_LT):
            kinds[quad.subject] = quad.object
        elif quad.predicate == TREE_VALUE:
            values[quad.subject] = quad.object.value
    spans: dict[str, dict[str, str]] = {}
    for relation, url in nodes.items():
        side = "first" if kinds.get(relation) == TREE_GTE else "end"
        spans.setdefault(url, {})[side] = values.get(relation, "")
    ordered = sorted(spans.items(), key=lambda item: (item[1].get("first", ""), item[0]))
    return [
        PageLink(n, url, span.get("first", ""), span.get("end", ""))
        for n, (url, span) in enumerate(ordered, 1)
    ]


def members_of(page: Iterable[ox.Quad], lang: str, link: Callable[[str], str] = str) -> list[Member]:
    """The page's changes in feed order, with titles in `lang` (else Bokmål for Nynorsk, English, any)."""
    quads = list(page)
    activities = [q.object for q in quads if q.predicate == TREE_MEMBER]
    about: dict[ox.Term, dict] = {a: {} for a in activities}
    titles: dict[tuple[ox.Term, ox.Term], dict[str, str]] = {}
    for quad in quads:
        facts = about.get(quad.subject)
        if facts is not None and quad.graph_name == ox.DefaultGraph():
            if quad.predicate == RDF_TYPE and quad.object in KINDS:
                facts["kind"] = KINDS[quad.object]
            elif quad.predicate in (AS_OBJECT, AS_PUBLISHED):
                facts[quad.predicate.value] = quad.object.value
        elif quad.predicate == DCT_TITLE and isinstance(quad.object, ox.Literal):
            key = (quad.graph_name, quad.subject)
            titles.setdefault(key, {}).setdefault(quad.object.language or "", quad.object.value)
    members = []
    for activity in activities:
        facts = about[activity]
        case = facts.get(AS_OBJECT.value, "")
        title, title_lang = in_language(
            titles.get((activity, ox.NamedNode(case)) if case else None, {}), lang
        )
        published = facts.get(AS_PUBLISHED.value, "")
        kind = KIND_WORDS.get(facts.get("kind", "Update"), "feed_updated")
        members.append(Member(kind, case, link(case), title, title_lang, published, readable_time(published)))
    return sorted(members, key=lambda m: m.published)


def in_language(by_language: dict[str, str], lang: str) -> tuple[str, str]:
    for candidate in (lang, "nb" if lang == "nn" else lang, "en", *by_language):
        if candidate in by_language:
            return by_language[candidate], candidate
    return "", ""


def readable_time(value: str) -> str:
    """2026-12-03T09:10:19.123Z -> 2026-12-03 09:10 UTC (the feed's times are UTC)."""
    if len(value) < 16:
        return value
    zone = " UTC" if value.endswith("Z") else ""
    return f"{value[:10]} {value[11:16]}{zone}"


def neighbours(pages: list[PageLink], url: str) -> tuple[PageLink | None, PageLink | None, PageLink | None]:
    """(previous, this, next) page around `url` in the root's order."""
    for i, page in enumerate(pages):
        if page.url == url:
            return (pages[i - 1] if i else None), page, (pages[i + 1] if i + 1 < len(pages) else None)
    return None, None, None
