"""Sources are harvested concurrently (bounded by harvest_concurrency); re-runs start at the known root."""

import itertools
import time

import pytest
from harvest_support import FeedServer, case_doc, graph_names

from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.problems import Problem

DELAY = 0.5  # seconds each feed root (and description) takes to answer


@pytest.fixture
def slow_nodes():
    """Three nodes whose feed root takes DELAY to answer; each answer's (start, end) is recorded."""
    servers = [FeedServer(page_size=5) for _ in range(3)]
    for k, server in enumerate(servers):
        server.publish("Create", case_doc(server.base, f"c{k}", title=f"Fall {k}"))
        original = server.root_quads
        server.root_answers = []

        def slow_root_quads(original=original, answers=server.root_answers):
            started = time.monotonic()
            time.sleep(DELAY)
            answers.append((started, time.monotonic()))
            return original()

        server.root_quads = slow_root_quads
    yield servers
    for server in servers:
        server.stop()


def harvest_watched(tmp_path, servers, concurrency: int):
    registry = Registry(
        RegistrySettings(
            data_dir=tmp_path / f"c{concurrency}",
            base_url="http://registry.test/",
            allow_loopback=True,
            harvest_concurrency=concurrency,
        ),
        [Source(f"n{k}", s.base, namespaces=(s.base,)) for k, s in enumerate(servers)],
    )
    for server in servers:
        server.root_answers.clear()
    try:
        reports = registry.harvest()
        cases = graph_names(registry.store)
    finally:
        registry.close()
    return [list(server.root_answers) for server in servers], reports, cases


def in_flight_together(answers: list[tuple[float, float]]) -> bool:
    """Whether some moment lies inside every answer: they were being served at the same time."""
    return max(start for start, _ in answers) < min(end for _, end in answers)


def test_sources_run_concurrently_and_each_keeps_its_own_report(tmp_path, slow_nodes):
    # Overlap of the nodes' answers, not wall time: a loaded CI machine stretches a harvest's wall
    # time past any bound that separates concurrent from serial, but never un-overlaps the answers.
    answers, reports, cases = harvest_watched(tmp_path, slow_nodes, concurrency=3)
    assert [r["source"] for r in reports] == ["n0", "n1", "n2"]  # in the sources' order
    assert [r["accepted"] for r in reports] == [1, 1, 1]
    assert {e["case"] for s in slow_nodes for e in s.events} <= cases
    firsts = [each[0] for each in answers]  # each source's first request (its description)
    assert in_flight_together(firsts), f"the three nodes were not asked together: {answers}"

    one_at_a_time, reports, _ = harvest_watched(tmp_path, slow_nodes, concurrency=1)
    assert [r["accepted"] for r in reports] == [1, 1, 1]
    every = [answer for each in one_at_a_time for answer in each]
    assert not any(in_flight_together(pair) for pair in itertools.combinations(every, 2)), one_at_a_time


def test_a_rerun_starts_at_the_known_root_without_rediscovery(tmp_path):
    server = FeedServer(page_size=5)
    try:
        server.publish("Create", case_doc(server.base, "c1"))
        registry = Registry(
            RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True),
            [Source("n", server.base, namespaces=(server.base,))],
        )
        try:
            registry.harvest()
            described = server.hits["/"]
            again = registry.harvest()[0]
            assert server.hits["/"] == described  # the description was not fetched again
            assert again["status"] == "ok" and again["not_modified"] >= 1
            full = registry.harvest(full=True)[0]
            assert server.hits["/"] == described + 1  # --full discovers afresh
            assert full["status"] == "ok"
        finally:
            registry.close()
    finally:
        server.stop()


def test_harvest_concurrency_must_be_positive():
    with pytest.raises(Problem) as err:
        RegistrySettings(harvest_concurrency=0)
    assert "harvest_concurrency" in err.value.detail
