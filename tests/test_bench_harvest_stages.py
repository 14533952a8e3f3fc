"""The stage clock of a first harvest (bench/harvest_stages.py) still runs small, on real nodes.

Not a test of speed: it checks that both sides harvest every case, that the page workers do the
parsing and validation on the side that has them (and the registry process on the side that
does not), and that each wrapped stage was reached, so a renamed pipeline function fails here.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_stage_clock_sees_where_parsing_and_validation_run():
    run = subprocess.run(
        [sys.executable, "-m", "bench.harvest_stages", "--cases", "40", "--workers", "0", "--workers", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    alone, pooled = json.loads(run.stdout)["sides"]
    assert alone["accepted"] == pooled["accepted"] == 40
    assert alone["page_workers_cpu_ms_per_case"] == 0 and pooled["page_workers_cpu_ms_per_case"] > 0
    stages = alone["stages_ms_per_case"]
    for label in ("loop: parse in process", "loop: validation in process", "writer: store commit"):
        assert stages.get(label, 0) > 0, (label, stages)
    moved = pooled["stages_ms_per_case"]
    assert moved.get("loop: page rebuilt from a worker's text", 0) > 0
    assert "loop: parse in process" not in moved and "loop: validation in process" not in moved
    assert moved.get("writer: matches", 0) > 0 and moved.get("loop: proofs", 0) > 0
