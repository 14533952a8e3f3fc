"""A search's results in the machine formats: Atom (a saved search), CSV, JSON-LD (docs/search.md).

`GET /search?...&format=atom|csv|jsonld` (or the matching Accept) answers the same words and facets
as the JSON: Atom with the `FEED_ENTRIES` most recently changed matching cases (a feed reader
subscribed to a search URL sees a case harvested in the next cycle), CSV and JSON-LD with up to
`EXPORT_LIMIT` cases in the search's own order. The limits are stated in the `Result-Limit` and
`Result-Total` headers. What a row or entry shows is read back from the store with named queries
(harvester/search/queries/), never from the index alone: the store is the source of truth.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import orjson
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from stafett import texts, vocabulary
from stafett.harvester.links import case_page_url
from stafett.harvester.search.documents import FACETS, CaseDocument, read_case, select
from stafett.harvester.search.index import SearchIndex
from stafett.harvester.search.query import Request as SearchRequest
from stafett.harvester.search.query import combined, filter_query, label, text_query
from stafett.vocabulary.compact import compact_case
from stafett.vocabulary.jsonld import context_document

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

EXPORT_LIMIT = 1000  # cases in one CSV or JSON-LD answer; more is a job for SPARQL or the feed
FEED_ENTRIES = 50  # entries of a search's Atom feed: the newest, as feed readers expect
ATOM = "application/atom+xml"
CSV = "text/csv"
JSON_LD = "application/ld+json"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEPARATOR = " | "  # between the values of one CSV cell (a case has several sectors, buyers, ...)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula
# The CSV's columns, in order (docs/search.md): codes as the vocabulary's JSON keys, then labels.
LABELLED_COLUMNS = ("country", "sector", "innovationApproach", "status", "fundingType", "language")
COLUMNS = (
    "id",
    "page",
    "title",
    "titleLanguage",
    "summary",
    *(name for facet in LABELLED_COLUMNS for name in (facet, facet + "Label")),
    "startYear",
    "jointProcurement",
    "openForAdoption",
    "openForPartners",
    "buyers",
    "publisher",
    "source",
    "modified",
)
ET.register_namespace("", ATOM_NS)


@dataclass
class Row:
    """One matching case as the exports show it."""

    case: str
    document: CaseDocument
    summaries: dict[str, str] = field(default_factory=dict)
    buyers: list[ox.Literal] = field(default_factory=list)
    modified: str = ""


def in_language(by_language: Mapping[str, str], lang: str) -> tuple[str, str | None]:
    """The text in the reader's language, else Bokmål for Nynorsk, else English, else any."""
    for candidate in (lang, "nb" if lang == "nn" else lang, "en", *by_language):
        if candidate in by_language:
            return by_language[candidate], candidate
    return "", None


def matching(index: SearchIndex, wanted: SearchRequest, limit: int, sort: str) -> tuple[int, list[str]]:
    """How many cases match, and the IRIs of the first `limit` in `sort` order (same query as JSON)."""
    searcher = index.searcher()
    query = combined(text_query(index, wanted.q), filter_query(index.index.schema, wanted.filters))
    ordered = {"newest": "modified", "startYear": "start"}.get(sort)
    found = searcher.search(query, limit, count=True, order_by_field=ordered)
    return found.count, [searcher.doc(address)["id"][0] for _, address in found.hits]  # type: ignore[attr-defined]


def read_rows(registry: Registry, cases: list[str]) -> list[Row]:
    rows = []
    base_url = registry.settings.base_url
    for case in cases:
        document = read_case(registry.store, case, registry.prov_graph, base_url)
        if document is None:  # deleted between the index's answer and this read
            continue
        row = Row(case, document)
        for solution in select(registry.store, "export-extras", {ox.Variable("case"): ox.NamedNode(case)}):
            value = solution["value"]
            name = solution["name"].value
            if name == "summary" and isinstance(value, ox.Literal):
                row.summaries.setdefault(value.language or "", value.value)
            elif name == "buyer" and isinstance(value, ox.Literal):
                row.buyers.append(value)
            elif name == "modified":
                row.modified = value.value
        rows.append(row)
    return rows


def limits_headers(total: int, limit: int) -> dict[str, str]:
    return {"Result-Limit": str(limit), "Result-Total": str(total), "Vary": "Accept"}


# -- CSV --------------------------------------------------------------------------------------------


def csv_response(registry: Registry, wanted: SearchRequest) -> Response:
    total, cases = matching(registry.search, wanted, EXPORT_LIMIT, wanted.sort)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in read_rows(registry, cases):
        writer.writerow(
            [csv_cell(row, column, registry.settings.base_url, wanted.lang) for column in COLUMNS]
        )
    headers = {
        **limits_headers(total, EXPORT_LIMIT),
        "Content-Disposition": 'attachment; filename="stafett-search.csv"',
    }
    body = "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8
    return Response(body.encode("utf-8"), media_type=f"{CSV}; charset=utf-8; header=present", headers=headers)


def csv_cell(row: Row, column: str, base_url: str, lang: str) -> str:
    facets = row.document.facets
    if column == "id":
        return row.case
    if column == "page":
        return case_page_url(row.case, base_url)
    if column in ("title", "titleLanguage"):
        title, tag = in_language(row.document.titles, lang)
        return safe_text(title) if column == "title" else (tag or "")
    if column == "summary":
        return safe_text(in_language(row.summaries, lang)[0])
    if column == "buyers":
        return SEPARATOR.join(safe_text(name) for name in buyer_names(row, lang))
    if column == "modified":
        return row.modified
    if column.endswith("Label"):
        facet = column.removesuffix("Label")
        return SEPARATOR.join(label(facet, value, lang) for value in sorted(facets.get(facet, ())))
    return SEPARATOR.join(sorted(facets.get(column, ())))


