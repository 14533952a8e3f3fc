"""Issue 17: a snapshot whose content hash conformed before is not validated again.

A real harvest from a loopback feed, then a `--full` re-sync: every member is applied again, but
only content never seen conforming reaches the validator. Warnings a kept report had still reach
the case's provenance, said to come from the member that sent them this time; an invalid snapshot
is validated (and quarantined) every time it comes.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from harvest_support import FeedServer, case_doc, snapshot

from stafett.harvester.admit import ACCEPT, admit_page
from stafett.harvester.parse import Member
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.harvester.terms import STF_WARNING
from stafett.harvester.validated import ValidatedVersions, snapshot_sha256, version_key


@pytest.fixture
def node():
    server = FeedServer(page_size=2)
    yield server
    server.stop()


def registry_for(tmp_path, node) -> Registry:
    settings = RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True)
    return Registry(settings, sources=[Source("n1", node.base, (node.base,))])


def warnings_of(registry: Registry, case: str) -> set[str]:
    prov = ox.NamedNode(registry.prov_graph)
    return {
        q.object.value for q in registry.store.quads_for_pattern(ox.NamedNode(case), STF_WARNING, None, prov)
    }


def test_a_full_resync_validates_only_what_changed(tmp_path, node):
    for i in range(3):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    invalid = case_doc(node.base, "broken")
    del invalid["title"]
    node.publish("Create", invalid)
    registry = registry_for(tmp_path, node)
    [first] = registry.harvest()
    assert (first["accepted"], first["quarantined"]) == (3, 1)
    memo = registry.validated
    assert (memo.hits, memo.misses) == (0, 4)
    before = {f"c{i}": warnings_of(registry, f"{node.base}case/c{i}") for i in range(3)}

    node.publish("Update", case_doc(node.base, "c1", title="Nytt namn", version=2))
    [full] = registry.harvest(full=True)
    # c0, c2 and c1's first version come again unchanged: kept; c1's new version and the invalid
    # snapshot are validated (an invalid one is never kept)
    assert (full["accepted"], full["quarantined"]) == (4, 1)
    assert (memo.hits, memo.misses) == (3, 6)
    assert warnings_of(registry, f"{node.base}case/c0") == before["c0"]
    assert warnings_of(registry, f"{node.base}case/c2") == before["c2"]
    registry.close()


def test_kept_warnings_name_the_member_asking_now():
    base = "https://a.example/"
    doc = case_doc(base, "c1")
    del doc["summary"]  # allowed, but the shapes say so
    source = Source("a", base, (base,))

    triples = snapshot(doc)  # one parse: its blank node labels are part of the memo's key

    def member(activity: str) -> Member:
        return Member(activity, "Create", doc["id"], "2026-01-01T00:00:00Z", triples)

    memo = ValidatedVersions()
    [first] = admit_page([member(base + "activity/1")], source, [source], "en", memo)
    [again] = admit_page([member(base + "activity/2")], source, [source], "en", memo)
    assert first.verdict == again.verdict == ACCEPT
    assert (memo.hits, memo.misses) == (1, 1)
    assert first.key == again.key == version_key(triples)
    # the test case has blank nodes (buyer, procedure): its route hash is the canonical one, later
    assert first.sha is None and snapshot_sha256(triples) != first.key
    relabelled = admit_page(
        [Member(base + "activity/4", "Create", doc["id"], "2026-01-01T00:00:00Z", snapshot(doc))],
        source,
        [source],
        "en",
        memo,
    )
    assert relabelled[0].verdict == ACCEPT and memo.misses == 2  # new labels: validated again
    assert first.warnings, "the shapes warn about a case without a summary"
    assert [w.message for w in again.warnings] == [w.message for w in first.warnings]
    assert {w.source for w in again.warnings} == {base + "activity/2"}
    [other_language] = admit_page([member(base + "activity/3")], source, [source], "sv", memo)
    assert memo.misses == 3 and other_language.verdict == ACCEPT  # messages differ by language
