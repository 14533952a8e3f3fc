"""One guarded worker process for work on untrusted input: the parser's, the page workers' and the
canonicaliser's (harvester/parse.py, harvester/workers.py, stafett/integrity/canon.py).

A single-process pool started with `spawn` (no inherited threads or locks) on first use. In the
worker: an address-space cap, so a runaway parser or canonicaliser dies alone; Ctrl-C ignored,
because a terminal's Ctrl-C reaches the whole process group and the owner stops its workers
itself; and an exit within a second once its parent is gone (the owner killed outright), so no
worker outlives what started it. `kill()` ends a worker that hangs (work in Rust does not stop by
itself) and reaps it; the next `submit` starts a fresh one.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path


class WorkerProcess:
    """A guarded worker process; `ready` runs in it once after the guards (e.g. to load shapes)."""

    def __init__(self, memory_limit: int, ready: Callable[[], object] | None = None) -> None:
        self.memory_limit = memory_limit
        self.ready = ready
        self.pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self.pool is not None

    def submit(self, fn: Callable, *args) -> Future:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start_guarded,
                initargs=(self.memory_limit, self.ready),
            )
        return self.pool.submit(fn, *args)

    def pids(self) -> list[int]:
        return list(getattr(self.pool, "_processes", None) or {})

    def cpu_seconds(self) -> float:
        return sum(process_cpu_seconds(pid) for pid in self.pids())

    def kill(self) -> float:
        """End the worker now (what it was doing is lost) and reap it; returns the CPU it had used."""
        if self.pool is None:
            return 0.0
        spent = self.cpu_seconds()
        processes = list(getattr(self.pool, "_processes", {}).values())
        for process in processes:
            process.kill()
        # Not cancel_futures: jobs queued behind the killed one must fail as BrokenProcessPool (the
        # pool's own verdict on a dead worker), which their callers retry, not as a cancellation.
        self.pool.shutdown(wait=False)
        for process in processes:
            process.join(5)  # reaped: nothing is left behind as a zombie
        self.pool = None
        return spent


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a live process, from /proc (0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- in the worker process


def start_guarded(memory_limit: int, ready: Callable[[], object] | None) -> None:
    limit_memory(memory_limit)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=exit_when_orphaned, args=(parent,), daemon=True).start()
    if ready is not None:
        ready()


def limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform; the owner's size and time bounds still apply


def exit_when_orphaned(parent: int, every: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(0)
