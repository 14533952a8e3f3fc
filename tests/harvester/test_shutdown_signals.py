"""SIGTERM and SIGINT end `stafett demo` and `stafett registry serve` with every process they started.

Each command runs as a real subprocess in its own session (so its process group is known), is
left to serve, and gets one signal. Then no process of that group may remain (workers orphaned
by their parent keep the group), every descendant seen while serving must be gone, and the demo's
temp folder must be removed. Processes are read from /proc.
"""

import ctypes
import os
import platform
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx
import pytest
from harvest_support import FeedServer, case_doc, wait_for

from stafett.shutdown import FORCED_EXIT  # the watchdog ended an overrunning cleanup

STOP_WITHIN = 60  # seconds for the command to stop its servers, schedulers and workers
SPARQL_WORKER = "stafett.harvester.sparql.worker"
PARSER_WORKER = "multiprocessing.spawn"


def stat_of(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a live process, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1]), int(fields[2])


def alive(pid: int) -> bool:
    stat = stat_of(pid)
    return stat is not None and stat[0] != "Z"  # a zombie has ended; only its exit status is left


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def descendants(root: int) -> dict[int, str]:
    parents = {pid: stat[1] for pid in all_pids() if (stat := stat_of(pid))}
    found, todo = {}, [root]
    while todo:
        current = todo.pop()
        for pid, parent in parents.items():
            if parent == current and pid not in found:
                found[pid] = command_line(pid)
                todo.append(pid)
    return found


def group_members(group: int) -> list[int]:
    return [pid for pid in all_pids() if (stat := stat_of(pid)) and stat[2] == group and stat[0] != "Z"]


def start(command: list[str], tmp_path: Path, **env) -> tuple[subprocess.Popen, Path, Path]:
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    process = subprocess.Popen(
        command, stdout=out.open("w"), stderr=err.open("w"), start_new_session=True, env={**os.environ, **env}
    )
    return process, out, err


def tgkill(pid: int, tid: int, signum: int) -> None:
    """Send a signal to one thread of a process (Linux `tgkill`; Python has no call for another
    process's thread)."""
    number = {"x86_64": 234, "aarch64": 131}[platform.machine()]
    if ctypes.CDLL(None, use_errno=True).syscall(number, pid, tid, signum) != 0:
        raise OSError(ctypes.get_errno(), f"tgkill({pid}, {tid}, {signum})")


def to_another_thread(process: subprocess.Popen, signum: int) -> None:
    """The signal, as the kernel may deliver a process's SIGTERM: to a thread that is not the main one."""
    others = sorted(int(tid) for tid in os.listdir(f"/proc/{process.pid}/task") if int(tid) != process.pid)
    assert others, "the command has no thread but its main one"
    tgkill(process.pid, others[-1], signum)


def stop_and_check(
    process: subprocess.Popen,
    signum: int,
    workers: dict[int, str],
    err: Path,
    send=subprocess.Popen.send_signal,
) -> float:
    """Send one signal (by `send`); return the seconds until the command and all its processes were gone.

    A cleanup that overran is ended by the command's watchdog (stafett/shutdown.py, exit status
    70): every process still has to be gone, and the stacks it wrote are shown as a warning, so a
    hang seen on a slow machine can be diagnosed from the test run's output."""
    began = time.monotonic()
    send(process, signum)
    try:
        process.wait(STOP_WITHIN)
    except subprocess.TimeoutExpired:
        tail = err.read_text()[-4000:]
        raise AssertionError(f"still running {STOP_WITHIN} s after the signal: {tail}") from None
    if process.returncode == FORCED_EXIT:
        warnings.warn(f"the stop overran and was forced: {err.read_text()[-6000:]}", stacklevel=2)
    wait_for(lambda: not group_members(process.pid), 10, "the process group to empty")
    left = {pid: line for pid, line in workers.items() if alive(pid)}
    assert not left, f"still running after {signal.Signals(signum).name}: {left}"
    return time.monotonic() - began


def kill_group(process: subprocess.Popen) -> None:
    """Cleanup for a failed test only: our own subprocess's group, by its id."""
    if group_members(process.pid):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


