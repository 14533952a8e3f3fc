"""Reading case documents safely: JSON-LD with the pinned local context, Turtle, N-Triples.

Nothing here ever fetches a context over the network. The shared context ships with the
package; a document naming any other context URL is refused with a clear problem. Size and
nesting depth are checked *before* any RDF parser sees the bytes, because pyoxigraph crashes
the whole process on JSON-LD nested a few thousand levels deep (see docs/security.md).
"""

from __future__ import annotations

import itertools
import json
import operator
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import quote

import orjson
import pyoxigraph as ox

from stafett.problems import Problem, not_json_ld, too_large, unreadable

CONTEXT_URL = "https://w3id.org/stafett/context/v1"
CONTEXT_FILE = "context-v1.jsonld"
# Accepted spellings of the one shared context (with and without the file suffix).
KNOWN_CONTEXT_URLS = frozenset({CONTEXT_URL, CONTEXT_URL + ".jsonld"})

JSON_LD = "application/ld+json"
MEDIA_TYPES = {
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
SUFFIX_MEDIA_TYPES = {
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
}


@dataclass(frozen=True)
class Limits:
    """Caps checked before parsing. Defaults suit one case document; feeds pass larger ones."""

    max_bytes: int = 1_000_000
    max_depth: int = 24  # a case nests about 5 deep; pyoxigraph dies near 3,500
    max_nodes: int = 20_000  # JSON values (objects, arrays, scalars) in one document


DEFAULT_LIMITS = Limits()


@cache
def context_document() -> dict:
    """The shared JSON-LD context document (the whole file, with its `@context` key)."""
    text = resources.files("stafett.vocabulary").joinpath(CONTEXT_FILE).read_text("utf-8")
    return json.loads(text)


def context_bytes() -> bytes:
    """The context as served by nodes at its stable URL."""
    return resources.files("stafett.vocabulary").joinpath(CONTEXT_FILE).read_bytes()


def frozen_document_loader(url: str, options: dict | None = None) -> dict:
    """A pyld document loader that knows only the shared context and refuses everything else."""
    if url not in KNOWN_CONTEXT_URLS:
        raise unknown_context(url)
    return {"contentType": JSON_LD, "contextUrl": None, "documentUrl": url, "document": context_document()}


def unknown_context(url: str, source: str | None = None) -> Problem:
    return unreadable(
        f"unknown JSON-LD context {url!r}: Stafett never loads remote contexts; "
        f'use "@context": "{CONTEXT_URL}"',
        source=source,
    )


def load_json(raw: bytes, limits: Limits = DEFAULT_LIMITS, source: str | None = None):
    """Parse JSON bytes after the byte cap, then check depth and size before anything else."""
    if len(raw) > limits.max_bytes:
        raise too_large(f"document is {len(raw):,} bytes; the limit is {limits.max_bytes:,}", source=source)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        if "depth limit" in str(err):  # orjson stops at 1024 levels by itself
            raise too_large(f"JSON nested deeper than {limits.max_depth} levels", source=source) from None
        raise unreadable(f"not valid JSON: {err}", source=source) from None
    check_nesting(data, limits, source)
    return data


def check_nesting(data, limits: Limits = DEFAULT_LIMITS, source: str | None = None) -> None:
    """Iteratively measure depth and value count (no recursion, so no stack to exhaust)."""
    stack = [(data, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if depth > limits.max_depth:
            raise too_large(f"JSON nested deeper than {limits.max_depth} levels", source=source)
        if seen > limits.max_nodes:
            raise too_large(f"document has more than {limits.max_nodes:,} JSON values", source=source)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def inline_contexts(data, source: str | None = None):
    """Replace every reference to the shared context by the local copy; refuse any other URL.

    Contexts may appear at any level of a JSON-LD document, so the whole tree is walked.
    Inline context objects are kept (pyoxigraph refuses remote references inside them).
    """
    local = context_document()["@context"]

    def resolve(ctx):
        if isinstance(ctx, str):
            if ctx not in KNOWN_CONTEXT_URLS:
                raise unknown_context(ctx, source)
            return local
        if isinstance(ctx, list):
            return [resolve(c) for c in ctx]
        return ctx

    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "@context" in value:
                value["@context"] = resolve(value["@context"])
            stack.extend(v for k, v in value.items() if k != "@context")
        elif isinstance(value, list):
            stack.extend(value)
    return data


@cache
def coerced_keys() -> tuple[frozenset[str], frozenset[str]]:
    """(keys coerced to xsd:date, keys whose strings are codes under a scoped `@vocab`)."""
    terms = {k: v for k, v in context_document()["@context"].items() if isinstance(v, dict)}
    dates = frozenset(k for k, v in terms.items() if v.get("@type") == "xsd:date")
    codes = frozenset(k for k, v in terms.items() if v.get("@type") == "@vocab")
    return dates, codes


PARTIAL_DATE_TYPES = (
    (re.compile(r"[0-9]{4}"), "xsd:gYear"),
    (re.compile(r"[0-9]{4}-[0-9]{2}"), "xsd:gYearMonth"),
)
# Characters an IRI may not hold; a JSON-LD processor silently drops a value that would contain one.
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def typed_value(key: str, value):
    """A date key's "2021" or "2021-03" as an explicit xsd:gYear/xsd:gYearMonth value object (1.1),
    and a code with a space in it (a label such as "Vård och omsorg") percent-encoded, so that it
    stays in the graph and the shapes refuse it with a finding listing the codes, instead of the
    processor dropping it unseen. No code has such characters, so nothing valid is changed.
    A code written as a node object with a relative id (`{"id": "SE-07"}`) would be dropped too when
    there is no base to resolve it against; it is kept the same way, as its encoded JSON text."""
    dates, codes = coerced_keys()
    if key in codes and isinstance(value, dict) and relative_id(value):
        return quote(orjson.dumps(value).decode(), safe="")
    if not isinstance(value, str):
        return value
    if key in dates:
        for pattern, datatype in PARTIAL_DATE_TYPES:
            if pattern.fullmatch(value):
                return {"@value": value, "@type": datatype}
    if key in codes and NOT_IN_IRI.search(value):
        return NOT_IN_IRI.sub(lambda m: f"%{ord(m.group()):02X}", value)
    return value


def relative_id(node: dict) -> bool:
    """True for a node object whose id has no scheme (the form codes are not written in)."""
    ident = node.get("id", node.get("@id"))
    return isinstance(ident, str) and ":" not in ident


def type_partial_values(data):
    """Apply `typed_value` to every value of a coerced key, at any depth (iteratively)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@context":
                    continue
                if isinstance(item, list):
                    item[:] = [typed_value(key, v) for v in item]
                else:
                    value[key] = item = typed_value(key, item)
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return data


def json_ld_to_quads(data, *, base_iri: str | None = None, source: str | None = None) -> list[ox.Quad]:
    """Turn an already size-checked JSON value into quads, with the local context only."""
    data = type_partial_values(inline_contexts(data, source))
    try:
        return list(ox.parse(orjson.dumps(data), ox.RdfFormat.JSON_LD, base_iri=base_iri))
    except (SyntaxError, ValueError) as err:
        raise not_json_ld(f"not valid JSON-LD: {err}", source=source) from None


def parse_document(
    raw: bytes,
    media_type: str,
    *,
    base_iri: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    source: str | None = None,
) -> list[ox.Quad]:
    """Parse one document of any supported media type into quads, within the limits."""
    media_type = media_type.split(";")[0].strip().lower()
    fmt = MEDIA_TYPES.get(media_type)
    if fmt is None:
        raise unreadable(
            f"unsupported media type {media_type!r}; use one of " + ", ".join(sorted(MEDIA_TYPES)),
            source=source,
        )
    if fmt == ox.RdfFormat.JSON_LD:
        return json_ld_to_quads(load_json(raw, limits, source), base_iri=base_iri, source=source)
    if len(raw) > limits.max_bytes:
        raise too_large(f"document is {len(raw):,} bytes; the limit is {limits.max_bytes:,}", source=source)
    check_bracket_depth(raw, limits, source, fmt)
    try:
        return list(ox.parse(raw, fmt, base_iri=base_iri))
    except (SyntaxError, ValueError) as err:
        raise unreadable(f"not valid {media_type}: {err}", source=source) from None


# Turtle/TriG tokens inside which `[ ] ( )` are not structure, matched leftmost-first like the
# parser's lexer: long and short strings (both quotes), IRIs (exactly IRIREF: its characters and
# \u/\U escapes), comments, and backslash escapes in prefixed names (`ex:a\#b` starts no comment).
# A span is skipped only where the parser reads the same token (or refuses the document); text
# the pattern does not recognise is scanned bracket by bracket, which can only over-count. So a
# string full of `)` cannot cancel real `[`s, and nesting is never under-counted.
_NOT_STRUCTURE = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"'
    rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb'|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
    rb"|#[^\n\r]*"
    rb"|\\.",
    re.DOTALL,
)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]()")
_STEPS = bytes.maketrans(b"[(])", b"\x02\x02\x00\x00")  # an opener steps +1, a closer -1 (after -1)


def check_bracket_depth(raw: bytes, limits: Limits, source: str | None, fmt=None) -> None:
    """Refuse Turtle/TriG whose `[`/`(` nesting exceeds the depth limit.

    N-Triples/N-Quads cannot nest, so they are not scanned. For Turtle/TriG, strings, IRIs and
    comments are blanked by one regular expression and the depth walk over the remaining brackets
    runs in C (itertools); closers never take the depth below zero (a reflected walk:
    depth_i = S_i - min(0, min S_0..S_i) for the prefix sums S). A conservative refusal is
    better than a parser recursing without bound.
    """
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return
    limit = limits.max_depth * 4
    if raw.count(b"[") + raw.count(b"(") <= limit:
        return  # cannot nest deeper than there are brackets; skip the scan
    steps = _NOT_STRUCTURE.sub(b"", raw).translate(None, _NOT_BRACKETS).translate(_STEPS)
    sums = list(map(operator.sub, itertools.accumulate(steps), itertools.count(1)))
    lows = itertools.islice(itertools.accumulate(sums, min, initial=0), 1, None)
    if max(map(operator.sub, sums, lows), default=0) > limit:
        raise too_large(f"RDF nested deeper than {limit} brackets", source=source)
