"""The SHACL engines behind `validate_quads`: pyshacl-turbo (default) and pySHACL (reference), both
over the cached case shapes.

Private and swappable: the rest of the project sees only `EngineResult`s turned into `Finding`s
by `shapes/findings.py`. An engine implements `results(quads)` (and `results_of_text(ntriples)` to
be batched by `shapes/batch.py`); tests/shapes/test_validate_many.py and test_shape_engine.py run
the same documents through both engines and compare their findings.

Why the data graph is built term by term: pyoxigraph literals must not reach rdflib as
`Literal("SEK", datatype=xsd:string)` (rdflib treats that as different from `Literal("SEK")`, which
breaks `sh:in` and equality; see ../shared/design/threat-notes.md), and lexical forms must be kept
as written (`normalize=False`) so `"1.5E0"^^xsd:decimal` from a JSON fraction is still seen as such.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol, cast

import pyoxigraph as ox
import rdflib

from stafett.vocabulary import terms
from stafett.vocabulary.rdflib_terms import graph_of

SH = rdflib.Namespace(terms.SH)
SHAPES_RESOURCE = "case-shapes.ttl"


class _IllTypedLiteralFilter(logging.Filter):
    """rdflib logs a traceback for every ill-typed literal (e.g. "2021-13-45"^^xsd:date); for a
    validator that is expected input, reported as a finding, not a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteralFilter())


@dataclass(frozen=True)
class EngineResult:
    """One SHACL result, language-neutral, with the chain of paths that led to it through sh:node."""

    severity: str  # Violation | Warning | Info
    messages: dict[str, str]  # language -> text, from sh:message
    focus_node: str  # the targeted node (the case), never a nested blank node
    paths: tuple[str, ...]  # property IRIs from the focus node down to the failing value
    value: str | None
    shape: str | None  # the source shape IRI
    component: str  # constraint component local name, e.g. MinCountConstraintComponent


class Engine(Protocol):
    name: str

    def results(self, quads: Iterable[ox.Quad]) -> list[EngineResult]: ...


# ---------------------------------------------------------------- pyoxigraph -> rdflib

# ---------------------------------------------------------------- pySHACL


class FrozenGraph(rdflib.Graph):
    """A shapes graph that remembers every triple pattern it was asked once frozen.

    pySHACL rebuilds each shape's constraint components on every validation (reading a 247-item
    sh:in list again per country value, for instance); the shapes never change after loading, so
    answering repeated patterns from memory is safe and removes most of that cost.
    """

    _memo: dict | None = None

    def freeze(self) -> None:
        self._memo = {}

    def triples(self, pattern):
        if self._memo is None:
            yield from super().triples(pattern)
            return
        try:
            hit = self._memo.get(pattern)
        except TypeError:  # an unhashable pattern (a property path object): ask the store
            yield from super().triples(pattern)
            return
        if hit is None:
            hit = self._memo[pattern] = list(super().triples(pattern))
        yield from hit

    def items(self, list_node):
        if self._memo is None:
            return super().items(list_node)
        key = ("items", list_node)
        if key not in self._memo:
            self._memo[key] = list(super().items(list_node))
        return iter(self._memo[key])

    def add(self, triple):
        if self._memo is not None and triple not in self:
            self._memo.clear()  # pySHACL re-adds its system triples (already present); anything new resets
        return super().add(triple)


@cache
def shapes_rdflib() -> rdflib.Graph:
    text = resources.files("stafett.shapes").joinpath(SHAPES_RESOURCE).read_text("utf-8")
    return FrozenGraph().parse(data=text, format="turtle")


def speed_up_parameter_lookup() -> None:
    """pySHACL tests `p in CONSTRAINT_PARAMETERS` (a list of ~30 IRIs) for every predicate of every
    shape on every run; a frozenset with the same members gives the same answers without the scan.
    Only applied when pySHACL has not already chosen its parameter tables."""
    import pyshacl.shape as shape_module
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    if getattr(shape_module, "CONSTRAINT_PARAMS", None) is None:
        fast = _SetBackedList(ALL_CONSTRAINT_PARAMETERS)
        shape_module.CONSTRAINT_PARAMS = (fast, CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]


class _SetBackedList(list):
    """A list (pySHACL copies and appends to it in advanced mode) with set-speed membership tests."""

    def __init__(self, items) -> None:
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item) -> bool:
        return item in self._members


