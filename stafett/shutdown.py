"""SIGTERM ends a long-running command the way Ctrl-C does, and cleanup runs to its end.

Python's default SIGTERM action ends the process at once: no `finally`, no atexit, so the worker
processes it started (SPARQL pool, parser pool) were left running with no parent and the demo's
temp folder stayed. Commands that serve until stopped (`stafett demo`, `stafett registry serve`)
call `stop_on_signals()` first: SIGTERM or SIGINT then raises KeyboardInterrupt in the main
thread, so their `finally` blocks stop servers, kill workers and remove temp folders. Further
signals during that cleanup are ignored: a second Ctrl-C must not cut it short halfway. Uvicorn
captures both signals while it serves and raises them again once it has shut down, which
reaches this handler.
"""

from __future__ import annotations

import signal

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


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
