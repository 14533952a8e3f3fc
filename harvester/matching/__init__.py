"""Matchmaking (issue 15): for each planned need and each case open for partners, the other
organisations' needs, open offers and past cases that fit, with a score and reasons.

profile.py (what a case offers to matching) → score.py (one pair) → engine.py (the registry's lists,
kept in step incrementally) → graph.py (the matches graph in the store) → words.py (reasons in
the reader's language). docs/matching.md describes the rules and the graph.
"""
