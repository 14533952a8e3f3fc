"""A benchmark server in its own process, driven by JSON lines on stdin/stdout.

The node and the federation run outside the measuring process so their CPU and memory are
their own; both are started, told their job and stopped the same way.
"""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import orjson

REPO = Path(__file__).parent.parent


@contextmanager
def job_process(module: str, job: dict, *, pass_fds: tuple[int, ...] = (), stop_timeout: float = 30):
    """Start `python -m module`, send it `job`, yield (process, its first JSON reply); then stop it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        pass_fds=pass_fds,
        cwd=REPO,
    )
    try:
        proc.stdin.write(orjson.dumps(job).decode() + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {module} process did not start")
        yield proc, orjson.loads(line)
    finally:
        proc.stdin.close()  # the child's signal to finish
        try:
            proc.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            proc.kill()  # our own child, by its handle
            proc.wait()
