"""Issue 17: after a large harvest the registry compacts its embedded store, off the request path."""

from __future__ import annotations

import pytest
from harvest_support import FeedServer, case_doc, graph_names

from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source


@pytest.fixture
def node():
    server = FeedServer(page_size=2)
    yield server
    server.stop()


def registry_for(path, node, every: int) -> Registry:
    settings = RegistrySettings(
        data_dir=path, base_url="http://registry.test/", allow_loopback=True, optimize_after_cases=every
    )
    return Registry(settings, sources=[Source("n1", node.base, (node.base,))])


def test_the_store_is_compacted_once_enough_cases_were_loaded(tmp_path, node):
    for i in range(2):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    registry = registry_for(tmp_path / "due", node, every=3)
    commits = []
    registry.after_commit.append(lambda: commits.append("snapshot"))
    registry.harvest()
    assert registry.optimizing is None and registry.loaded_since_optimize == 2  # not due yet
    for i in range(2, 4):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    before = len(commits)
    registry.harvest()  # returns without waiting for the compaction
    assert registry.optimizing is not None
    registry.optimizing.result(timeout=60)
    assert registry.optimizations == 1 and registry.loaded_since_optimize == 0
    assert len(commits) == before + 2  # the run's snapshot, then the compacted store's
    assert {f"{node.base}case/c{i}" for i in range(4)} <= graph_names(registry.store)
    registry.harvest()  # nothing new: nothing loaded, no compaction
    assert registry.optimizations == 1
    registry.close()


def test_zero_never_compacts(tmp_path, node):
    for i in range(3):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    registry = registry_for(tmp_path / "never", node, every=0)
    registry.harvest()
    assert registry.optimizing is None and registry.optimizations == 0
    registry.close()
