"""Node throughput on loopback: validated creates/s, case GET/s, feed page GET/s, 304/s.

A real node (`stafett.node.app.create_app`) serves from its own process (`bench.node_server`);
the load comes from `bench.loadgen` in another process (httpx, a few concurrent connections), so
the client does not steal the server's interpreter. With 2 cores the server gets about one core.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import httpx
import orjson

from bench.child import job_process
from bench.measure import Row, rate

SECTION = "node on loopback, one server thread (requests/s)"
FEED_PAGE_SIZE = 100  # NodeSettings.feed_page_size default


def missing() -> list[Row] | None:
    if find_spec("stafett.node.app") is None:
        return [Row(SECTION, "node not built yet", "", note="stafett.node.app does not exist yet")]
    return None


def load(requests: list[dict], seconds: float, connections: int, cycle: bool = True) -> dict:
    """Run the load generator in its own process and return its JSON result."""
    job = {"requests": requests, "seconds": seconds, "connections": connections, "cycle": cycle}
    run = subprocess.run(
        [sys.executable, "-m", "bench.loadgen"],
        input=orjson.dumps(job),
        capture_output=True,
        timeout=seconds + 120,
        cwd=Path(__file__).parent.parent,
    )
    if run.returncode != 0:
        raise RuntimeError(f"load generator failed: {run.stderr.decode()[-500:]}")
    return orjson.loads(run.stdout)


def ok_rate(result: dict, status: str) -> tuple[float, str]:
    good = result["statuses"].get(status, 0)
    others = {k: v for k, v in result["statuses"].items() if k != status}
    note = f"{good} x {status} in {result['seconds']:.1f} s, median {result['median_ms'] or 0:.1f} ms"
    return rate(good, result["seconds"]), note + (f"; other answers {others}" if others else "")


@contextmanager
def running_node(first_case, workdir: Path):
    """A node in its own process (bench.node_server) with a fresh store and one API token.

    Yields (base_url, token, list_case_urls).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        buyer = first_case.doc["buyer"][0]
        job = {
            "data_dir": tmp,
            "org_name": buyer["name"],
            "org_number": buyer["orgNumber"],
            "country": buyer["country"],
            "languages": list(first_case.doc["title"]),
        }
        with job_process("bench.node_server", job) as (proc, info):

            def list_case_urls() -> list[str]:
                proc.stdin.write("list\n")
                proc.stdin.flush()
                return orjson.loads(proc.stdout.readline())

            yield info["base_url"], info["token"], list_case_urls


def measure(fed, opts) -> list[Row]:
    if (absent := missing()) is not None:
        return absent
    cases = fed.cases
    with running_node(cases[0], opts.workdir) as (base, token, list_case_urls):
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
        creates = [
            {
                "method": "POST",
                "url": f"{base}cases",
                "headers": auth,
                "body": orjson.dumps(c.authored()).decode(),
            }
            for c in cases
        ]
        value, note = ok_rate(load(creates, opts.seconds * 4, opts.connections, cycle=False), "201")
        rows = [Row(SECTION, "validated creates (POST /cases)", "req/s", value, note=note)]
        case_urls = list_case_urls()
        ld = {"Accept": "application/ld+json"}
        value, note = ok_rate(
            load(
                [{"method": "GET", "url": u, "headers": ld} for u in case_urls],
                opts.seconds,
                opts.connections,
            ),
            "200",
        )
        rows.append(Row(SECTION, "case GET (JSON-LD)", "req/s", value, note=note))
        rows.append(feed_pages(base, FEED_PAGE_SIZE, len(case_urls), opts))
        rows.append(conditional(case_urls, opts))
    return rows


def feed_pages(base: str, page_size: int, members: int, opts) -> Row:
    closed = max(1, members // page_size)
    trig = {"Accept": "application/trig"}
    pages = [{"method": "GET", "url": f"{base}feed/{i}", "headers": trig} for i in range(closed)]
    result = load(pages, opts.seconds, opts.connections)
    value, note = ok_rate(result, "200")
    return Row(
        SECTION, f"feed page GET (TriG, pages of up to {page_size} members)", "req/s", value, note=note
    )


def conditional(case_urls: list[str], opts) -> Row:
    """If-None-Match with the ETag each case was served with: every answer should be 304."""
    requests = []
    with httpx.Client(timeout=30) as client:
        for url in case_urls[:200]:
            etag = client.get(url, headers={"Accept": "application/ld+json"}).headers.get("etag")
            requests.append(
                {
                    "method": "GET",
                    "url": url,
                    "headers": {"Accept": "application/ld+json", "If-None-Match": etag or ""},
                }
            )
    value, note = ok_rate(load(requests, opts.seconds, opts.connections), "304")
    return Row(SECTION, "conditional case GET (304)", "req/s", value, note=note)
