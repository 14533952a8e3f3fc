"""Sources are harvested concurrently (bounded by harvest_concurrency); re-runs start at the known root."""

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
    servers = [FeedServer(page_size=5) for _ in range(3)]
    for k, server in enumerate(servers):
        server.publish("Create", case_doc(server.base, f"c{k}", title=f"Fall {k}"))
        original = server.root_quads

        def slow_root_quads(original=original):
            time.sleep(DELAY)
            return original()

        server.root_quads = slow_root_quads
    yield servers
    for server in servers:
        server.stop()


def harvest_timed(tmp_path, servers, concurrency: int):
    registry = Registry(
        RegistrySettings(
            data_dir=tmp_path / f"c{concurrency}",
            base_url="http://registry.test/",
            allow_loopback=True,
            harvest_concurrency=concurrency,
        ),
        [Source(f"n{k}", s.base, namespaces=(s.base,)) for k, s in enumerate(servers)],
    )
    try:
        started = time.perf_counter()
        reports = registry.harvest()
        elapsed = time.perf_counter() - started
        cases = graph_names(registry.store)
    finally:
        registry.close()
    return elapsed, reports, cases


def test_sources_run_concurrently_and_each_keeps_its_own_report(tmp_path, slow_nodes):
    serial = 2 * DELAY * len(slow_nodes)  # description + root per source, one after another
    elapsed, reports, cases = harvest_timed(tmp_path, slow_nodes, concurrency=3)
    assert [r["source"] for r in reports] == ["n0", "n1", "n2"]  # in the sources' order
    assert [r["accepted"] for r in reports] == [1, 1, 1]
    assert {e["case"] for s in slow_nodes for e in s.events} <= cases
    assert elapsed < serial * 0.75, f"{elapsed:.2f} s is not concurrent (serial would be {serial:.1f} s)"

    one_at_a_time, reports, _ = harvest_timed(tmp_path, slow_nodes, concurrency=1)
    assert [r["accepted"] for r in reports] == [1, 1, 1]
    assert one_at_a_time >= serial


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
