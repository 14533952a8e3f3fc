"""Issue 17: pages parsed and validated in worker processes decide exactly as in process.

Real loopback feeds, real worker processes. A worker that crashes or hangs costs only the job
that did it: the jobs it held run once more in a fresh process of their own.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc

from stafett.harvester.fetch import Fetched
from stafett.harvester.parse import PageParser, page_limits
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.harvester.terms import STF_SUGGESTED_TOPIC
from stafett.harvester.workers import PageWorkers, read_page_text
from stafett.problems import Problem

OTHER = "https://elsewhere.example/"


@pytest.fixture
def node():
    server = FeedServer(page_size=3)
    for i in range(5):
        server.publish("Create", case_doc(server.base, f"c{i}"))
    broken = case_doc(server.base, "broken")
    del broken["title"]  # quarantined, with the validator's finding
    server.publish("Create", broken)
    server.publish("Create", case_doc(OTHER, "foreign"))  # refused: not this source's namespace
    server.publish("Delete", server.base + "case/c4")
    yield server
    server.stop()


def harvested(tmp_path: Path, node: FeedServer, workers: int) -> tuple[dict, ox.Dataset, list, Registry]:
    settings = RegistrySettings(
        data_dir=tmp_path / f"workers-{workers}",
        base_url="http://registry.test/",
        allow_loopback=True,
        page_workers=workers,
    )
    registry = Registry(settings, sources=[Source("n1", node.base, (node.base,))])
    [run] = registry.harvest()
    cases = ox.Dataset(q for q in registry.store if q.graph_name.value.startswith(node.base))
    prov = ox.NamedNode(registry.prov_graph)
    for q in registry.store.quads_for_pattern(None, STF_SUGGESTED_TOPIC, None, prov):
        cases.add(q)  # worked out beside the validation in a worker
    cases.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)  # blank nodes get new labels per parse
    findings = sorted(
        (p["activity"], p["verdict"], reason["message"]) for p in run["problems"] for reason in p["reasons"]
    )
    return run, cases, findings, registry


def test_two_workers_decide_and_store_exactly_what_the_registry_does_alone(tmp_path, node):
    alone, cases_alone, findings_alone, registry_alone = harvested(tmp_path, node, 0)
    pooled, cases_pooled, findings_pooled, registry = harvested(tmp_path, node, 2)
    try:
        counts = ("accepted", "quarantined", "refused", "deleted")
        assert [alone[k] for k in counts] == [pooled[k] for k in counts] == [5, 1, 1, 1]
        assert cases_pooled == cases_alone and len(cases_pooled) > 0
        suggested = [q for q in cases_pooled if q.predicate == STF_SUGGESTED_TOPIC]
        assert len(suggested) >= 4  # one case's or more each (the fixture's cases give no topic)
        assert findings_pooled == findings_alone
        assert any("title" in message for _, _, message in findings_pooled)
        assert registry_alone.pages.pids() == []  # 0: nothing was started
        pids = registry.pages.pids()
        assert 1 <= len(pids) <= 2 and registry.pages.cpu_seconds() > 0  # one source: one page at a time
    finally:
        registry_alone.close()
        registry.close()
    for pid in pids:  # the workers end with the registry
        assert not Path(f"/proc/{pid}").exists()


def crash(*_args):
    os._exit(70)  # what a parser segfault looks like from the registry


def hang(*_args):
    time.sleep(60)


def page_job(node: FeedServer, settings: RegistrySettings) -> tuple:
    body = httpx.get(node.page_url(0)).content
    return (read_page_text, body, "application/trig", node.page_url(0), page_limits(settings), "n1")


@pytest.mark.parametrize("culprit", [crash, hang])
def test_a_crash_or_a_hang_costs_that_job_alone(tmp_path, node, culprit):
    settings = RegistrySettings(data_dir=tmp_path, page_workers=1, request_deadline=3.0)
    pages = PageWorkers(settings, PageParser(settings))
    good = page_job(node, settings)

    async def together():
        # more than the pool keeps in its call queue, so some wait in its pending list too
        jobs = [pages.run(good, "lost", "n1", deadline=None) for _ in range(6)]
        deadline = settings.request_deadline
        jobs.insert(1, pages.run((culprit,), "the page was skipped", "n1", deadline=deadline))
        return await asyncio.gather(*jobs, return_exceptions=True)

    try:
        started = time.monotonic()
        first, lost, *others = asyncio.run(together())
        assert isinstance(lost, Problem) and "the page was skipped" in lost.detail
        for page, problem in (first, *others):  # its neighbours, queued on the same worker, all read
            assert problem is None and len(page[0]) == 3
        assert time.monotonic() - started < 30
        page, problem = asyncio.run(pages.run(good, "lost", "n1", deadline=None))
        assert problem is None and len(page[0]) == 3  # a fresh worker serves the next page
    finally:
        pages.close()


def test_page_workers_must_be_zero_or_more(tmp_path):
    with pytest.raises(Problem) as err:
        RegistrySettings(data_dir=tmp_path, page_workers=-1)
    assert "page_workers" in err.value.detail


def test_a_page_read_in_a_worker_equals_the_page_read_in_process(tmp_path, node):
    settings = RegistrySettings(data_dir=tmp_path, page_workers=1)
    parser = PageParser(RegistrySettings(data_dir=tmp_path, parser_isolation="never"))
    pages = PageWorkers(settings, parser)
    response = httpx.get(node.page_url(1))
    fetched = Fetched(node.page_url(1), 200, response.headers, response.content)
    try:
        here, there = parser.page(fetched, "n1"), asyncio.run(pages.page(fetched, "n1"))
    finally:
        pages.close()
    assert len(there.members) == 3 and there.links
    for mine, theirs in zip(here.members, there.members, strict=True):  # blank nodes: one parse's labels
        mine.payload, theirs.payload = canonical(mine.payload), canonical(theirs.payload)
    assert there == here


def canonical(triples: list[ox.Triple]) -> list[ox.Triple]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in dataset), key=str)
