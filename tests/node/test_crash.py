"""Durability: SIGKILL a real `stafett node serve` mid-write; every acknowledged write survives.

A few bounded rounds: start the node as a subprocess on a free loopback port, stream
authenticated creates and updates from two client threads, kill the process at a random
moment, then check the storage: every 2xx write is there, no case is half-written (its
document parses back to its snapshot, its version is its newest history entry) and the feed
has a change for every acknowledged published write. The node is restarted each round.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import httpx
import pyoxigraph as ox
from writer_support import case

from stafett.node import publish
from stafett.node.bootstrap import init_node
from stafett.node.store import NodeStore
from stafett.serving import bind, url_of
from stafett.vocabulary.jsonld import json_ld_to_quads

ROUNDS = 3
STATUSES = ("pilot", "implemented", "scaled-up", "tendering")


def free_base_url() -> str:
    sock = bind()
    url = url_of(sock)
    sock.close()
    return url


def start(data_dir) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stafett",
            "node",
            "serve",
            "--data-dir",
            str(data_dir),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the node exited on start"
        try:
            if httpx.get(base + "openapi.json", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the node did not start")


def writer(base: str, token: str, tag: str, seed: int, acks: list, stop: threading.Event) -> None:
    rng = random.Random(seed)
    known: dict[str, str] = {}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if not known or rng.random() < 0.5:
                    state = rng.choice(("published", "published", "draft"))
                    response = http.post(
                        "cases", params={"state": state}, json=case(title={"sv": f"Fall {tag} {n}"})
                    )
                else:
                    slug = rng.choice(sorted(known))
                    response = http.put(
                        f"cases/{slug}",
                        json=case(title={"sv": f"Fall {tag} {slug}"}, status=rng.choice(STATUSES)),
                        headers={"If-Match": known[slug]},
                    )
            except httpx.TransportError:
                return  # killed mid-request: this write was never acknowledged
            if response.status_code in (200, 201):
                body = response.json()
                known[body["slug"]] = body["etag"]
                acks.append(body)


def check_storage(data_dir, acks: list) -> int:
    store = NodeStore(data_dir / "node.sqlite3")
    try:
        changes = store.changes_after(0, 1_000_000)
        times = [c.published for c in changes]
        assert times == sorted(times) and len(set(times)) == len(times)
        change_keys = {(c.case_iri, c.version, c.kind) for c in changes}
        for ack in acks:
            record = store.get_case(ack["id"])
            assert record is not None, f"acknowledged write of {ack['id']} is lost"
            assert record.version >= ack["version"]
            stored = {v.version: v for v in store.history(ack["id"])}
            assert stored[ack["version"]].etag == ack["etag"], "acknowledged version differs"
            if ack["change"]:
                assert (ack["id"], ack["version"], ack["change"]) in change_keys, "feed misses a write"
        for record in store.list_cases():
            history = store.history(record.iri)
            assert history[-1].version == record.version and history[-1].etag == record.etag
            quads = json_ld_to_quads(json.loads(json.dumps(record.document)))
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
            assert publish.canonical_ntriples(triples) == record.ntriples, f"{record.iri} is half-written"
        return len(store.list_cases())
    finally:
        store.close()


def test_acknowledged_writes_survive_sigkill(tmp_path):
    base = free_base_url()
    settings, store, token = init_node(
        tmp_path / "node", base, {"sv": "Växjö kommun"}, "212000-0688", "SWE", ("sv",)
    )
    store.close()
    rng = random.Random(2026)
    acks: list = []
    for round_no in range(ROUNDS):
        process = start(settings.data_dir)
        try:
            wait_until_up(base, process)
            stop = threading.Event()
            threads = [
                threading.Thread(
                    target=writer, args=(base, token, f"{round_no}-{w}", round_no * 10 + w, acks, stop)
                )
                for w in range(2)
            ]
            acked_before = len(acks)
            for t in threads:
                t.start()
            deadline = time.monotonic() + 20
            while len(acks) == acked_before and time.monotonic() < deadline:
                time.sleep(0.01)  # kill only once this round has acknowledged something
            time.sleep(rng.uniform(0.1, 1.0))
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            stop.set()
            for t in threads:
                t.join(15)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        cases = check_storage(settings.data_dir, acks)
        assert cases >= 1
    assert len(acks) >= ROUNDS  # the test did acknowledge writes before each kill

    process = start(settings.data_dir)  # and the node comes back serving what it acknowledged
    try:
        wait_until_up(base, process)
        last = acks[-1]
        response = httpx.get(f"{base}cases/{last['slug']}", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    finally:
        process.kill()
        process.wait(10)
