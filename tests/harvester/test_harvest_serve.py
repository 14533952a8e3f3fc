"""`stafett registry serve`: the web app plus the in-process schedule, as a real subprocess."""

import subprocess
import sys
import time

import httpx
from harvest_support import FeedServer, case_doc


def test_registry_serve_harvests_on_schedule_and_serves_reports(tmp_path):
    node = FeedServer()
    node.publish("Create", case_doc(node.base, "c0"))
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[sources.n]\nurl = "{node.base}"\nnamespaces = ["{node.base}"]\ninterval = 1\n')
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stafett",
            "registry",
            "serve",
            "--data-dir",
            str(tmp_path / "r"),
            "--sources",
            str(sources),
            "--allow-loopback",
            "--port",
            "0",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith("registry at "), line
        base = line.split()[2]
        deadline = time.monotonic() + 30
        while True:
            summary = httpx.get(base + "reports", timeout=5).json()["sources"][0]
            if summary["cases"] == 1:
                break
            assert time.monotonic() < deadline, summary
            time.sleep(0.2)
        node.publish("Create", case_doc(node.base, "c1"))  # the next scheduled run picks it up
        while httpx.get(base + "reports", timeout=5).json()["sources"][0]["cases"] < 2:
            assert time.monotonic() < deadline + 15
            time.sleep(0.2)
        assert len(httpx.get(base + "feed/state", timeout=5).json()["cases"]) == 2
    finally:
        process.terminate()
        process.wait(15)
        node.stop()
