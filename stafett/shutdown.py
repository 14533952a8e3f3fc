"""SIGTERM ends a long-running command the way Ctrl-C does, and cleanup runs to its end, in bounded time.

Python's default SIGTERM action ends the process at once: no `finally`, no atexit, so the worker
processes it started (SPARQL pool, parser pool) were left running with no parent and the demo's
temp folder stayed. Commands that serve until stopped (`stafett demo`, `stafett registry serve`)
call `stop_on_signals()` first: SIGTERM or SIGINT then raises KeyboardInterrupt in the main
thread, so their `finally` blocks stop servers, kill workers and remove temp folders. Further
signals during that cleanup are ignored: a second Ctrl-C must not cut it short halfway. Uvicorn
captures both signals while it serves and raises them again once it has shut down, which
reaches this handler.

A cleanup that hangs (a thread that never returns, seen once in CI and not reproduced) must not
keep the command alive for ever with its workers: `cleanup_deadline()` arms a watchdog. When the
cleanup and the interpreter's own exit have not finished within `STOP_GRACE` seconds, it writes
every thread's stack to stderr (so the hang can be diagnosed), kills the command's child
processes, runs the last steps it was given (removing the demo's temp folder) and exits with
status 70 (EX_SOFTWARE), the way a service manager would end a unit that overran its stop timeout.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
STOP_GRACE = 40.0  # seconds; servers get 10 s each to drain, harvests are cancelled at once
FORCED_EXIT = 70  # EX_SOFTWARE: the cleanup overran and was cut short


class Stopped(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM or SIGINT; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, _frame) -> None:
    for each in STOP_SIGNALS:
        signal.signal(each, signal.SIG_IGN)  # the cleanup this starts runs to its end
    raise Stopped(signum)


def stop_on_signals() -> None:
    """Call from the main thread before starting servers or workers."""
    for each in STOP_SIGNALS:
        signal.signal(each, _stop)


def cleanup_deadline(
    command: str, last_steps: Iterable[Callable[[], None]] = (), grace: float = STOP_GRACE
) -> threading.Timer:
    """Arm the watchdog at the start of a cleanup. It is a daemon timer: a cleanup that finishes in
    time ends the process before it fires, so it is never cancelled."""
    timer = threading.Timer(grace, _force_exit, args=(command, list(last_steps), grace))
    timer.daemon = True
    timer.start()
    return timer


def _force_exit(command: str, last_steps: list[Callable[[], None]], grace: float) -> None:
    print(
        f"{command}: stopping did not finish within {grace:g} s; the stacks of its threads follow, "
        "then its child processes are killed and it exits with status 70",
        file=sys.stderr,
        flush=True,
    )
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:  # already gone
            pass
    for step in last_steps:
        try:
            step()
        except Exception as err:  # the exit below must happen whatever a step does
            print(f"{command}: while forcing the stop: {type(err).__name__}: {err}", file=sys.stderr)
    sys.stderr.flush()
    os._exit(FORCED_EXIT)


def descendants(root: int) -> list[int]:
    """Every process below `root`, children before their own children (from /proc; empty elsewhere)."""
    parents = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(entry.parent.name)] = int(entry.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):  # ended while being read
            continue
    found, todo = [], [root]
    while todo:
        current = todo.pop(0)
        children = [pid for pid, parent in parents.items() if parent == current]
        found += children
        todo += children
    return found
