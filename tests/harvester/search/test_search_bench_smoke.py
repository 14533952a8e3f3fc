"""The search bench still runs: `python -m bench.search_bench` at a tiny size prints every row
with a number (real nodes, two real harvests, /search over HTTP, SPARQL on the same store).
Benchmarks are not tests: this checks that each measure is made, not how fast it is."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ROWS = (
    "/search JSON over HTTP",
    "closest SPARQL",
    "index rebuild",
    "reading cases back",
    "tantivy indexing",
    "index size per case",
    "first harvest with the index",
    "page updates",
)


def test_every_measure_of_the_search_bench_has_a_number():
    run = subprocess.run(
        [sys.executable, "-m", "bench.search_bench", "--cases", "30", "--repeats", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert "30 synthetic cases, 30 indexed" in lines[0]
    for name in ROWS:
        row = next(line for line in lines if name in line)
        figure = row.split("|")[2]
        assert re.search(r"\d", figure), row
