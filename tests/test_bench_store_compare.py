"""The store comparison (bench/store_compare.py) still runs small, on a real Virtuoso, and compares answers.

A benchmark is not a test of speed: this checks that the same quads reach both stores, that
every bench and example query gets a figure on each side, that both give the same number of rows
(a faster answer that is a different answer would make the comparison a lie), and that a second
run in the same folder reuses the filled store and Virtuoso's database instead of loading again.
"""

import json
import subprocess
import sys
from pathlib import Path

from bench.queries_bench import named_queries

ROOT = Path(__file__).resolve().parents[1]


def compare(work: Path) -> dict:
    command = [sys.executable, "-m", "bench.store_compare", "--cases", "40", "--repeats", "1"]
    command += ["--work", str(work), "--virtuoso-buffers", "10000"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_the_store_comparison_answers_alike_on_both_stores(tmp_path):
    first = compare(tmp_path)
    assert first["engine_quads"] > 40 * 50  # every case's graph and its provenance
    assert first["virtuoso_quads"] == first["engine_quads"]
    assert "virtuoso_load_errors" not in first
    assert set(first["queries"]) == set(named_queries())
    for name, row in first["queries"].items():
        assert row["engine_ms"] > 0 and row["virtuoso_ms"] > 0, (name, row)
        assert row["same_rows"], (name, row)
    assert sum(row["engine_rows"] for row in first["queries"].values()) > 0

    again = compare(tmp_path)
    assert (again["fill_s"], again["virtuoso_load_s"]) == (first["fill_s"], first["virtuoso_load_s"])
    assert again["virtuoso_quads"] == first["engine_quads"]
