"""The signing benchmark (bench/signing.py) still runs at a tiny scale and measures every figure.

A benchmark is not a test of speed: this checks that each stage runs (a real node signs, a real
registry harvests with verification on and off, every case verifies) and reports a number.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("mode", [[], ["--grown", "3"]], ids=["fresh registries", "grown registry"])
def test_the_signing_benchmark_runs_small(mode):
    run = subprocess.run(
        [sys.executable, "-m", "bench.signing", "--cases", "8", "--repeats", "1", "--json", *mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["cases"] == 8
    for key in (
        "sign_per_s",
        "verify_per_s",
        "harvest_verify_on_cases_per_s",
        "harvest_verify_off_cases_per_s",
        "harvest_verify_on_cases_per_cpu_s",
        "harvest_verify_off_cases_per_cpu_s",
    ):
        assert figures[key] > 0, key
    assert -1 < figures["verification_cost_share"] < 1
    if mode:  # the first harvest of the 8 is reported apart from the rounds of 3 more each
        assert figures["grown_batch"] == 3
        assert figures["first_harvest_cases_per_s"] > 0
