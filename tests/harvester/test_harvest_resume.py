"""A harvest killed mid-run (SIGKILL, real subprocess) resumes without losing or duplicating members."""

import os
import signal
import sqlite3
import subprocess
import time

import pytest
from harvest_support import FeedServer, case_doc, graph_names, harvest_command

from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import load_sources

MEMBERS = 18


@pytest.fixture
def slow_node():
    server = FeedServer(page_size=3)
    for i in range(MEMBERS):
        server.publish("Create", case_doc(server.base, f"c{i}", title=f"Fall {i}"))
    server.delay = 0.4
    original = server.page_quads

    def slow_page_quads(k):
        time.sleep(server.delay)
        return original(k)

    server.page_quads = slow_page_quads
    yield server
    server.stop()


def processed(db_path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM processed").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_killed_harvest_resumes_without_loss_or_duplicates(tmp_path, slow_node):
    sources_file = tmp_path / "sources.toml"
    sources_file.write_text(f'[sources.slow]\nurl = "{slow_node.base}"\nnamespaces = ["{slow_node.base}"]\n')
    data_dir = tmp_path / "registry"
    command = harvest_command(data_dir, sources_file, base_url="http://registry.test/")
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while processed(data_dir / "registry.sqlite3") < 4:
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the harvest made no progress"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    done_before = processed(data_dir / "registry.sqlite3")
    assert 4 <= done_before < MEMBERS, "the kill must land mid-harvest"

    slow_node.delay = 0
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr

    registry = Registry(
        RegistrySettings(data_dir=data_dir, base_url="http://registry.test/"), load_sources(sources_file)
    )
    try:
        cases = {e["case"] for e in slow_node.events}
        assert cases <= graph_names(registry.store)
        feed = registry.db.rows("SELECT case_iri, kind FROM feed")
        assert sorted(r["case_iri"] for r in feed) == sorted(cases)  # exactly one Create per case
        assert {r["kind"] for r in feed} == {"Create"}
        runs = registry.reports.runs("slow")
        assert [r["status"] for r in runs] == ["ok", "interrupted"]
        assert runs[0]["accepted"] + runs[1]["accepted"] == MEMBERS
    finally:
        registry.close()
