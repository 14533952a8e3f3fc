"""Feed pages -> members. Size and depth are checked before any RDF parser sees the bytes.

Parsing goes through `stafett.vocabulary.jsonld.parse_document` (local context only, byte, depth
and value-count limits first). Risky formats (by default JSON-LD; `parser_isolation`) are parsed
in a long-lived worker process with a memory cap that hands back N-Quads, so even a parser crash
(pyoxigraph segfaults on very deep JSON-LD) or a memory blow-up costs one page, not the harvester.
A page's quads are then grouped: the default graph describes the stream, the page and its
relations; each member activity's named graph holds its case snapshot.
"""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

from stafett.harvester import terms as t
from stafett.harvester.fetch import Fetched
from stafett.harvester.settings import RegistrySettings
from stafett.ldes import (
    AS_OBJECT,
    AS_PUBLISHED,
    KINDS,
    LDES_IMMUTABLE,
    LDES_STREAM,
    TREE_MEMBER,
    TREE_NODE,
    TREE_RELATION,
    TREE_VIEW,
)
from stafett.problems import Finding, Problem, unreadable
from stafett.vocabulary.jsonld import Limits, parse_document
from stafett.vocabulary.terms import DCT_SOURCE, RDF_TYPE
from stafett.worker_process import WorkerProcess


@dataclass
class Member:
    activity: str
    kind: str  # "Create" | "Update" | "Delete"
    case: str | None
    published: str  # as:published, lexical form
    payload: list[ox.Triple]
    stream: str | None = None  # the stream that lists this member
    derived_from: str | None = None  # prov:wasDerivedFrom (set by aggregators)
    origin_stream: str | None = None  # dct:source (set by aggregators)
    problems: list[str] = field(default_factory=list)

    @property
    def moment(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.published)
        except ValueError:
            return None


@dataclass
class FeedPage:
    url: str
    members: list[Member]
    links: list[str]  # tree:node targets (next/previous pages), in document order
    views: list[str]  # tree:view targets (roots), when the page names its stream
    immutable: bool
    stray_graphs: list[str]  # named graphs that belong to no member

    @property
    def is_feed(self) -> bool:
        return bool(self.members or self.links or self.views)


def page_limits(settings: RegistrySettings) -> Limits:
    return Limits(
        max_bytes=settings.max_decoded_bytes, max_depth=settings.max_depth, max_nodes=settings.max_json_values
    )


def media_type_of(fetched: Fetched) -> str:
    """A page that names no media type is read as TriG (what the nodes serve)."""
    return fetched.media_type or "application/trig"


def parse_in_worker(raw: bytes, media_type: str, base_iri: str, limits: Limits, source: str):
    """In a worker process: (quads, None), or (None, the Problem's fields), which pickle."""
    try:
        return parse_document(raw, media_type, base_iri=base_iri, limits=limits, source=source), None
    except Problem as problem:
        return None, problem.fields()


def _parse_to_nquads(raw: bytes, media_type: str, base_iri: str, limits: Limits, source: str):
    """Runs in the worker process: returns N-Quads bytes or the Problem."""
    quads, problem = parse_in_worker(raw, media_type, base_iri, limits, source)
    return (None, problem) if problem else (ox.serialize(quads, format=ox.RdfFormat.N_QUADS), None)


class PageParser:
    """Parses fetched pages; owns the optional worker process (close() when done)."""

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings
        self.limits = page_limits(settings)
        self.worker = WorkerProcess(settings.parser_memory_limit)  # started on the first isolated page

    def close(self) -> None:
        self.worker.kill()  # a hung parser does not stop by itself

    def isolated(self, media_type: str) -> bool:
        mode = self.settings.parser_isolation
        return mode == "always" or (
            mode == "json-ld" and media_type in ("application/ld+json", "application/json")
        )

    def quads(self, fetched: Fetched, source: str) -> list[ox.Quad]:
        media_type = media_type_of(fetched)
        if not self.isolated(media_type):
            return parse_document(
                fetched.body, media_type, base_iri=fetched.url, limits=self.limits, source=source
            )
        try:
            nquads, problem = self.worker.submit(
                _parse_to_nquads, fetched.body, media_type, fetched.url, self.limits, source
            ).result(self.settings.request_deadline)
        except (BrokenProcessPool, TimeoutError):
            self.worker.kill()  # the worker died or hung: a fresh one serves the next page
            raise unreadable(
                f"the parser crashed or hung on {fetched.url}; the page was skipped", source=source
            ) from None
        if problem:
            raise Problem(*problem)
        return list(ox.parse(nquads, ox.RdfFormat.N_QUADS))

    def page(self, fetched: Fetched, source: str) -> FeedPage:
        return group_page(fetched.url, self.quads(fetched, source), fetched.immutable)


