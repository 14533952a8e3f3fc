"""The rendered-representation cache never serves an outdated case: not after an update, not
after a delete, not after the case is published again."""

import json

import pytest
import test_read_support as support

FORMATS = ["application/ld+json", "text/turtle", "application/n-triples", "text/html"]


@pytest.fixture()
def node():
    with support.running_node() as node:
        yield node


def warm(node, slug):
    """GET every format twice, so each representation is cached before the case changes."""
    answers = {}
    for media in FORMATS:
        for _ in range(2):
            answer = node.http.get(f"/case/{slug}", headers={"Accept": media, "Accept-Language": "en"})
            assert answer.status_code == 200
        answers[media] = answer
    return answers


def retitled(path, title: str) -> dict:
    document = json.loads(path.read_bytes())
    document["title"] = {lang: f"{title} {lang}" for lang in document["title"]}
    return document


def assert_served_fresh(node, slug: str, before: dict, title: str) -> None:
    """In every format: 200, a new ETag, and the new title in the body."""
    for media in FORMATS:
        answer = node.http.get(f"/case/{slug}", headers={"Accept": media, "Accept-Language": "en"})
        assert answer.status_code == 200
        assert answer.headers["etag"] != before[media].headers["etag"]
        assert title in answer.text


def test_an_update_is_served_at_once_in_every_format(node):
    path = support.example_files()[0]
    slug = path.stem
    node.publish_example(path)
    before = warm(node, slug)
    record = node.publish(retitled(path, "Freshly renamed case"), slug)
    assert_served_fresh(node, slug, before, "Freshly renamed case")
    assert all("Freshly renamed case" not in before[media].text for media in FORMATS)
    ld = node.http.get(f"/case/{slug}", headers={"Accept": "application/ld+json"})
    assert ld.headers["etag"] == record.etag
    assert json.loads(ld.content)["version"] in (record.version, str(record.version))
    # the old ETag no longer matches: a client holding it gets the new body, not a 304
    old_etag = before["application/ld+json"].headers["etag"]
    stale = {"Accept": "application/ld+json", "If-None-Match": old_etag}
    again = node.http.get(f"/case/{slug}", headers=stale)
    assert again.status_code == 200 and again.headers["etag"] == record.etag


def test_a_delete_is_gone_at_once_and_a_republish_is_served_fresh(node):
    path = support.example_files()[1]
    slug = path.stem
    node.publish_example(path)
    before = warm(node, slug)
    node.delete(slug)
    for media in FORMATS:
        answer = node.http.get(f"/case/{slug}", headers={"Accept": media, "Accept-Language": "en"})
        assert answer.status_code == 410
        assert "etag" not in answer.headers
    record = node.publish(retitled(path, "Back again"), slug)
    assert_served_fresh(node, slug, before, "Back again")
    assert node.http.get(f"/case/{slug}").headers["etag"] == record.etag
