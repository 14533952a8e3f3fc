"""Forwarding to an external store's SPARQL endpoint, under the same gate, deadline and caps.

Only queries that passed the gate are sent. The whole exchange has one total deadline (httpx
timeouts apply per read, so a slow-dripping server would outlive them), the answer's raw bytes are
capped, and the results are parsed and re-serialised here with the same row cap as local queries.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from stafett.harvester.sparql import worker
from stafett.harvester.sparql.pool import limit_problem

UPSTREAM_ACCEPT = {"select": "application/sparql-results+json", "ask": "application/sparql-results+json",
                   "graph": "application/n-triples"}


async def forward(endpoint: str, request: dict, *, timeout: float, max_bytes: int) -> dict:
    data = [("query", request["query"])]
    data += [("default-graph-uri", g) for g in request.get("default_graphs") or []]
    data += [("named-graph-uri", g) for g in request.get("named_graphs") or []]
    headers = {"Accept": UPSTREAM_ACCEPT[request["form"]], "Accept-Encoding": "identity",
               "Content-Type": "application/x-www-form-urlencoded"}
    try:
        status, body = await asyncio.wait_for(_post(endpoint, data, headers, max_bytes), timeout)
    except TimeoutError:
        raise limit_problem(504, "query-timeout", "The query ran out of time",
                            f"The store did not answer within the time limit of {timeout:g} seconds. "
                            "Make the query more selective or add a LIMIT.") from None
    except httpx.HTTPError as err:
        raise limit_problem(502, "store-unreachable", "The store could not be reached",
                            f"The registry's store did not answer ({type(err).__name__}).") from None
    if status >= 400:
        raise limit_problem(502 if status >= 500 else 400, "store-refused", "The store refused the query",
                            f"The registry's store answered {status}: {body[:300].decode(errors='replace')}")
    return await asyncio.to_thread(_reserialise, body, request)


async def _post(endpoint: str, data, headers: dict, max_bytes: int) -> tuple[int, bytes]:
    async with httpx.AsyncClient(follow_redirects=False) as client, client.stream(
            "POST", endpoint, content=urlencode(data).encode(), headers=headers) as response:
        chunks, size = [], 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > max_bytes:
                raise limit_problem(502, "store-answer-too-large", "The store's answer is too large",
                                    f"The store's answer is over {max_bytes} bytes. Add a LIMIT.")
            chunks.append(chunk)
        return response.status_code, b"".join(chunks)


def _reserialise(body: bytes, request: dict) -> dict:
    form = request["form"]
    if form == "graph":
        quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        answer = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    else:
        answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return worker.serialise(answer, form, request["format"], request["max_rows"])
