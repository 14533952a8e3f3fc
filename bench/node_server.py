"""One real node in its own process, for bench.node_bench.

Reads one JSON line on stdin with the node's settings (data_dir, org_name, org_number, country,
languages), serves the node on an ephemeral loopback port and prints one JSON line:
{"base_url": ..., "token": ...}. Then each stdin line "list" is answered with a JSON line of
the published case URLs; end of input stops the server.

Its own process, because a node served from a thread of the bench process shares that process's
heap and garbage collector with whatever the earlier stages left behind: case GET measured 10x
slower that way.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import orjson

from stafett.node.app import create_app
from stafett.node.auth import issue_token
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.serving import bind, serve_in_thread, url_of


def unthrottled() -> dict:
    """Settings that lift the feed's per-client throttle: measure the node, not its 429s."""
    names = {f.name for f in dataclasses.fields(NodeSettings)}
    if "feed_burst" in names:
        return {"feed_burst": 10**9, "feed_rate": 1e9}
    return {"extra": {"feed_burst": 10**9, "feed_rate": 1e9}}  # older nodes read them from extra


def main() -> int:
    job = orjson.loads(sys.stdin.readline())
    sock = bind()
    settings = NodeSettings(
        base_url=url_of(sock),
        data_dir=Path(job["data_dir"]),
        org_name=job["org_name"],
        org_number=job["org_number"],
        country=job["country"],
        languages=tuple(job["languages"]),
        **unthrottled(),
    )
    store = NodeStore(settings.database_path)
    token = issue_token(store, "bench")
    server = serve_in_thread(create_app(settings, store), sock)
    print(orjson.dumps({"base_url": settings.base_url, "token": token}).decode(), flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "list":
                records = store.list_published(0, 10**7)
                urls = [f"{settings.base_url}case/{r.slug}" for r in records]
                print(orjson.dumps(urls).decode(), flush=True)
    finally:
        server.stop()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
