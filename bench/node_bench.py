"""Node throughput on loopback (placeholder until node/app.py lands)."""

from __future__ import annotations

from importlib.util import find_spec

from bench.measure import Row


def measure(fed, opts) -> list[Row]:
    if find_spec("stafett.node.app") is None:
        return [Row("node", "node not built yet", "", note="stafett.node.app does not exist yet")]
    return []
