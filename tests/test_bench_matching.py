"""bench/matching.py stays runnable and keeps its goals on a small population (issue 15 item 7):
the real matcher over the synthetic truth, and one incremental step over a real store."""

from __future__ import annotations

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
    assert figures["one new need, max (s)"] < 5  # a loose bound on a shared machine; the goal is in docs
