"""A cleanup that hangs after a stop signal is cut short in bounded time (stafett/shutdown.py).

A real Python process arms the watchdog with a one-second grace, starts a child process and then
never finishes its cleanup. The watchdog must write the threads' stacks, kill the child, run the
last step it was given and exit with status 70, so no process outlives the command.
"""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HANGING_COMMAND = textwrap.dedent(
    """
    import subprocess, sys, threading
    from pathlib import Path
    from stafett.shutdown import cleanup_deadline

    marker = Path(sys.argv[1])
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    print(child.pid, flush=True)
    cleanup_deadline("hanging command", [marker.unlink], grace=1)
    threading.Event().wait()  # a cleanup step that never returns
    """
)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_hanging_cleanup_is_ended_with_its_children_and_its_stacks_written(tmp_path):
    marker = tmp_path / "temp-folder-stand-in"
    marker.write_text("left by the command")
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", HANGING_COMMAND, str(marker)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    took = time.monotonic() - began
    child = int(done.stdout.split()[0])

    assert done.returncode == 70, done.stderr
    assert took < 15, f"the forced stop took {took:.1f} s"
    assert "hanging command: stopping did not finish within 1 s" in done.stderr
    assert "Thread 0x" in done.stderr and "threading.py" in done.stderr  # the stacks, to find the hang
    assert not marker.exists(), "the last step (removing the temp folder) did not run"
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "the child process outlived the command"
