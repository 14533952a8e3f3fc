"""Node throughput on loopback: validated creates/s, case GET/s, feed page GET/s, 304/s.

A real node (`stafett.node.app.create_app`) serves in a thread of this process; the load comes
from `bench.loadgen` in a separate process (httpx, a few concurrent connections), so the client
does not steal the server's interpreter. With 2 cores the server gets about one core.
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

from bench.measure import Row, rate

SECTION = "node on loopback, one server thread (requests/s)"


def missing() -> list[Row] | None:
    if find_spec("stafett.node.app") is None:
        return [Row(SECTION, "node not built yet", "", note="stafett.node.app does not exist yet")]
    return None


def load(requests: list[dict], seconds: float, connections: int, cycle: bool = True) -> dict:
    """Run the load generator in its own process and return its JSON result."""
    job = {"requests": requests, "seconds": seconds, "connections": connections, "cycle": cycle}
    run = subprocess.run([sys.executable, "-m", "bench.loadgen"], input=orjson.dumps(job),
                         capture_output=True, timeout=seconds + 120, cwd=Path(__file__).parent.parent)
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
    """A node on an ephemeral loopback port with a fresh store and one API token."""
    from stafett.node.app import create_app
    from stafett.node.auth import issue_token
    from stafett.node.settings import NodeSettings
    from stafett.node.store import NodeStore

    from stafett.serving import bind, serve_in_thread, url_of

    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        sock = bind()
        buyer = first_case.doc["buyer"][0]
        unlimited = {"feed_burst": 10**9, "feed_rate": 10**9}  # measure the node, not its throttle
        settings = NodeSettings(base_url=url_of(sock), data_dir=Path(tmp), org_name=buyer["name"],
                                org_number=buyer["orgNumber"], country=buyer["country"],
                                languages=tuple(first_case.doc["title"]), extra=unlimited)
        store = NodeStore(settings.database_path)
        token = issue_token(store, "bench")
        server = serve_in_thread(create_app(settings, store), sock)
        try:
            yield settings, store, token
        finally:
            server.stop()
            store.close()


def measure(fed, opts) -> list[Row]:
    if (absent := missing()) is not None:
        return absent
    cases = fed.cases
    with running_node(cases[0], opts.workdir) as (settings, store, token):
        base = settings.base_url
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
        creates = [{"method": "POST", "url": f"{base}cases", "headers": auth,
                    "body": orjson.dumps(c.authored()).decode()} for c in cases]
        writes = load(creates, opts.seconds * 4, opts.connections, cycle=False)
        rows = [Row(SECTION, "validated creates (POST /cases)", "req/s", *ok_rate(writes, "201")[:1],
                    note=ok_rate(writes, "201")[1])]
        records = store.list_published(0, len(cases))
        case_urls = [f"{base}case/{r.slug}" for r in records]
        ld = {"Accept": "application/ld+json"}
        reads = load([{"method": "GET", "url": u, "headers": ld} for u in case_urls], opts.seconds,
                     opts.connections)
        rows.append(Row(SECTION, "case GET (JSON-LD)", "req/s", ok_rate(reads, "200")[0],
                        note=ok_rate(reads, "200")[1]))
        rows.append(feed_pages(base, settings.feed_page_size, len(records), opts))
        rows.append(conditional(case_urls, opts))
    return rows


def feed_pages(base: str, page_size: int, members: int, opts) -> Row:
    closed = max(1, members // page_size)
    trig = {"Accept": "application/trig"}
    pages = [{"method": "GET", "url": f"{base}feed/{i}", "headers": trig} for i in range(closed)]
    result = load(pages, opts.seconds, opts.connections)
    value, note = ok_rate(result, "200")
    return Row(SECTION, f"feed page GET (TriG, {page_size} members)", "req/s", value, note=note)


def conditional(case_urls: list[str], opts) -> Row:
    """If-None-Match with the ETag each case was served with: every answer should be 304."""
    requests = []
    with httpx.Client(timeout=30) as client:
        for url in case_urls[:200]:
            etag = client.get(url, headers={"Accept": "application/ld+json"}).headers.get("etag")
            requests.append({"method": "GET", "url": url,
                             "headers": {"Accept": "application/ld+json", "If-None-Match": etag or ""}})
    value, note = ok_rate(load(requests, opts.seconds, opts.connections), "304")
    return Row(SECTION, "conditional case GET (304)", "req/s", value, note=note)
