"""The change feed: LDES/TREE structure, paging, immutability, caching, rate limits, formats, state."""

import hashlib
import json
import pathlib
import time

import pyoxigraph as ox
import pytest
import rdflib
import test_read_support as support

HERE = pathlib.Path(__file__).resolve().parent
LDES, TREE = "https://w3id.org/ldes#", "https://w3id.org/tree#"
AS = "https://www.w3.org/ns/activitystreams#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = {
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "application/ld+json": "json-ld",
}


@pytest.fixture(scope="module")
def node():
    """8 changes over pages of 3: two closed pages and one open page; one delete, one update."""
    files = support.example_files()
    with support.running_node() as node:
        for path in files[:6]:
            node.publish_example(path)
        node.delete(files[1].stem)
        changed = json.loads(files[2].read_text())
        changed["title"] = {**changed.get("title", {}), "en": "A changed title"}
        node.publish(changed, files[2].stem)
        yield node


def fetch(node, url, accept="application/trig", **headers):
    return node.http.get(url, headers={"Accept": accept, **headers})


def quads_of(answer) -> list[ox.Quad]:
    return list(ox.parse(answer.content, FORMATS[answer.headers["content-type"].split(";")[0]]))


def objects(quads, subject, predicate):
    return [
        q.object
        for q in quads
        if q.subject.value == subject and q.predicate.value == predicate and q.graph_name == ox.DefaultGraph()
    ]


def walk(node) -> list[tuple[str, object, list[ox.Quad]]]:
    """Every page reachable from the root by tree:node links, in page order."""
    root = node.base + "feed"
    pages, queue, seen = [], [root], set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        answer = fetch(node, url)
        assert answer.status_code == 200, f"linked page {url} answered {answer.status_code}"
        quads = quads_of(answer)
        for relation in objects(quads, url, TREE + "relation"):
            queue += [o.value for o in objects(quads, relation.value, TREE + "node")]
        if url != root:
            pages.append((url, answer, quads))
    return sorted(pages, key=lambda p: int(p[0].rsplit("/", 1)[1]))


def test_stream_description_uses_plain_predicates_and_absolute_iris(node):
    answer = fetch(node, "/feed")
    quads = quads_of(answer)
    stream = node.base + "feed#stream"
    assert objects(quads, stream, RDF_TYPE) == [ox.NamedNode(LDES + "EventStream")]
    assert objects(quads, stream, LDES + "timestampPath") == [ox.NamedNode(AS + "published")]
    assert objects(quads, stream, LDES + "versionOfPath") == [ox.NamedNode(AS + "object")]
    for kind in ("Create", "Update", "Delete"):
        assert objects(quads, stream, f"{LDES}version{kind}Object") == [ox.NamedNode(AS + kind)]
    assert objects(quads, stream, TREE + "view") == [ox.NamedNode(node.base + "feed")]  # the URL fetched
    assert int(objects(quads, stream, LDES + "pollingInterval")[0].value) == node.settings.polling_interval
    shape = objects(quads, stream, TREE + "shape")[0].value
    shapes = node.http.get(shape)
    assert shapes.status_code == 200 and shapes.headers["content-type"].startswith("text/turtle")
    assert list(ox.parse(shapes.content, ox.RdfFormat.TURTLE))
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode):
                assert term.value.startswith(("http://", "https://")), term


def test_pages_hold_every_change_once_in_strictly_increasing_time(node):
    pages = walk(node)
    assert len(pages) == 3
    changes = node.store.changes_after(0, 100)
    members = []
    for _url, _answer, quads in pages:
        for member in objects(quads, node.base + "feed#stream", TREE + "member"):
            published = objects(quads, member.value, AS + "published")[0]
            assert published.datatype.value.endswith("#dateTime")
            kind = objects(quads, member.value, RDF_TYPE)[0].value.removeprefix(AS)
            case = objects(quads, member.value, AS + "object")[0].value
            graph = {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == member}
            members.append((published.value, kind, case, graph))
    assert [m[0] for m in members] == sorted({m[0] for m in members})  # strictly increasing
    assert [(m[0], m[1], m[2]) for m in members] == [(c.published, c.kind, c.case_iri) for c in changes]
    for (_, kind, _, graph), change in zip(members, changes, strict=True):
        expected = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(change.ntriples, ox.RdfFormat.N_TRIPLES)
        }
        assert graph == expected  # complete snapshot; empty for the Delete tombstone
        assert bool(graph) == (kind != "Delete")