def buyer_names(row: Row, lang: str) -> list[str]:
    """Each buyer once, in the reader's language when it has a name in it (names are per buyer node,
    but a query row does not say which node: the names of one language are taken, else all)."""
    by_language: dict[str, list[str]] = {}
    for name in row.buyers:
        by_language.setdefault(name.language or "", []).append(name.value)
    _, tag = in_language(dict.fromkeys(by_language, ""), lang)
    return sorted(set(by_language.get(tag or "", [])))


def safe_text(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (docs/search.md)."""
    return "'" + text if text.startswith(FORMULA_START) else text


# -- JSON-LD ----------------------------------------------------------------------------------------


def jsonld_response(registry: Registry, wanted: SearchRequest) -> Response:
    """Each matching case as its publisher's document form (the node's compaction), in its own named
    graph as the store holds it, under the project's context inlined (nothing to fetch)."""
    total, cases = matching(registry.search, wanted, EXPORT_LIMIT, wanted.sort)
    graphs: list = []
    for case in cases:
        graph = ox.NamedNode(case)
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in registry.store.quads_for_pattern(None, None, None, graph)
        ]
        if triples:
            document = compact_case(triples, case)
            document.pop("@context", None)  # one context for the whole answer, inline
            graphs.append({"id": case, "@graph": [document]})
    body = {"@context": context_document()["@context"], "@graph": graphs}
    return Response(orjson.dumps(body), media_type=JSON_LD, headers=limits_headers(total, EXPORT_LIMIT))


# -- Atom -------------------------------------------------------------------------------------------


def atom_response(registry: Registry, wanted: SearchRequest, request: Request) -> Response:
    total, cases = matching(registry.search, wanted, FEED_ENTRIES, "newest")
    rows = read_rows(registry, cases)
    feed = atom_feed(registry, wanted, request.url.query, rows, total)
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=f"{ATOM}; charset=utf-8", headers=limits_headers(total, FEED_ENTRIES))


def atom_feed(
    registry: Registry, wanted: SearchRequest, query: str, rows: list[Row], total: int
) -> ET.Element:
    base_url, lang = registry.settings.base_url, wanted.lang
    words = texts.words("exports", lang)
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "format"]
    feed = ET.Element(atom("feed"), {XML_LANG: lang})
    self_url = f"{base_url}search?{urlencode([*params, ('format', 'atom')])}"
    add(feed, "id", self_url)
    add(feed, "title", feed_title(wanted, words))
    add(feed, "subtitle", words["atom_subtitle"].format(shown=len(rows), total=total))
    updated = [atom_time(row.modified) for row in rows if atom_time(row.modified)]
    add(feed, "updated", max(updated) if updated else now())
    ET.SubElement(feed, atom("link"), {"rel": "self", "type": ATOM, "href": self_url})
    alternate = f"{base_url}search?{urlencode(params)}" if params else f"{base_url}search"
    ET.SubElement(feed, atom("link"), {"rel": "alternate", "type": "text/html", "href": alternate})
    author = ET.SubElement(feed, atom("author"))
    add(author, "name", registry.settings.title)
    add(author, "uri", base_url)
    add(feed, "generator", "Stafett")
    for row in rows:
        feed.append(atom_entry(row, base_url, lang, words))
    return feed


def feed_title(wanted: SearchRequest, words: dict[str, str]) -> str:
    parts = [words["atom_title"]]
    if wanted.q.strip():
        parts.append(words["atom_words"].format(q=wanted.q.strip()))
    for facet in FACETS:
        if wanted.filters.get(facet):
            parts.append(", ".join(label(facet, value, wanted.lang) for value in wanted.filters[facet]))
    return " · ".join(parts)


def atom_entry(row: Row, base_url: str, lang: str, words: dict[str, str]) -> ET.Element:
    entry = ET.Element(atom("entry"))
    add(entry, "id", row.case)
    title, title_lang = in_language(row.document.titles, lang)
    add(entry, "title", title or words["no_title"], {XML_LANG: title_lang or lang})
    add(entry, "updated", atom_time(row.modified) or now())
    page = case_page_url(row.case, base_url)
    ET.SubElement(entry, atom("link"), {"rel": "alternate", "type": "text/html", "href": page})
    ET.SubElement(entry, atom("link"), {"rel": "related", "type": JSON_LD, "href": row.case})
    for name in buyer_names(row, lang):
        add(ET.SubElement(entry, atom("author")), "name", name)
    for facet in ("country", "sector"):
        for value in sorted(row.document.facets.get(facet, ())):
            scheme = vocabulary.SCHEMES[facet]
            ET.SubElement(
                entry, atom("category"), {"term": value, "scheme": scheme, "label": label(facet, value, lang)}
            )
    summary, summary_lang = in_language(row.summaries, lang)
    if summary:
        add(entry, "summary", summary, {XML_LANG: summary_lang or lang})
    return entry


def atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def add(parent: ET.Element, name: str, text: str, attributes: dict | None = None) -> ET.Element:
    child = ET.SubElement(parent, atom(name), attributes or {})
    child.text = text
    return child


def atom_time(value: str) -> str:
    """An RFC 3339 UTC time for Atom, from the case's dct:modified; empty when it is none."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # xsd:dateTime may omit the zone
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
