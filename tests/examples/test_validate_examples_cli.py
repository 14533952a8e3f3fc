"""Issue 2's done-criterion, as a publisher would run it: `stafett validate examples/` passes."""

import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_stafett_validate_examples_passes():
    run = subprocess.run(
        [sys.executable, "-m", "stafett", "validate", "examples/", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert '"Violation"' not in run.stdout
    cases = sorted(p.name for p in (REPO / "examples" / "cases").glob("*.jsonld"))
    assert len(cases) >= 15
    assert all(name in run.stdout for name in cases)  # every case was actually read
