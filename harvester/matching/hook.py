"""The harvest's one call into matching: after a page is committed, the cases it changed."""

from __future__ import annotations

import logging

from stafett.harvester.admit import ACCEPT, DELETE, Decision
from stafett.harvester.matching.engine import Matcher

log = logging.getLogger("stafett.harvester.matching")


def refresh_matches(matcher: Matcher | None, decisions: list[Decision]) -> None:
    """Bring the matches up to date with the page's accepted and deleted cases. The store has
    committed already: a failure here costs the matches' freshness, never the harvest; the lists
    are then built afresh from the store on the next page."""
    changed = [d.member.case for d in decisions if d.verdict in (ACCEPT, DELETE) and d.member.case]
    if matcher is None or not changed:
        return
    try:
        matcher.refresh(changed)
    except Exception:
        log.exception("matches could not be brought up to date; they are rebuilt on the next page")
        matcher.loaded = False
