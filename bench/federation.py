"""Many real nodes on loopback behind one server: node i lives at http://127.0.0.1:<port>/n<i>/.

Each node is its own `create_app(settings, store)` with its own SQLite store and base URL, mounted
under its path prefix, so a 1,000-node federation needs one socket and one server thread instead
of a thousand. Nodes are filled in-process through the node's own publishing flow (parse,
normalise, validate, store), in worker processes because validation dominates.
"""

from __future__ import annotations

import multiprocessing
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench.generate import Federation, Node


@dataclass(frozen=True)
class ServedNode:
    name: str
    base_url: str
    data_dir: Path


def node_settings(node: Node, first_doc: dict, base_url: str, data_dir: Path):
    from stafett.node.settings import NodeSettings

    buyer = first_doc["buyer"][0]
    langs = tuple(dict.fromkeys([node.lang, "en"]))
    from bench.node_server import unthrottled

    return NodeSettings(
        base_url=base_url,
        data_dir=data_dir,
        org_name=buyer["name"],
        org_number=buyer["orgNumber"],
        country=buyer["country"],
        languages=langs,
        **unthrottled(),
    )


def fill_node(job: tuple) -> tuple[int, int]:
    """Publish one node's cases through the node's own flow; returns (published, refused)."""
    from stafett.node import publish
    from stafett.node.store import NodeStore
    from stafett.problems import Problem

    settings_args, docs = job
    settings = node_settings(*settings_args)
    store = NodeStore(settings.database_path)
    done = refused = 0
    try:
        for slug, raw in docs:
            try:
                triples = publish.parse(raw, "application/ld+json", settings)
                publish.commit(store, settings, publish.prepare(triples, settings, slug), create_only=True)
                done += 1
            except Problem:
                refused += 1
    finally:
        store.close()
    return done, refused


def fill(fed: Federation, served: dict[int, ServedNode], processes: int) -> tuple[int, int]:
    by_node = fed.by_node()
    jobs = []
    for node in fed.nodes:
        cases = by_node[node.index]
        if not cases:
            continue
        s = served[node.index]
        jobs.append(
            (
                (node, cases[0].doc, s.base_url, s.data_dir),
                [(c.slug, orjson.dumps(c.authored())) for c in cases],
            )
        )
    if processes <= 1:
        results = [fill_node(job) for job in jobs]
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            results = pool.map(fill_node, jobs, chunksize=1)
    return sum(r[0] for r in results), sum(r[1] for r in results)


@contextmanager
def serve(fed: Federation, workdir: Path, processes: int = 1, sock=None):
    """Fill every node of `fed` and serve them all; yields {node index: ServedNode}.

    Pass the socket whose URL the federation was generated under (`generate(base_url=...n{index})`)
    so the node-minted case IRIs equal the generated ones and cross-links resolve.
    """
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from stafett.node.app import create_app
    from stafett.node.store import NodeStore
    from stafett.serving import bind, serve_in_thread, url_of

    sock = sock or bind()
    root = url_of(sock)
    served = {}
    for node in fed.nodes:
        data_dir = workdir / f"n{node.index}"
        data_dir.mkdir(parents=True, exist_ok=True)
        served[node.index] = ServedNode(f"n{node.index}-{node.slug}", f"{root}n{node.index}/", data_dir)
    published, refused = fill(fed, served, processes)
    by_node = fed.by_node()
    stores, mounts = [], []
    for node in fed.nodes:
        s = served[node.index]
        docs = by_node[node.index]
        if not docs:
            continue
        settings = node_settings(node, docs[0].doc, s.base_url, s.data_dir)
        store = NodeStore(settings.database_path)
        stores.append(store)
        mounts.append(Mount(f"/n{node.index}", app=create_app(settings, store)))
    server = serve_in_thread(Starlette(routes=mounts), sock)
    try:
        yield {i: s for i, s in served.items() if by_node[i]}, published, refused
    finally:
        server.stop()
        for store in stores:
            store.close()


def main() -> int:
    """Serve a federation from its own process (see bench.harvest): one JSON job line on stdin,
    {"size", "seed", "base_url", "fd", "workdir", "processes"}; prints one JSON line with the
    served nodes, then serves until stdin closes. `fd` is the listening socket the parent bound
    (and generated its case IRIs under), passed down with `pass_fds`."""
    import socket
    import sys
    import time

    from bench.generate import generate

    job = orjson.loads(sys.stdin.readline())
    fed = generate(job["size"], seed=job["seed"], nodes=job.get("nodes"), base_url=job["base_url"])
    sock = socket.socket(fileno=job["fd"])
    start = time.perf_counter()
    with serve(fed, Path(job["workdir"]), job["processes"], sock) as (served, published, refused):
        report = {
            "nodes": [[s.name, s.base_url] for s in served.values()],
            "published": published,
            "refused": refused,
            "fill_seconds": time.perf_counter() - start,
        }
        print(orjson.dumps(report).decode(), flush=True)
        sys.stdin.read()  # serve until the parent closes our input
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
