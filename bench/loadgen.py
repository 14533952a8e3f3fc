"""Load generator, run as its own process so it does not starve the server it measures.

Reads one JSON job on stdin, prints one JSON result on stdout:

    {"requests": [{"method": "GET", "url": "...", "headers": {...}, "body": "..."}, ...],
     "seconds": 5, "connections": 4, "cycle": true}

`cycle` true repeats the request list until `seconds` pass (reads); false sends each request
once (writes), still stopping at `seconds`. Only loopback URLs are accepted.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import httpx
import orjson

LOOPBACK = ("127.0.0.1", "localhost", "::1")


async def worker(
    client: httpx.AsyncClient,
    queue: list,
    deadline: float,
    cycle: bool,
    statuses: Counter,
    latencies: list[float],
    position: list[int],
) -> None:
    while time.perf_counter() < deadline:
        i = position[0]
        if i >= len(queue):
            if not cycle:
                return
            i = position[0] = 0
        position[0] += 1
        req = queue[i]
        start = time.perf_counter()
        try:
            resp = await client.request(
                req["method"], req["url"], headers=req.get("headers"), content=req.get("body")
            )
            await resp.aread()
            statuses[str(resp.status_code)] += 1
        except httpx.HTTPError as err:
            statuses[type(err).__name__] += 1
        latencies.append(time.perf_counter() - start)


async def run(job: dict) -> dict:
    for req in job["requests"]:
        if urlsplit(req["url"]).hostname not in LOOPBACK:
            raise SystemExit(f"refusing non-loopback URL {req['url']!r}")
    connections = int(job.get("connections", 4))
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    statuses: Counter = Counter()
    latencies: list[float] = []
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
        start = time.perf_counter()
        deadline = start + float(job.get("seconds", 5))
        position = [0]
        await asyncio.gather(
            *(
                worker(
                    client,
                    job["requests"],
                    deadline,
                    bool(job.get("cycle", True)),
                    statuses,
                    latencies,
                    position,
                )
                for _ in range(connections)
            )
        )
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "count": len(latencies),
        "seconds": elapsed,
        "statuses": dict(statuses),
        "median_ms": latencies[len(latencies) // 2] * 1e3 if latencies else None,
    }


def main() -> int:
    job = orjson.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(orjson.dumps(asyncio.run(run(job))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
