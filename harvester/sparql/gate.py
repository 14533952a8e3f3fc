"""The gate: only read-only SPARQL queries without SERVICE get through.

Keyword matching is bypassable (`\\u0053ERVICE` is SERVICE once the parser expands escapes), so the
text is parsed with rdflib's SPARQL 1.1 grammar, translated to algebra (which catches undefined
prefixes and scoping errors), and the parse tree is walked for SERVICE. Anything that does not parse
as a query is refused; when it parses as an update (INSERT, LOAD, CLEAR, ...) the refusal says so.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

from pyparsing import ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from stafett.problems import Problem, refusal

# rdflib's grammar recurses once per triple pattern: with Python's default limit a query of ~90
# patterns would be refused as "too complex". The gate therefore parses on its own thread with a
# large stack and a higher recursion limit (hostile nesting still ends in RecursionError, not a crash).
GATE_STACK_BYTES = 256 * 1024 * 1024
GATE_RECURSION_LIMIT = 8000

PASSED_CACHE_SIZE = 512
_passed: dict[str, GatedQuery] = {}
_passed_lock = threading.Lock()
# rdflib's grammar (pyparsing) keeps parse state in shared objects: two queries parsed at once on
# two threads can fail each other with errors such as "postParse2() missing ... 'tokenList'", so one
# client's burst turned another client's valid query into a 400. One parse at a time (~40 ms each).
_parse_lock = threading.Lock()

# Functions whose value changes from one evaluation to the next: such answers are never reused.
CHANGING_FUNCTIONS = {"Builtin_NOW", "Builtin_RAND", "Builtin_UUID", "Builtin_STRUUID", "Builtin_BNODE"}

# rdflib's parse-tree names for the four query forms, and what the endpoint calls them.
QUERY_FORMS = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "graph",
    "DescribeQuery": "graph",
}


@dataclass(frozen=True)
class GatedQuery:
    """A query that passed the gate."""

    text: str
    form: str  # "select" | "ask" | "graph" (CONSTRUCT and DESCRIBE)
    has_dataset_clause: bool  # FROM / FROM NAMED in the query itself
    repeatable: bool = True  # same store, same answer: no NOW(), RAND(), UUID(), STRUUID(), BNODE()


def gate_on_large_stack(text: str, *, max_chars: int) -> GatedQuery:
    """`gate()` on a fresh thread with a large stack (blocks the caller until done).

    Parsing costs ~40 ms with rdflib, so queries that passed are remembered (by exact text):
    dashboards and pages send the same queries again and again.
    """
    with _passed_lock:
        known = _passed.get(text)
    if known is not None and len(text) <= max_chars:
        return known
    gated = _gate_on_thread(text, max_chars)
    with _passed_lock:
        if len(_passed) >= PASSED_CACHE_SIZE:
            _passed.pop(next(iter(_passed)))  # oldest first
        _passed[text] = gated
    return gated


def _gate_on_thread(text: str, max_chars: int) -> GatedQuery:
    if sys.getrecursionlimit() < GATE_RECURSION_LIMIT:
        sys.setrecursionlimit(GATE_RECURSION_LIMIT)
    outcome: dict = {}

    def run() -> None:
        try:
            with _parse_lock:
                outcome["query"] = gate(text, max_chars=max_chars)
        except BaseException as err:  # handed to the caller's thread below
            outcome["error"] = err

    previous = threading.stack_size(GATE_STACK_BYTES)
    try:
        thread = threading.Thread(target=run, name="sparql-gate", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["query"]


def refused(
    slug: str, title: str, detail: str, status: int = 400, headers: dict[str, str] | None = None
) -> Problem:
    return refusal(status, slug, title, detail, rule="sparql-gate", headers=headers)


def gate(text: str, *, max_chars: int) -> GatedQuery:
    """Parse `text`; return what it is, or raise a `Problem` naming why it is refused."""
    if len(text) > max_chars:
        raise refused(
            "query-too-long",
            "The query is too long",
            f"The query has {len(text)} characters; this endpoint accepts at most {max_chars}. "
            "Shorten it, e.g. move long VALUES lists into several queries.",
            status=413,
        )
    if not text.strip():
        raise refused(
            "missing-query",
            "No query was given",
            "Send a SPARQL query in the `query` parameter or as an application/sparql-query body.",
        )
    tree, names = _parse(text)
    if "ServiceGraphPattern" in names:
        raise refused(
            "service-refused",
            "SERVICE is not allowed",
            "This endpoint does not run federated queries: remove the SERVICE clause and send "
            "the query to each endpoint yourself.",
        )
    form = next(QUERY_FORMS[name] for name in QUERY_FORMS if name in {n.name for n in _top(tree)})
    return GatedQuery(text, form, "DatasetClause" in names, not names & CHANGING_FUNCTIONS)


def _parse(text: str) -> tuple[ParseResults, set[str]]:
    try:
        tree = parseQuery(text)
        names = set(_node_names(tree))  # before translation, which rewrites parts of the tree
        translateQuery(tree)  # undefined prefixes, bad GROUP BY scoping, ...
        return tree, names
    except RecursionError:
        raise refused(
            "query-too-complex",
            "The query is nested too deeply",
            "The query nests groups or expressions too deeply to be read; flatten it.",
        ) from None
    except Exception as query_error:
        if _is_update(text):
            raise refused(
                "update-refused",
                "This endpoint is read-only",
                "The text is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...). This public "
                "endpoint answers queries only (SELECT, ASK, CONSTRUCT, DESCRIBE).",
            ) from None
        raise refused(
            "query-syntax",
            "The query is not valid SPARQL 1.1",
            f"{_first_line(query_error)}. Fix the query and try again.",
        ) from None


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
        return True
    except Exception:
        return False


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


def _top(tree) -> list[CompValue]:
    return [part for part in tree if isinstance(part, CompValue)]


def _node_names(node):
    """Every grammar-rule name in the parse tree (iteratively: hostile queries nest deeply)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item.name
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
