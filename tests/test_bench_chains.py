"""The adoption-chain benchmark (bench/chains_bench.py) still works at a small size: it generates
cases with adoption links stated on both sides, loads them into a real store, and every answer of
query 22 equals the adopters computed from the documents (the bench asserts it per solution)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `bench` is a folder of the repository, not an installed package


def test_the_generator_states_adoptions_on_both_sides():
    from bench.generate import generate

    fed = generate(400, seed=7)
    assert sum(1 for c in fed.cases if c.doc["adoptedFrom"]) > 50
    stated_by_original = [(c.id, a) for c in fed.cases for a in c.doc["adoptedBy"]]
    assert stated_by_original, "some originals confirm their adopters"
    by_id = {c.id: c for c in fed.cases}
    assert all(original in by_id[a].doc["adoptedFrom"] for original, a in stated_by_original)


def test_a_small_run_checks_every_answer_and_reports_the_goal(tmp_path):
    from bench import chains_bench

    result = chains_bench.run(600, repeats=1, targets=3, workdir=tmp_path)
    assert result["quads"] > 600 * 40
    assert result["rows"][0]["kind"] == "most adopters" and result["rows"][0]["adopters"] >= 1
    assert all(row["walk_cases"] >= 2 for row in result["rows"])
    assert set(result["whole"]) >= {"23-cases-per-country", "29-open-offers"}
    text = chains_bench.report(result)
    assert "goal ≤ 200 ms" in text and "query 22 median" in text
