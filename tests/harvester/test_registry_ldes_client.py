"""The stock LDES client (npm `ldes-client` 0.3.x) replicates and resumes a registry's own feed.

A real registry harvests a loopback publisher and serves its feed in pages of 2; the client runs
with the machine's Node.js, from scratch and then resuming from its `--save` state, as it does
against a node (tests/node/test_ldes_client.py).
"""

import pathlib
import re
import subprocess
from collections import Counter

import httpx
import pyoxigraph as ox
from harvest_support import FeedServer, case_doc, served_registry

from stafett.harvester.sources import Source

JS = pathlib.Path(__file__).resolve().parents[1] / "js"
CLIENT = JS / "node_modules" / "ldes-client" / "dist" / "bin" / "cli.js"
AS = "https://www.w3.org/ns/activitystreams#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BARE_OBJECT = re.compile(r" (true|false|[+-]?\d+) (<[^>]*>) \.$", re.MULTILINE)


def strict_nquads(text: str) -> bytes:
    """The client prints booleans and integers in Turtle shorthand; spell them out for N-Quads."""

    def spell(match):
        kind = "boolean" if match.group(1) in ("true", "false") else "integer"
        return f' "{match.group(1)}"^^<{XSD}{kind}> {match.group(2)} .'

    return BARE_OBJECT.sub(spell, text).encode()


def replicate(feed_url: str, *args) -> set[tuple[str, str, str]]:
    """Run the client to the end; {(activity, kind, case)} of the members it emitted, each once."""
    run = subprocess.run(["node", str(CLIENT), feed_url, *args], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    quads = list(ox.parse(strict_nquads(run.stdout), ox.RdfFormat.N_QUADS))
    emitted = Counter(q.subject.value for q in quads if q.predicate.value == AS + "published")
    assert set(emitted.values()) <= {1}, "a member was emitted more than once"
    kinds = {
        q.subject.value: q.object.value.removeprefix(AS)
        for q in quads
        if q.predicate.value.endswith("#type") and q.subject.value in emitted
    }
    objects = {q.subject.value: q.object.value for q in quads if q.predicate.value == AS + "object"}
    return {(m, kinds[m], objects[m]) for m in emitted}


def registry_members(registry) -> set[tuple[str, str, str]]:
    rows = registry.db.rows("SELECT seq, kind, case_iri FROM feed ORDER BY seq")
    return {(f"{registry.settings.base_url}feed/activity/{r[0]}", r[1], r[2]) for r in rows}


def test_client_resumes_a_registry_feed_of_many_pages_with_exactly_the_new_changes(tmp_path):
    """Also on a second registry that harvests the first (two hops, its own feed and pages)."""
    node = FeedServer(page_size=3)
    running = []
    try:
        for i in range(5):
            node.publish("Create", case_doc(node.base, f"c{i}", title=f"Fall {i}"))
        national = served_registry(
            tmp_path, "national", [Source("n", node.base, (node.base,))], feed_page_size=2
        )
        running.append(national)
        nordic = served_registry(
            tmp_path,
            "nordic",
            [Source("se", national[0].settings.base_url, aggregator=True, relay=(node.base,))],
            feed_page_size=2,
        )
        running.append(nordic)
        registries = [national[0], nordic[0]]
        for registry in registries:
            registry.harvest()
        feeds = [r.settings.base_url + "feed" for r in registries]
        for feed in feeds:
            assert httpx.get(feed + "/page/2").status_code == 200  # 5 members: pages 0, 1 closed, 2 open
        states = [str(tmp_path / f"client-state-{i}") for i in range(2)]

        before = []
        for registry, feed, state in zip(registries, feeds, states, strict=True):
            first = replicate(feed, "--save", state)
            assert first == registry_members(registry) and len(first) == 5
            before.append(registry_members(registry))

        node.publish("Create", case_doc(node.base, "c5", title="Fall 5"))
        node.publish("Update", case_doc(node.base, "c1", title="Nytt namn", version=2))
        node.publish("Delete", node.base + "case/c2")
        for registry, feed, state, seen in zip(registries, feeds, states, before, strict=True):
            registry.harvest()
            new = registry_members(registry) - seen
            assert {(kind, case) for _, kind, case in new} == {
                ("Create", node.base + "case/c5"),
                ("Update", node.base + "case/c1"),
                ("Delete", node.base + "case/c2"),
            }
            assert httpx.get(feed + "/page/3").status_code == 200  # the new changes reach two more pages
            assert replicate(feed, "--save", state) == new
            assert replicate(feed, "--save", state) == set()  # nothing new: nothing emitted
    finally:
        for registry, server in reversed(running):
            server.stop()
            registry.close()
        node.stop()
