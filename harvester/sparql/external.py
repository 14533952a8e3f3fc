"""Forwarding to an external store's SPARQL endpoint, under the same gate, deadline and caps.

Only queries that passed the gate are sent. The whole exchange has one total deadline (httpx
timeouts apply per read, so a slow-dripping server would outlive them), the answer's raw bytes are
capped, and the results are parsed and re-serialised here with the same row cap as local queries.
Relative IRIs resolve against the same base as on the embedded store (`with_base`), and an ASK
answered as a one-row table (Virtuoso 7.2) is read as the boolean it is.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from stafett.harvester.sparql import worker
from stafett.harvester.sparql.pool import limit_problem

UPSTREAM_ACCEPT = {
    "select": "application/sparql-results+json",
    "ask": "application/sparql-results+json",
    "graph": "application/n-triples",
}


# Virtuoso 7.2 answers ASK in SPARQL JSON as a table with this one variable holding 1 or 0.
ASK_AS_ROW = "__ASK_RETVAL"


# A BASE in the query's prologue (after comments and PREFIXes): the query's own base then wins.
# Virtuoso refuses a second BASE declaration, so none is added in front of it.
OWN_BASE = re.compile(r"(?:\s+|#[^\n]*|PREFIX\s*[^\s:]*:\s*<[^>]*>)*BASE\b", re.IGNORECASE)


def with_base(query: str, base_iri: str | None) -> str:
    """The query with a `BASE` declaration for the IRI the embedded store resolves against.

    The store would otherwise resolve relative IRIs against its own URL (Oxigraph) or keep them
    relative (Virtuoso). The query text is sent whole, as the gate parsed it; only a prologue
    declaration goes in front, which SPARQL allows before any other (a query's own BASE then
    resolves against ours, as with pyoxigraph's base_iri; Virtuoso refuses two BASEs, so a query
    with its own is sent unchanged). The IRI is serialised by pyoxigraph,
    which refuses an invalid one, so it cannot close its `<...>` and inject text.
    """
    if not base_iri or OWN_BASE.match(query):
        return query
    try:
        base = str(ox.NamedNode(base_iri))
    except ValueError:
        return query  # not an IRI (a strange Host header): relative IRIs stay the store's business
    return f"BASE {base}\n{query}"


async def forward(endpoint: str, request: dict, *, timeout: float, max_bytes: int) -> dict:
    data = [("query", with_base(request["query"], request.get("base_iri")))]
    data += [("default-graph-uri", g) for g in request.get("default_graphs") or []]
    data += [("named-graph-uri", g) for g in request.get("named_graphs") or []]
    headers = {
        "Accept": UPSTREAM_ACCEPT[request["form"]],
        "Accept-Encoding": "identity",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    try:
        status, body = await asyncio.wait_for(_post(endpoint, data, headers, max_bytes), timeout)
    except TimeoutError:
        raise limit_problem(
            504,
            "query-timeout",
            "The query ran out of time",
            f"The store did not answer within the time limit of {timeout:g} seconds. "
            "Make the query more selective or add a LIMIT.",
        ) from None
    except httpx.HTTPError as err:
        raise limit_problem(
            502,
            "store-unreachable",
            "The store could not be reached",
            f"The registry's store did not answer ({type(err).__name__}).",
        ) from None
    if status >= 400:
        raise limit_problem(
            502 if status >= 500 else 400,
            "store-refused",
            "The store refused the query",
            f"The registry's store answered {status}: {body[:300].decode(errors='replace')}",
        )
    return await asyncio.to_thread(_reserialise, body, request)


async def _post(endpoint: str, data, headers: dict, max_bytes: int) -> tuple[int, bytes]:
    async with (
        httpx.AsyncClient(follow_redirects=False) as client,
        client.stream("POST", endpoint, content=urlencode(data).encode(), headers=headers) as response,
    ):
        chunks, size = [], 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > max_bytes:
                raise limit_problem(
                    502,
                    "store-answer-too-large",
                    "The store's answer is too large",
                    f"The store's answer is over {max_bytes} bytes. Add a LIMIT.",
                )
            chunks.append(chunk)
        return response.status_code, b"".join(chunks)


def _reserialise(body: bytes, request: dict) -> dict:
    form = request["form"]
    if form == "graph":
        quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        answer = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    else:
        answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if form == "ask" and not isinstance(answer, ox.QueryBoolean):
            answer = _boolean_from_row(answer)
    return worker.serialise(answer, form, request["format"], request["max_rows"])


def _boolean_from_row(solutions) -> bool:
    """An ASK answered as rows (Virtuoso): true when a row's `__ASK_RETVAL` is not 0."""
    return any(
        row[ASK_AS_ROW] is not None and row[ASK_AS_ROW].value not in ("0", "false")
        for row in solutions
        if ASK_AS_ROW in [v.value for v in solutions.variables]
    )
