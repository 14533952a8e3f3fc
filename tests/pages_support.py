"""A real federation for the page tests: the demo's nodes (examples/cases, adoption links intact,
rebased onto loopback) harvested by its real registries, the top one serving its app on loopback."""

from __future__ import annotations

import json
from pathlib import Path

from stafett.demo import DEFAULT_FEDERATION, load_federation, start_federation

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cases"


def started(folder: Path):
    """The running demo federation after one harvest of every aggregator; stop() it after."""
    running = start_federation(load_federation(DEFAULT_FEDERATION), folder)
    reports = running.harvest()
    assert all(run["status"] == "ok" for runs in reports.values() for run in runs), reports
    return running


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.jsonld").read_text("utf-8"))


def case_iri(running, name: str) -> str:
    """The IRI an example case has in the running federation (its origin rebased onto its node)."""
    origin_iri = example(name)["id"]
    for spec in running.federation.nodes.values():
        if origin_iri.startswith(spec.origin):
            return running.nodes[spec.name].base_url + origin_iri[len(spec.origin) :]
    raise AssertionError(f"no node publishes {origin_iri}")