class PyShaclEngine:
    """pySHACL 0.40 with the shapes parsed and harvested once (shape parsing dominates small runs).

    `shapes` defaults to the case shapes; the W3C test suite passes its own. With `expand_details`
    a failed sh:node is replaced by the nested results that caused it (what a publisher must fix).
    """

    name = "pyshacl"

    def __init__(self, shapes: rdflib.Graph | None = None, *, expand_details: bool = True) -> None:
        from pyshacl.shapes_graph import ShapesGraph

        speed_up_parameter_lookup()
        self._lock = threading.Lock()  # pySHACL keeps per-shape caches; one run at a time
        self._graph = shapes if shapes is not None else shapes_rdflib()
        self._shapes = ShapesGraph(self._graph)
        _ = self._shapes.shapes  # harvest now, not inside the first request
        if isinstance(self._graph, FrozenGraph):
            self._graph.freeze()
        self.expand_details = expand_details

    def results(self, quads: Iterable[ox.Quad]) -> list[EngineResult]:
        from pyshacl.graph_abstraction import DataGraph
        from pyshacl.validator import Validator

        data = DataGraph.from_rdflib(graph_of(quads))
        with self._lock:
            validator = Validator(data, shacl_graph=self._graph, options={"inplace": True})
            validator.shacl_graph = self._shapes  # reuse the harvested shapes
            _, report, _ = validator.run()
            return list(read_report(report, self._graph, expand_details=self.expand_details))


def shape_messages(node, shapes: rdflib.Graph) -> dict[str, str]:
    """sh:message of a shape, read from the shapes graph: pySHACL drops the language tags of messages
    of SPARQL-based results, so the tagged originals are looked up by the source shape's IRI."""
    if not isinstance(node, rdflib.URIRef):
        return {}
    return {
        text.language: str(text)
        for text in shapes.objects(node, SH.message)
        if isinstance(text, rdflib.Literal) and text.language
    }


def read_report(
    report: rdflib.Graph, shapes: rdflib.Graph, *, expand_details: bool = True
) -> Iterable[EngineResult]:
    """Top-level results, with sh:node failures replaced by their sh:detail results (recursively)."""
    for top in report.objects(None, SH.result):
        focus = report.value(top, SH.focusNode)
        yield from expand(report, shapes, top, node_text(focus), (), expand_details)


def node_text(node) -> str:
    return f"_:{node}" if isinstance(node, rdflib.BNode) else str(node)


def expand(
    report: rdflib.Graph,
    shapes: rdflib.Graph,
    result,
    focus: str,
    parents: tuple[str, ...],
    expand_details: bool,
) -> Iterable[EngineResult]:
    path = report.value(result, SH.resultPath)
    paths = parents + ((str(path),) if isinstance(path, rdflib.URIRef) else ())
    details = list(report.objects(result, SH.detail)) if expand_details else []
    if details:
        for detail in details:
            yield from expand(report, shapes, detail, focus, paths, expand_details)
        return
    value = report.value(result, SH.value)
    component = report.value(result, SH.sourceConstraintComponent)
    shape = report.value(result, SH.sourceShape)
    messages = shape_messages(report.value(result, SH.sourceConstraint), shapes) or shape_messages(
        shape, shapes
    )
    for text in report.objects(result, SH.resultMessage):
        messages.setdefault(getattr(text, "language", None) or "en", str(text))
    yield EngineResult(
        severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
        messages=messages,
        focus_node=focus,
        paths=paths,
        value=None if value is None or isinstance(value, rdflib.BNode) else str(value),
        shape=str(shape) if isinstance(shape, rdflib.URIRef) else None,
        component=str(component).rsplit("#", 1)[-1],
    )


class TurboEngine:
    """pyshacl-turbo (a Rust SHACL engine with a pySHACL-compatible API): the default engine.

    The data goes in as N-Triples text (pyoxigraph serializes it; plain strings stay plain, so no
    xsd:string trap) and the report comes back as N-Triples text that pyoxigraph parses straight
    into `EngineResult`s: no rdflib graph on either side. pyshacl-turbo's own `validate` would
    decode the report into rdflib first, which cost as much as validating (docs/benchmarks.md).
    Findings are identical to PyShaclEngine's (tests/shapes/test_shape_engine.py, differential).
    """

    name = "turbo"

    def __init__(self, shapes: rdflib.Graph | None = None, *, expand_details: bool = True) -> None:
        import pyshacl_turbo

        self._graph = shapes if shapes is not None else shapes_rdflib()
        self._compiled = pyshacl_turbo.compile_shapes(self._graph)
        # The native entry point takes text and returns text; checked once so an API change in a
        # future release falls back to the public (slower) path instead of failing.
        self._native = getattr(self._compiled, "_native", None)
        self._messages: dict[str, dict[str, str]] = {}
        self.expand_details = expand_details

    def results(self, quads: Iterable[ox.Quad]) -> list[EngineResult]:
        return self.results_of_text(ntriples(quads))

    def results_of_text(self, ntriples: str) -> list[EngineResult]:
        """Validate a data graph given as N-Triples (one call; many cases may share it)."""
        report = self._report_text(ntriples)
        return list(ReportReader(report, self._shape_messages, self.expand_details).results())

    def _report_text(self, ntriples: str) -> str:
        if self._native is not None:
            try:
                return self._native.validate(
                    ntriples, "nt", None, False, 100, 15, False, False, False, False, [], [], []
                )[1]
            except TypeError:  # the private signature changed: use the public API from now on
                self._native = None
        store = ox.Store()
        if ntriples:
            store.load(ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)
        _, report, _ = self._compiled.validate(store)
        return report.serialize(format="nt")

    def _shape_messages(self, iri: str) -> dict[str, str]:
        if iri not in self._messages:
            self._messages[iri] = shape_messages(rdflib.URIRef(iri), self._graph)
        return dict(self._messages[iri])