STOPS = [
    (signal.SIGTERM, subprocess.Popen.send_signal),
    (signal.SIGINT, subprocess.Popen.send_signal),
    (signal.SIGTERM, to_another_thread),  # the demo hung on this before it slept in short steps
]
STOP_IDS = ["SIGTERM", "SIGINT", "SIGTERM to another thread"]


@pytest.mark.parametrize(("signum", "send"), STOPS, ids=STOP_IDS)
def test_demo_ends_every_process_and_removes_its_temp_folder(tmp_path, signum, send):
    temp = tmp_path / "tmp"
    temp.mkdir()
    process, out, err = start([sys.executable, "-m", "stafett", "demo"], tmp_path, TMPDIR=str(temp))
    try:
        wait_for(lambda: "Serving" in out.read_text() or process.poll() is not None, 180, "the demo")
        assert process.poll() is None, err.read_text()[-2000:]
        [data_dir] = list(temp.glob("stafett-demo-*"))
        assert str(data_dir) in err.read_text()
        workers = descendants(process.pid)
        assert any(SPARQL_WORKER in line for line in workers.values()), workers
        assert any(PARSER_WORKER in line for line in workers.values()), workers
        seconds = stop_and_check(process, signum, workers, err, send)
        assert not data_dir.exists(), "the demo's temp folder is still there"
        assert list(temp.iterdir()) == []
        print(f"demo stopped by {signal.Signals(signum).name} in {seconds:.1f} s")
    finally:
        kill_group(process)


def serve_registry(tmp_path: Path, node: FeedServer) -> tuple[subprocess.Popen, dict[int, str], Path]:
    """`stafett registry serve` after its first harvest, with its SPARQL and parser workers."""
    node.publish("Create", case_doc(node.base, "c0"))
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[sources.n]\nurl = "{node.base}"\nnamespaces = ["{node.base}"]\n')
    command = [
        sys.executable,
        "-m",
        "stafett",
        "registry",
        "serve",
        "--data-dir",
        str(tmp_path / "r"),
        "--sources",
        str(sources),
        "--allow-loopback",
        "--port",
        "0",
    ]
    # every page through the parser worker, so that process exists to be stopped
    process, _out, err = start(command, tmp_path, STAFETT_REGISTRY_PARSER_ISOLATION="always")

    def announced():
        lines = [x for x in err.read_text().splitlines() if x.startswith("registry at ")]
        return lines[0] if lines else process.poll() is not None

    line = wait_for(announced, 60, "the registry")
    assert process.poll() is None, err.read_text()[-2000:]
    base = line.split()[2]
    wait_for(
        lambda: httpx.get(base + "reports", timeout=5).json()["sources"][0]["cases"] == 1,
        60,
        "the first harvest",
    )
    assert httpx.post(base + "sparql", data={"query": "ASK {}"}, timeout=10).status_code == 200
    workers = descendants(process.pid)
    assert any(SPARQL_WORKER in x for x in workers.values()), workers
    assert any(PARSER_WORKER in x for x in workers.values()), workers
    return process, workers, err


@pytest.mark.parametrize(("signum", "send"), STOPS, ids=STOP_IDS)
def test_registry_serve_ends_every_process(tmp_path, signum, send):
    node = FeedServer()
    process = None
    try:
        process, workers, err = serve_registry(tmp_path, node)
        seconds = stop_and_check(process, signum, workers, err, send)
        print(f"registry stopped by {signal.Signals(signum).name} in {seconds:.1f} s")
    finally:
        if process:
            kill_group(process)
        node.stop()


def test_workers_end_by_themselves_when_the_registry_is_killed(tmp_path):
    """SIGKILL runs no cleanup at all: the workers notice the lost parent and exit."""
    node = FeedServer()
    process = None
    try:
        process, workers, _err = serve_registry(tmp_path, node)
        process.kill()
        process.wait(10)
        wait_for(lambda: not group_members(process.pid), 10, "the orphaned workers to exit")
        assert not [pid for pid in workers if alive(pid)]
    finally:
        if process:
            kill_group(process)
        node.stop()
