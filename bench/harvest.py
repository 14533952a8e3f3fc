"""Harvest throughput through the real harvester (placeholder until the pipeline lands)."""

from __future__ import annotations

from importlib.util import find_spec

from bench.measure import Row


def measure(fed, opts, shared) -> list[Row]:
    if find_spec("stafett.harvester.pipeline") is None:
        return [Row("harvest", "harvester not built yet", "",
                    note="stafett.harvester.pipeline does not exist yet")]
    return []
