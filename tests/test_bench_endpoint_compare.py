"""The endpoint comparison (bench/endpoint_compare.py) still runs small, filled or from a given store.

A benchmark is not a test of speed: this checks that the real registry endpoint and the engine
answer every bench and example query on the same store with the same rows, both on a store the
bench fills and on a copy of one that bench/store_compare.py prepared (the 100k path).
"""

import json
import subprocess
import sys
from pathlib import Path

from bench.queries_bench import named_queries

ROOT = Path(__file__).resolve().parents[1]


def bench(*args: str) -> dict:
    run = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def assert_alike(queries: dict) -> None:
    assert set(queries) == set(named_queries())
    for name, row in queries.items():
        assert "error" not in row, (name, row)
        assert row["engine_ms"] > 0 and row["endpoint_ms"] > 0, (name, row)
        assert row["rows"][0] == row["rows"][1], (name, row)
    assert sum(row["rows"][0] for row in queries.values()) > 0


def test_the_endpoint_comparison_on_a_store_it_fills():
    got = bench("bench.endpoint_compare", "--cases", "20", "--repeats", "1")
    assert got["fill_s"] > 0
    for phase in ("as-harvested", "optimized"):
        assert_alike(got[phase]["queries"])


def test_the_endpoint_comparison_on_a_copy_of_a_prepared_store(tmp_path):
    prepared = bench("bench.store_compare", "--cases", "20", "--prepare-only", "--work", str(tmp_path))
    got = bench("bench.endpoint_compare", "--store-from", str(tmp_path / "engine"), "--repeats", "1")
    assert got["quads"] == prepared["engine_quads"]
    assert list(got) == ["repeats", "store_from", "quads", "as-given"]
    assert_alike(got["as-given"]["queries"])
