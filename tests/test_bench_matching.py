"""bench/matching.py stays runnable and keeps its goals on a small population (issue 15 item 7):
the real matcher over the synthetic truth, one incremental step over a real store, and the harvest
step beside another tree's engine."""

from __future__ import annotations

from pathlib import Path

from bench import matching


def test_quality_meets_the_goals_on_a_small_population():
    figures = matching.quality(themes=40)
    assert figures["seekers"] >= 160
    assert figures["precision@5"] >= 0.7, figures
    assert figures["recall@10"] >= 0.8, figures


def test_one_new_need_is_matched_by_one_refresh():
    figures = matching.incremental(3000, repeats=2)
    assert figures["cases"] == 3000
    assert figures["lists rewritten per new need (median)"] >= 1  # the new need's own list at least
    assert figures["one new need, max (s)"] > 0  # measured, not judged: speed is for bench/, not tests


def test_the_harvest_step_runs_another_tree_beside_this_one():
    """Side by side with itself as the base: the same pages give the same lists on both sides."""
    figures = matching.harvest_step(300, page=50, base=Path(__file__).resolve().parents[1])
    assert figures["cases"] == 300
    assert figures["same lists"] == "True"
    assert len(figures["base: CPU ms per case by fifth"].split()) == 5
