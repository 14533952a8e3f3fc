"""The benchmark harness still works: a smoke run at the smallest size prints every row with numbers.

Runs `python -m bench.run --smoke` (20 cases, 1 s load phases) as CI would, in a subprocess with its
own results directory, and reads the JSON it writes. Benchmarks are not tests: this checks that
each stage runs and measures something, not how fast it is.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `bench` is a folder of the repository, not an installed package


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench")
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--workdir", str(workdir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((workdir / "run-20.json").read_text())
    return run.stdout, result


def test_machine_and_versions_are_reported(smoke):
    stdout, result = smoke
    for key in ("cpu", "cores", "memory", "python", "pyoxigraph", "pyshacl", "date", "federation"):
        assert result["machine"][key], key
    assert "| machine |" in stdout and "| section | measure |" in stdout


def test_no_stage_failed(smoke):
    _, result = smoke
    failed = [r for r in result["rows"] if r["name"] in ("stage failed",) or "not built yet" in r["name"]]
    assert not failed, failed


EXPECTED = {
    "components (docs/s)": 5,
    "ingest per stage, in process (cases/s)": 4,
    "node on loopback, one server thread (requests/s)": 4,
    "harvest, nodes on loopback (cases/s)": 3,
    "store": 4,
}


def test_every_expected_row_has_a_positive_number(smoke):
    _, rows = smoke[0], smoke[1]["rows"]
    by_section = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    for section, count in EXPECTED.items():
        got = by_section.get(section, [])
        assert len(got) >= count, (section, [r["name"] for r in got])
        for row in got:
            assert (row["ours"] or 0) > 0 or (row["naive"] or 0) > 0, row
    sparql = [r for r in rows if r["section"].startswith("sparql latency")]
    assert len(sparql) >= 8  # four bench queries, median and p95 each
    for row in sparql:
        assert row["naive"] > 0 and row["ours"] is not None and row["ours"] > 0, row


def test_generator_is_deterministic_and_covers_every_language():
    from bench.generate import generate

    first, second = generate(60, seed=3), generate(60, seed=3)
    assert [c.to_bytes() for c in first.cases] == [c.to_bytes() for c in second.cases]
    assert {c.node.lang for c in first.cases} == {"sv", "nb", "nn", "da", "fi", "is", "en"}
    assert len(first.nodes) == 10
    assert generate(60, seed=4).cases[0].to_bytes() != first.cases[0].to_bytes()


def test_generated_cases_are_valid_and_40_to_120_triples():
    from bench.generate import generate
    from stafett.shapes import validate_quads
    from stafett.vocabulary.jsonld import json_ld_to_quads, load_json

    for case in generate(12, seed=5).cases:
        quads = json_ld_to_quads(load_json(case.to_bytes()))
        assert 40 <= len(quads) <= 120, (case.id, len(quads))
        report = validate_quads(quads)
        assert report.conforms, [f.message for f in report.findings if f.severity == "Violation"]


def test_generated_cpv_codes_exist_in_the_cpv_table():
    from bench import wordlists

    text = (ROOT / "vocabulary" / "reference" / "cpv.ttl").read_text("utf-8")
    for _, codes, _ in wordlists.SUBJECTS:
        for code in codes:
            assert f"cpv/cpv/{code}>" in text or f'"{code}"' in text, code
