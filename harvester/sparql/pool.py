"""A small pool of query worker processes behind a bounded queue.

`Admission` lets at most `workers + queue_size` requests in, and at most a client's share from
one client (one more is refused with 429, before any parsing); fairness.py decides whose query
runs next; `run()` waits for an idle worker, sends the query and waits at most `timeout`
seconds for the answer. At the deadline the worker is killed by its PID (pyoxigraph has no
cancel) and a fresh one takes its place, so the endpoint keeps answering. Blocking pipe I/O runs
on a dedicated thread pool, never the event loop.
"""

from __future__ import annotations

import asyncio
import math
import os
import pickle
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from stafett.harvester.sparql.worker import HEADER, write_message
from stafett.problems import Problem, refusal

# A fresh interpreter, not fork: forking a process that runs uvicorn's loop and RocksDB threads is unsafe.
WORKER_COMMAND = [sys.executable, "-m", "stafett.harvester.sparql.worker"]


def limit_problem(
    status: int, slug: str, title: str, detail: str, headers: dict[str, str] | None = None
) -> Problem:
    return refusal(status, slug, title, detail, rule="sparql-limits", headers=headers)


class Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, memory_mb: int = 0) -> None:
        command = [*WORKER_COMMAND, "--memory-mb", str(memory_mb)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
        )
        self.snapshot: Path | None = None  # what it has open (kept until its next query)

    @property
    def pid(self) -> int:
        return self.process.pid

    def exchange(self, request: dict, timeout: float) -> dict | None:
        """The worker's answer, or None when the deadline passed. EOFError if the worker died."""
        deadline = time.monotonic() + timeout
        self.snapshot = Path(request["snapshot"])
        write_message(self.process.stdin.fileno(), request)
        header = self._read(HEADER.size, deadline)
        if header is None:
            return None
        body = self._read(HEADER.unpack(header)[0], deadline)
        return None if body is None else pickle.loads(body)  # noqa: S301 - the child we started

    def _read(self, size: int, deadline: float) -> bytes | None:
        fd, chunks, remaining = self.process.stdout.fileno(), [], size
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError("the worker process exited")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.kill(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()


class Admission:
    """At most `running + waiting` requests inside (parsing, queued or running), and at most
    `per_client` of them from one client; one more gets 429 (only that client, when it is its share).

    Taken before the query is parsed, so a flood of distinct heavy queries cannot keep the
    CPU busy in the parser either; it bounds forwards to an external store the same way.
    """

    def __init__(self, running: int, waiting: int, retry_after: float, per_client: int = 0) -> None:
        self.running, self.waiting = max(1, running), max(0, waiting)
        self.per_client = per_client if per_client > 0 else self.running + self.waiting
        # every 429 of this admission carries it (sent by the HTTP edge, stafett/web.py)
        self.retry_headers = {"Retry-After": str(max(1, math.ceil(retry_after)))}
        self.active = 0
        self.by_client: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def admit(self, client: str):
        with self._lock:
            if self.by_client[client] >= self.per_client:
                raise limit_problem(
                    429,
                    "client-over-share",
                    "Too many queries from this client",
                    f"This client has {self.per_client} queries running or waiting, its share of this "
                    "endpoint. Retry after the time in the Retry-After header.",
                    self.retry_headers,
                )
            if self.active >= self.running + self.waiting:
                raise limit_problem(
                    429,
                    "too-many-queries",
                    "Too many queries at once",
                    f"{self.running} queries are running and {self.waiting} are waiting, the most this "
                    "endpoint accepts. Retry after the time in the Retry-After header.",
                    self.retry_headers,
                )
            self.active += 1
            self.by_client[client] += 1
        try:
            yield self
        finally:
            with self._lock:
                self.active -= 1
                self.by_client[client] -= 1
                if self.by_client[client] <= 0:
                    del self.by_client[client]


class WorkerPool:
    def __init__(self, size: int, queue_size: int, timeout: float, memory_mb: int = 0) -> None:
        self.size, self.queue_size, self.timeout = max(1, size), max(0, queue_size), timeout
        self.memory_mb = memory_mb
        self._workers = [Worker(memory_mb) for _ in range(self.size)]
        self._idle: queue.Queue[Worker] = queue.Queue()
        for item in self._workers:
            self._idle.put(item)
        self._lock = threading.Lock()
        self._threads = ThreadPoolExecutor(self.size + self.queue_size, thread_name_prefix="sparql")
        self.killed = 0  # queries stopped at the deadline (for tests and logs)
        self.lease = None  # Callable[[Worker], Path]: the snapshot a worker should query (set by the service)

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self._workers]

    def snapshots_in_use(self) -> set[Path]:
        return {w.snapshot for w in self._workers if w.snapshot is not None}

    async def run(self, request: dict) -> dict:
        """Callers are already admitted (`Admission`), so at most size + queue_size arrive here."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._run_blocking, request)

    def _run_blocking(self, request: dict) -> dict:
        try:
            current = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise limit_problem(
                503,
                "queue-timeout",
                "The query waited too long",
                f"No worker was free within {self.timeout:g} s. Try again later.",
            ) from None
        if current.process.poll() is not None:  # died while idle (OOM killer, operator): replace it
            current = self._replace(current)
        if self.lease is not None:
            request = {**request, "snapshot": str(self.lease(current))}
        try:
            answer = current.exchange(request, self.timeout)
        except (EOFError, OSError, BrokenPipeError):
            answer = self._crash_answer(current)
            current = self._replace(current)
        if answer is None:
            current = self._replace(current)
            self.killed += 1
            self._idle.put(current)
            raise limit_problem(
                503,
                "query-timeout",
                "The query ran out of time",
                f"The query was stopped after the time limit of {self.timeout:g} seconds. Make it more "
                "selective (add patterns, FILTERs or a LIMIT) or ask for fewer results.",
            )
        self._idle.put(current)
        return answer

    def _crash_answer(self, dead: Worker) -> dict:
        try:
            code = dead.process.wait(2)
        except subprocess.TimeoutExpired:
            code = None
        if self.memory_mb and code == -signal.SIGABRT:  # Rust aborts when an allocation fails
            return {
                "ok": False,
                "status": 503,
                "slug": "query-memory-limit",
                "detail": f"The query needed more than the memory limit of {self.memory_mb} MB and "
                "was stopped. Make it more selective or ask for fewer results.",
            }
        return {
            "ok": False,
            "status": 500,
            "slug": "worker-crashed",
            "detail": "The query process stopped while running the query; the query was not answered.",
        }

    def _replace(self, dead: Worker) -> Worker:
        dead.kill()
        fresh = Worker(self.memory_mb)
        with self._lock:
            self._workers[self._workers.index(dead)] = fresh
        return fresh

    def close(self) -> None:
        for item in self._workers:
            item.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)
