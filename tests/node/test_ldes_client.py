"""The stock LDES client (npm `ldes-client` 0.3.x) replicates a running node's feed.

Run with the machine's Node.js against a real node on loopback: from scratch (every member),
resuming from saved state (only new members), and pruned by time (`--after`).
"""

import pathlib
import re
import shutil
import subprocess
from collections import Counter

import pyoxigraph as ox
import pytest
import test_read_support as support

HERE = pathlib.Path(__file__).resolve().parent
CLIENT = HERE.parents[0] / "js" / "node_modules" / "ldes-client" / "dist" / "bin" / "cli.js"
PUBLISHED = "https://www.w3.org/ns/activitystreams#published"
OBJECT = "https://www.w3.org/ns/activitystreams#object"


pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not CLIENT.exists(),
    reason="needs Node.js and `npm install` in tests/js (scripts/setup does it)",
)


BARE_OBJECT = re.compile(r" (true|false|[+-]?\d+) (<[^>]*>) \.$", re.MULTILINE)
XSD = "http://www.w3.org/2001/XMLSchema#"


def strict_nquads(text: str) -> bytes:
    """The client prints booleans and integers in Turtle shorthand (`false`, `1`), which is not
    N-Quads; spell them out so a strict parser reads the client's output."""

    def spell(match):
        value = match.group(1)
        kind = "boolean" if value in ("true", "false") else "integer"
        return f' "{value}"^^<{XSD}{kind}> {match.group(2)} .'

    return BARE_OBJECT.sub(spell, text).encode()


def replicate(node, *args) -> tuple[set, list[ox.Quad]]:
    """Run the client to the end; return {(case IRI, as:published)} of the members it emitted."""
    run = subprocess.run(
        ["node", str(CLIENT), node.base + "feed", *args], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    quads = list(ox.parse(strict_nquads(run.stdout), ox.RdfFormat.N_QUADS))
    emitted = Counter(q.subject for q in quads if q.predicate.value == PUBLISHED)
    assert set(emitted.values()) <= {1}, "a member was emitted more than once"
    published = {q.subject: q.object.value for q in quads if q.predicate.value == PUBLISHED}
    objects = {q.subject: q.object.value for q in quads if q.predicate.value == OBJECT}
    return {(objects[m], published[m]) for m in published}, quads


def expected(node, after: str | None = None) -> set:
    return {
        (c.case_iri, c.published)
        for c in node.store.changes_after(0, 10_000)
        if after is None or c.published > after
    }


def test_replicates_every_member_with_its_snapshot():
    files = support.example_files()
    with support.running_node() as node:
        for path in files[:7]:
            node.publish_example(path)
        node.delete(files[0].stem)
        members, quads = replicate(node)
        assert members == expected(node)
        assert len(members) == 8  # 7 creates and one tombstone, over 3 pages of 3
        case = node.store.get_case(node.settings.case_iri(files[1].stem))
        graph_of_case = {
            q.graph_name for q in quads if q.subject.value == case.iri and q.graph_name != ox.DefaultGraph()
        }
        assert len(graph_of_case) == 1  # one snapshot graph named by its activity
        snapshot = {
            ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name in graph_of_case
        }
        assert snapshot == {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(case.ntriples, ox.RdfFormat.N_TRIPLES)
        }


def test_resumes_from_saved_state_with_only_new_members(tmp_path):
    files = support.example_files()
    with support.running_node() as node:
        for path in files[:5]:
            node.publish_example(path)
        first, _ = replicate(node, "--save", str(tmp_path / "state"))
        assert first == expected(node)
        before = expected(node)
        node.publish_example(files[5])
        node.delete(files[1].stem)
        second, _ = replicate(node, "--save", str(tmp_path / "state"))
        assert second == expected(node) - before
        assert len(second) == 2


def test_prunes_by_time_with_after():
    files = support.example_files()
    with support.running_node() as node:
        for path in files[:8]:
            node.publish_example(path)
        cut = node.store.changes_after(0, 100)[4].published
        members, _ = replicate(node, "--after", cut)
        assert members == expected(node, after=cut)
        assert len(members) == 3
