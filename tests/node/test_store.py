"""The store and the publishing steps: ordered changes, full history, canonical snapshots."""

from __future__ import annotations

import itertools
import json
import random
import threading

import pyoxigraph as ox
import pytest
from writer_support import EXAMPLES, case

from stafett.node import publish
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore, parse_time
from stafett.problems import Problem
from stafett.vocabulary.jsonld import json_ld_to_quads


@pytest.fixture
def setup(tmp_path):
    settings = NodeSettings(
        "http://127.0.0.1:9/", tmp_path, {"sv": "Växjö kommun"}, "212000-0688", "SWE", ("sv", "en")
    )
    return settings, NodeStore(settings.database_path)


def save(store, settings, document, slug, state="published", **kw):
    triples = publish.parse(json.dumps(document).encode(), "application/ld+json", settings)
    return publish.commit(store, settings, publish.prepare(triples, settings, slug), state=state, **kw).result


def test_change_times_strictly_increase_under_concurrent_writers(setup):
    settings, store = setup
    errors = []

    def writer(n):
        try:
            for i in range(3):
                save(store, settings, case(status=["pilot", "implemented", "scaled-up"][i]), f"c{n}")
        except Exception as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    changes = store.changes_after(0, 100)
    assert len(changes) == 12
    times = [c.published for c in changes]
    assert times == sorted(times) and len(set(times)) == 12
    assert all(parse_time(b) > parse_time(a) for a, b in itertools.pairwise(times))
    # whole milliseconds, so clients comparing at ms precision still see a strict order
    assert all(t.endswith("000Z") for t in times)
    assert len({t[:23] for t in times}) == 12
    assert [c.kind for c in changes if c.case_iri.endswith("/c0")] == ["Create", "Update", "Update"]
    assert store.last_modified() == times[-1]


def test_changes_between_uses_time_bounds_in_any_xsd_form(setup):
    settings, store = setup
    for n in range(5):
        save(store, settings, case(), f"c{n}")
    changes = store.changes_after(0, 10)
    middle = changes[2].published
    assert store.changes_between(middle, None, 10) == changes[2:]
    assert store.changes_between(None, middle, 10) == changes[:2]
    whole_second = middle[:19] + "Z"  # no fraction: must still compare as a time, not as text
    assert store.changes_between(whole_second, None, 10)[0].published >= whole_second.replace("Z", ".000000Z")
    assert store.change_bounds() == (changes[0], changes[-1])


def test_history_is_kept_and_current_state_hashes_live_cases(setup):
    settings, store = setup
    iri = save(store, settings, case(), "a").record.iri
    save(store, settings, case(status="implemented"), "a")
    save(store, settings, case(), "b", state="draft")
    assert [v.version for v in store.history(iri)] == [1, 2]
    assert [i for i, _ in store.current_state()] == [iri]
    store.delete_case(iri)
    assert store.current_state() == []
    assert store.get_case(iri).state == "deleted"
    assert [v.state for v in store.history(iri)] == ["published", "published", "deleted"]


def test_stale_etag_is_refused_in_the_transaction(setup):
    settings, store = setup
    first = save(store, settings, case(), "a")
    save(store, settings, case(status="implemented"), "a", if_match=first.record.etag)
    with pytest.raises(Problem) as err:
        save(store, settings, case(status="scaled-up"), "a", if_match=first.record.etag)
    assert err.value.status == 412


def test_list_order_does_not_change_the_snapshot(setup):
    settings, _ = setup
    document = json.loads((EXAMPLES / "vaxjo-digital-night-supervision-pilot.jsonld").read_bytes())
    document["buyer"].append({"name": {"sv": "Alvesta kommun"}, "orgNumber": "212000-0650", "country": "SWE"})
    shuffled = json.loads(json.dumps(document))
    for key in ("buyer", "keyword", "innovationApproach"):
        value = shuffled[key]
        if isinstance(value, list):
            random.Random(7).shuffle(value)
    a = publish.prepare(
        publish.parse(json.dumps(document).encode(), "application/ld+json", settings), settings, "x"
    )
    b = publish.prepare(
        publish.parse(json.dumps(shuffled).encode(), "application/ld+json", settings), settings, "x"
    )
    assert a.content_hash == b.content_hash
    assert publish.canonical_ntriples(a.triples) == publish.canonical_ntriples(b.triples)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.jsonld"))[:6], ids=lambda p: p.stem)
def test_stored_document_parses_back_to_the_stored_snapshot(setup, path):
    settings, store = setup
    record = save(store, settings, json.loads(path.read_bytes()), path.stem[:40]).record
    quads = json_ld_to_quads(json.loads(json.dumps(record.document)))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    assert publish.canonical_ntriples(triples) == record.ntriples
    lines = record.ntriples.decode().splitlines()
    assert lines == sorted(lines) and not any("_:" in line.split(" ")[0] for line in lines)
    subjects = {line.split(" ")[0].strip("<>") for line in lines}
    assert all(s.startswith(settings.base_url) for s in subjects)