def group_page(url: str, quads: list[ox.Quad], immutable_header: bool = False) -> FeedPage:
    default = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    graphs: dict[str, list[ox.Triple]] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
        elif not isinstance(q.graph_name, ox.DefaultGraph):  # blank-node graph names: no member owns them
            graphs.setdefault(str(q.graph_name), [])
    about: dict[str, dict[str, list]] = {}
    for q in default:
        about.setdefault(str(q.subject), {}).setdefault(q.predicate.value, []).append(q.object)

    members, listed = [], set()
    for q in default:
        if q.predicate == TREE_MEMBER and isinstance(q.object, ox.NamedNode) and q.object.value not in listed:
            listed.add(q.object.value)
            members.append(build_member(q.object.value, about, graphs, q.subject.value))
    links = [
        o.value
        for q in default
        if q.predicate == TREE_RELATION
        for o in about.get(str(q.object), {}).get(TREE_NODE.value, [])
        if isinstance(o, ox.NamedNode)
    ]
    views = [
        q.object.value for q in default if q.predicate == TREE_VIEW and isinstance(q.object, ox.NamedNode)
    ]
    # A description may name only its stream (`<…/feed#stream> a ldes:EventStream`): its document is the root.
    views += [
        q.subject.value.split("#", 1)[0]
        for q in default
        if q.predicate == RDF_TYPE and q.object == LDES_STREAM and isinstance(q.subject, ox.NamedNode)
    ]
    views = list(dict.fromkeys(views))
    immutable = immutable_header or any(
        q.predicate == LDES_IMMUTABLE and q.object.value == "true" for q in default
    )
    stray = sorted(set(graphs) - listed)
    return FeedPage(url, members, list(dict.fromkeys(links)), views, immutable, stray)


def build_member(activity: str, about: dict, graphs: dict, stream: str) -> Member:
    props = about.get("<" + activity + ">", {})

    def one(predicate: ox.NamedNode):
        values = props.get(predicate.value, [])
        return values[0] if values else None

    kinds = [KINDS[v] for v in props.get(RDF_TYPE.value, []) if v in KINDS]
    case, published = one(AS_OBJECT), one(AS_PUBLISHED)
    derived, origin = one(t.PROV_DERIVED), one(DCT_SOURCE)
    member = Member(
        activity,
        kinds[0] if len(kinds) == 1 else "",
        case.value if isinstance(case, ox.NamedNode) else None,
        published.value if isinstance(published, ox.Literal) else "",
        graphs.get(activity, []),
        stream,
        derived.value if isinstance(derived, ox.NamedNode) else None,
        origin.value if isinstance(origin, ox.NamedNode) else None,
    )
    if len(kinds) != 1:
        member.problems.append("the activity must have exactly one type of as:Create, as:Update, as:Delete")
    if member.case is None:
        member.problems.append("the activity has no as:object naming the case IRI")
    if member.moment is None:
        member.problems.append(f"as:published {member.published!r} is not an xsd:dateTime")
    if member.kind in ("Create", "Update") and not member.payload:
        member.problems.append("a Create/Update activity needs the case snapshot in GRAPH <activity>")
    return member


def finding(message: str, *, source: str, focus: str | None = None, rule: str = "feed") -> Finding:
    return Finding("Violation", message, focus_node=focus, rule=rule, source=source)