SH_NS = str(SH)


class ReportReader:
    """A SHACL report in N-Triples read into EngineResults, the same way `read_report` reads an
    rdflib report (top-level results, sh:node failures replaced by their sh:detail results)."""

    def __init__(self, ntriples: str, messages_of, expand_details: bool) -> None:
        self._by_subject: dict = {}
        self._tops: list = []
        for triple in ox.parse(ntriples.encode(), ox.RdfFormat.N_TRIPLES):
            predicate = triple.predicate.value
            if predicate == SH_NS + "result":
                self._tops.append(triple.object)
            self._by_subject.setdefault(triple.subject, {}).setdefault(predicate, []).append(triple.object)
        self._messages_of = messages_of
        self.expand_details = expand_details

    def results(self) -> Iterable[EngineResult]:
        for top in self._tops:
            focus = self._value(top, "focusNode")
            yield from self._expand(top, term_text(focus), ())

    def _value(self, node, local: str):
        values = self._by_subject.get(node, {}).get(SH_NS + local)
        return values[0] if values else None

    def _expand(self, result, focus: str, parents: tuple[str, ...]) -> Iterable[EngineResult]:
        props = self._by_subject.get(result, {})
        path = self._value(result, "resultPath")
        paths = parents + ((path.value,) if isinstance(path, ox.NamedNode) else ())
        details = props.get(SH_NS + "detail", []) if self.expand_details else []
        if details:
            for detail in details:
                yield from self._expand(detail, focus, paths)
            return
        value, shape = self._value(result, "value"), self._value(result, "sourceShape")
        constraint = self._value(result, "sourceConstraint")
        messages = (self._messages_of(constraint.value) if isinstance(constraint, ox.NamedNode) else {}) or (
            self._messages_of(shape.value) if isinstance(shape, ox.NamedNode) else {}
        )
        for text in props.get(SH_NS + "resultMessage", []):
            messages.setdefault(getattr(text, "language", None) or "en", text.value)
        yield EngineResult(
            severity=self._value(result, "resultSeverity").value.rsplit("#", 1)[-1],
            messages=messages,
            focus_node=focus,
            paths=paths,
            value=None if value is None or isinstance(value, ox.BlankNode) else value.value,
            shape=shape.value if isinstance(shape, ox.NamedNode) else None,
            component=self._value(result, "sourceConstraintComponent").value.rsplit("#", 1)[-1],
        )


def ntriples(quads: Iterable[ox.Quad]) -> str:
    """The quads' triples as N-Triples text (graph names dropped: the data is one graph)."""
    quads = list(quads)
    try:
        return cast(bytes, ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)).decode()  # no `output`: bytes
    except (ValueError, TypeError):  # quads in named graphs: N-Triples has no place for them
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).decode()


def term_text(node) -> str:
    return f"_:{node.value}" if isinstance(node, ox.BlankNode) else node.value


ENGINES: dict[str, Callable[..., Engine]] = {"pyshacl": PyShaclEngine, "turbo": TurboEngine}


def available(name: str) -> bool:
    """Whether an engine's library is installed (both are dependencies; kept for callers that ask)."""
    from importlib.util import find_spec

    return name == "pyshacl" or (name == "turbo" and find_spec("pyshacl_turbo") is not None)


_instances: dict[str, Engine] = {}
_instances_lock = threading.Lock()


def engine(name: str = "turbo") -> Engine:
    """The shared engine instance (shapes loaded once per process)."""
    with _instances_lock:
        if name not in _instances:
            _instances[name] = ENGINES[name]()
        return _instances[name]