def test_relations_bound_each_page_by_time(node):
    root = node.base + "feed"
    quads = quads_of(fetch(node, "/feed"))
    bounds = {}
    for relation in objects(quads, root, TREE + "relation"):
        kind = objects(quads, relation.value, RDF_TYPE)[0].value.removeprefix(TREE)
        assert objects(quads, relation.value, TREE + "path") == [ox.NamedNode(AS + "published")]
        value = objects(quads, relation.value, TREE + "value")[0]
        assert value.datatype.value.endswith("#dateTime")
        target = objects(quads, relation.value, TREE + "node")[0].value
        bounds.setdefault(target, {})[kind] = value.value
    for url, _answer, page_quads in walk(node):
        times = [q.object.value for q in page_quads if q.predicate.value == AS + "published"]
        assert min(times) >= bounds[url]["GreaterThanOrEqualToRelation"]
        if "LessThanRelation" in bounds[url]:
            assert max(times) < bounds[url]["LessThanRelation"]
    assert sum("LessThanRelation" in b for b in bounds.values()) == 2  # the open page is unbounded


def test_closed_pages_are_immutable_and_stable_the_open_page_is_not(node):
    pages = walk(node)
    for url, answer, quads in pages[:2]:
        assert answer.headers["cache-control"] == "public, max-age=604800, immutable"
        assert objects(quads, url, LDES + "immutable")[0].value == "true"
    url, open_page, quads = pages[2]
    assert "immutable" not in open_page.headers["cache-control"]
    assert not objects(quads, url, LDES + "immutable")
    before = fetch(node, pages[0][0]).content
    node.publish_example(support.example_files()[7])  # the open page grows...
    assert fetch(node, pages[0][0]).content == before  # ...a closed page never changes
    assert fetch(node, url).headers["etag"] != open_page.headers["etag"]


def test_root_and_open_page_answer_304(node):
    for url in ("/feed", "/feed/state"):
        first = fetch(node, url)
        again = fetch(node, url, **{"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, url


@pytest.mark.parametrize("media", list(FORMATS))
def test_every_format_parses_to_the_same_dataset_in_rdflib_and_pyoxigraph(node, media):
    url = walk(node)[0][0]
    answer = fetch(node, url, media)
    assert answer.headers["content-type"].startswith(media)
    assert answer.headers["vary"] == "Accept"
    ours = ox.Dataset(quads_of(answer))
    assert ours == ox.Dataset(quads_of(fetch(node, url, "application/n-quads")))
    theirs = rdflib.Dataset()
    theirs.parse(data=answer.content, format=RDFLIB_FORMATS[media])
    assert len(list(theirs.quads((None, None, None, None)))) == len(ours)
    if media == "application/ld+json":
        document = json.loads(answer.content)
        assert isinstance(document["@context"], dict)  # inline: nothing for a client to fetch
        ids = []
        stack = [document]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                ids += [v for k, v in value.items() if k == "@id"]
                stack += list(value.values())
            elif isinstance(value, list):
                stack += value
        assert all(i.startswith(("http://", "https://", "mailto:", "tel:")) for i in ids)


def test_unlinked_page_beyond_the_end_is_404_and_bad_format_406(node):
    assert fetch(node, "/feed/999").status_code == 404
    assert fetch(node, "/feed", "text/turtle").status_code == 406


def test_current_state_lists_live_cases_with_their_hash(node):
    state = node.http.get("/feed/state").json()
    live = {r.iri: hashlib.sha256(r.ntriples).hexdigest() for r in node.store.list_published(0, 100)}
    assert {c["id"]: c["sha256"] for c in state["cases"]} == live
    assert support.example_files()[1].stem not in json.dumps(state)  # the deleted case is not live


def test_a_flood_gets_429_with_retry_after():
    # a small budget (10 at once, 1 per second) keeps the flood short; defaults are 60 and 5/s
    with support.running_node(feed_burst=10, feed_rate=1.0) as node:
        node.publish_example(support.example_files()[0])
        answers = [fetch(node, "/feed").status_code for _ in range(30)]
        assert 429 in answers and answers[0] == 200
        limited = fetch(node, "/feed")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.headers["content-type"] == "application/problem+json"
        open_page = [fetch(node, "/feed/0").status_code for _ in range(5)]
        assert 429 in open_page  # the open page shares the budget
        time.sleep(float(limited.headers["retry-after"]))
        assert fetch(node, "/feed").status_code == 200


def test_a_full_page_is_closed_at_once_and_never_changes():
    files = support.example_files()
    with support.running_node() as node:
        for path in files[:2]:
            node.publish_example(path)
        assert "immutable" not in fetch(node, "/feed/0").headers["cache-control"]
        node.publish_example(files[2])
        closed = fetch(node, "/feed/0")
        assert closed.headers["cache-control"] == "public, max-age=604800, immutable"
        assert not [q for q in quads_of(closed) if q.predicate.value == TREE + "relation"]  # a leaf
        node.publish_example(files[3])
        node.delete(files[0].stem)
        assert fetch(node, "/feed/0").content == closed.content
