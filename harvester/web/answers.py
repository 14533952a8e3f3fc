"""A page's query answered by the endpoint's own service: the same gate, limits, worker pool and
kept answers (per store version) as /sparql, embedded store or external alike.

For the pages whose queries read the whole registry (the statistics, where chains start): a
second view of an unchanged store is a kept answer, and a query over a store too large for the
endpoint's limits is refused as /sparql would refuse it, which the page says instead of hanging.
"""

from __future__ import annotations

import asyncio

import orjson

from stafett.harvester.sparql.gate import gate_on_large_stack
from stafett.harvester.sparql.service import SparqlService
from stafett.problems import Problem


async def rows(service: SparqlService, text: str, client: str) -> list[dict] | None:
    """The SELECT query's rows as SPARQL JSON bindings, or None when the endpoint refused it."""
    try:
        with service.admission.admit(client):
            gated = await asyncio.to_thread(
                gate_on_large_stack, text, max_chars=service.settings.max_query_chars
            )
            found = await service.answer(gated, "json", [], [], None, client=client)
    except Problem:
        return None
    return orjson.loads(found.body)["results"]["bindings"]
