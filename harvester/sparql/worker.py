"""A query worker process: runs one query at a time on a read-only snapshot.

pyoxigraph's `Store.query()` cannot be cancelled, so each query runs in a separate process that the
pool kills by PID at the deadline. The process is started as `python -m` this module (not with
multiprocessing, whose "spawn" re-imports the parent's main script). Requests and answers are
length-prefixed pickles on stdin/stdout between the parent and the child it started; the answer
carries the serialised body, already capped (see `results`).
"""

from __future__ import annotations

import ctypes
import os
import pickle
import resource
import signal
import struct
import sys

import pyoxigraph as ox

from stafett.harvester.sparql import results

HEADER = struct.Struct("!I")


def write_message(fd: int, message: dict) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def read_message(fd: int) -> dict | None:
    header = _read_exact(fd, HEADER.size)
    if header is None:
        return None
    body = _read_exact(fd, HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)  # noqa: S301 - our own parent process


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _die_with_parent() -> None:
    # Linux: if the server dies mid-query, the kernel kills this worker too.
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _limit_memory(argv: list[str]) -> None:
    # A query that would eat the machine's memory ends this process instead (allocation fails).
    megabytes = int(argv[argv.index("--memory-mb") + 1]) if "--memory-mb" in argv else 0
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> None:
    _die_with_parent()
    _limit_memory(sys.argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it stops us
    requests_fd, answers_fd = sys.stdin.fileno(), os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the pipe
    serve(requests_fd, answers_fd)


def serve(requests_fd: int, answers_fd: int) -> None:
    """Worker main loop: one request in, one answer out, until the parent closes the pipe."""
    store, opened = None, None
    while True:
        request = read_message(requests_fd)
        if request is None:
            return
        try:
            if request["snapshot"] != opened:
                store, opened = None, None
                store = ox.Store.read_only(request["snapshot"])
                opened = request["snapshot"]
            answer = run(store, request)
        except SyntaxError as err:
            answer = {
                "ok": False,
                "status": 400,
                "slug": "query-syntax",
                "detail": f"The query engine could not read the query: {str(err)[:300]}",
            }
        except Exception as err:
            answer = {
                "ok": False,
                "status": 500,
                "slug": "query-failed",
                "detail": f"The query failed in the engine: {type(err).__name__}: {str(err)[:300]}",
            }
        write_message(answers_fd, answer)


def dataset_options(request: dict) -> dict:
    """Protocol dataset (default-graph-uri / named-graph-uri) > FROM in the query > union of all graphs."""
    defaults, named = request.get("default_graphs") or [], request.get("named_graphs") or []
    if defaults or named:
        return {
            "default_graph": [ox.NamedNode(g) for g in defaults],
            "named_graphs": [ox.NamedNode(g) for g in named],
        }
    if request.get("has_dataset_clause"):
        return {}
    return {"use_default_graph_as_union": True}


def run(store, request: dict) -> dict:
    """Execute on a store and serialise; shared by workers and the tests of this module."""
    answer = store.query(request["query"], base_iri=request.get("base_iri"), **dataset_options(request))
    return serialise(answer, request["form"], request["format"], request["max_rows"])


def serialise(answer, form: str, fmt: str, max_rows: int) -> dict:
    if form == "ask":
        return {"ok": True, "body": results.write_boolean(bool(answer), fmt), "truncated": False}
    if form == "graph":
        triples, truncated = results.capped(answer, max_rows)
        return {"ok": True, "body": results.write_triples(triples, fmt), "truncated": truncated}
    variables = [v.value for v in answer.variables]
    rows, truncated = results.capped(answer, max_rows)
    body = results.write_solutions(variables, rows, fmt, truncated)
    return {"ok": True, "body": body, "truncated": truncated}


if __name__ == "__main__":
    main()
