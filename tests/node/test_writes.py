"""The write API over real HTTP: create, replace with If-Match, delete, drafts, limits, errors."""

from __future__ import annotations

import json

from writer_support import case

from stafett import languages
from stafett.problems import PROBLEM_MEDIA_TYPE


def test_create_publishes_with_node_minted_iri_and_a_feed_change(writer_node):
    response = writer_node.post(case())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] == writer_node.settings.case_iri(body["slug"])
    assert body["slug"] == "fossilfria-transporter"  # from the title in the node's first language
    assert body["state"] == "published" and body["version"] == 1 and body["change"] == "Create"
    assert response.headers["ETag"] == body["etag"]
    changes = writer_node.store.changes_after(0, 10)
    assert [(c.kind, c.case_iri) for c in changes] == [("Create", body["id"])]
    assert changes[0].ntriples == writer_node.store.get_case(body["id"]).ntriples
    public = writer_node.anonymous.get(f"case/{body['slug']}", headers={"Accept": "application/ld+json"})
    assert public.status_code == 200


def test_same_title_gets_a_second_address(writer_node):
    first = writer_node.post(case()).json()["slug"]
    second = writer_node.post(case()).json()["slug"]
    assert second == f"{first}-2"


def test_put_requires_if_match_and_refuses_a_stale_one(writer_node):
    created = writer_node.post(case()).json()
    slug, etag = created["slug"], created["etag"]
    changed = case(status="implemented")
    missing = writer_node.put(slug, changed, None)
    assert missing.status_code == 428
    assert missing.headers["content-type"] == PROBLEM_MEDIA_TYPE
    stale = writer_node.put(slug, changed, '"1-0000"')
    assert stale.status_code == 412
    assert etag in stale.json()["detail"]
    ok = writer_node.put(slug, changed, etag)
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2 and ok.json()["change"] == "Update"
    assert ok.json()["document"]["status"] == "implemented"
    again = writer_node.put(slug, changed, etag)  # the first ETag is now stale
    assert again.status_code == 412


def test_unchanged_put_makes_no_version_and_no_change(writer_node):
    created = writer_node.post(case()).json()
    response = writer_node.put(created["slug"], case(), created["etag"])
    assert response.status_code == 200
    assert response.json()["changed"] is False and response.json()["version"] == 1
    assert writer_node.store.count_changes() == 1


def test_drafts_are_private_until_published(writer_node):
    created = writer_node.post(case(), state="draft").json()
    slug = created["slug"]
    assert created["change"] is None
    assert writer_node.anonymous.get(f"case/{slug}").status_code == 404
    read = writer_node.http.get(f"cases/{slug}")
    assert read.status_code == 200 and read.headers["Stafett-State"] == "draft"
    assert writer_node.anonymous.get(f"cases/{slug}").status_code == 401
    assert writer_node.store.count_changes() == 0
    published = writer_node.put(slug, read.json(), read.headers["ETag"], state="published")
    assert published.json()["change"] == "Create"
    unpublished = writer_node.put(slug, read.json(), published.headers["ETag"], state="draft")
    assert unpublished.json()["change"] == "Delete"
    assert [c.kind for c in writer_node.store.changes_after(0, 10)] == ["Create", "Delete"]


def test_delete_writes_a_tombstone_and_republish_creates(writer_node):
    created = writer_node.post(case()).json()
    slug = created["slug"]
    stale = writer_node.http.delete(f"cases/{slug}", headers={"If-Match": '"9-stale"'})
    assert stale.status_code == 412
    deleted = writer_node.http.delete(f"cases/{slug}")
    assert deleted.status_code == 204
    assert writer_node.anonymous.get(f"case/{slug}").status_code == 410
    assert writer_node.http.delete(f"cases/{slug}").status_code == 404
    back = writer_node.put(slug, case(), deleted.headers["ETag"])
    assert back.status_code == 200 and back.json()["change"] == "Create"
    changes = writer_node.store.changes_after(0, 10)
    assert [c.kind for c in changes] == ["Create", "Delete", "Create"]
    # issue 16: the Delete carries the node's signed tombstone, not an empty snapshot
    tombstone = changes[1].ntriples.decode()
    assert "activitystreams#Tombstone" in tombstone and "security#proofValue" in tombstone
    assert "dct" not in tombstone and "title" not in tombstone  # no case content in a tombstone


def test_node_set_fields_from_the_client_are_ignored_and_reported(writer_node):
    sent = case(
        id="https://evil.example/case/mine",
        issued="1999-01-01T00:00:00Z",
        version="42",
        publisher={"name": {"en": "Someone else"}},
    )
    response = writer_node.post(sent)
    assert response.status_code == 201, response.text
    body = response.json()
    document = body["document"]
    assert document["id"].startswith(writer_node.settings.base_url)
    assert document["publisher"]["id"] == writer_node.settings.publisher_iri
    assert document["publisher"]["name"] == {"sv": "Växjö kommun", "en": "Växjö Municipality"}
    assert document["issued"] != "1999-01-01T00:00:00Z" and document["version"] == "1"
    ignored = {f["field"] for f in body["findings"] if f.get("rule") == "node-set"}
    assert ignored == {"id", "issued", "version", "publisher"}
    assert b"Someone else" not in writer_node.store.get_case(body["id"]).ntriples


def test_nested_objects_get_iris_under_the_case(writer_node):
    body = writer_node.post(case()).json()
    record = writer_node.store.get_case(body["id"])
    assert b"_:" not in record.ntriples
    assert record.document["buyer"][0]["id"] == body["id"] + "#buyer-1"
    assert record.document["cost"]["id"] == body["id"] + "#cost"


def test_nested_object_with_a_foreign_iri_is_refused(writer_node):
    sent = case(buyer=[{"id": "https://elsewhere.example/org/1", "name": {"sv": "X"}}])
    response = writer_node.post(sent)
    assert response.status_code == 422
    assert "https://elsewhere.example/org/1" in response.json()["detail"]


def test_violations_come_back_in_the_requested_language(writer_node):
    english = writer_node.post(case(title=None), **{"Accept-Language": "en"})
    swedish = writer_node.post(case(title=None), **{"Accept-Language": "sv-SE, en;q=0.5"})
    assert english.status_code == swedish.status_code == 422
    assert swedish.headers["content-type"] == PROBLEM_MEDIA_TYPE
    problem = swedish.json()
    assert problem["type"].endswith("/validation-failed") and problem["status"] == 422
    en_violations = [f for f in english.json()["findings"] if f["severity"] == "Violation"]
    sv_violations = [f for f in problem["findings"] if f["severity"] == "Violation"]
    assert any(f.get("field") == "title" for f in sv_violations)
    assert {f["message"] for f in sv_violations}.isdisjoint({f["message"] for f in en_violations})
    assert writer_node.store.count_published() == 0


def test_limits_and_content_types(writer_node):
    limit = writer_node.settings.max_body_bytes
    big = writer_node.post(b" " * (limit + 1))
    assert big.status_code == 413 and big.headers["content-type"] == PROBLEM_MEDIA_TYPE
    deep = {"@context": "https://w3id.org/stafett/context/v1", "type": "Case"}
    node = deep
    for _ in range(100):
        node["buyer"] = {"name": {"sv": "x"}}
        node = node["buyer"]
    nested = writer_node.post(deep)
    assert nested.status_code == 413 and "nested" in nested.json()["detail"]
    wrong = writer_node.http.post("cases", content=b"title: x", headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 415 and "application/ld+json" in wrong.json()["detail"]
    broken = writer_node.post(b"{not json")
    assert broken.status_code == 400 and broken.json()["type"].endswith("/unreadable-input")
    # Right JSON, wrong JSON-LD (what schemathesis found: the schema is open, JSON-LD is not): 422.
    not_ld = writer_node.post(case(title={"sv": 5}))
    assert not_ld.status_code == 422, not_ld.text
    assert not_ld.json()["type"].endswith("/invalid-json-ld")
    assert "language map" in not_ld.json()["findings"][0]["message"]
    remote = writer_node.post(case(**{"@context": "http://127.0.0.1:9/ctx"}))
    assert remote.status_code == 400 and "context" in remote.json()["detail"]


def test_turtle_writes_are_accepted(writer_node):
    turtle = """
        @prefix stf: <https://w3id.org/stafett/ns#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix adms: <http://www.w3.org/ns/adms#> .
        [] a stf:Case ; dct:title "Snöröjning med drönare"@sv ;
           adms:status <https://w3id.org/stafett/concept/case-status/pilot> .
    """
    response = writer_node.http.post(
        "cases", content=turtle.encode(), headers={"Content-Type": "text/turtle"}
    )
    assert response.status_code in (201, 422), response.text
    if response.status_code == 201:
        assert response.json()["slug"] == "snorojning-med-dronare"
    else:  # the shapes may demand more fields; the refusal must still name them
        assert response.json()["findings"]


def test_openapi_lists_every_write_route(writer_node):
    spec = writer_node.anonymous.get("openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    documented = {
        (path, method.upper())
        for path, item in spec["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert documented == {
        ("/cases", "POST"),
        ("/cases/{slug}", "GET"),
        ("/cases/{slug}", "PUT"),
        ("/cases/{slug}", "DELETE"),
    }
    from stafett.node.api import writes

    served = {
        (r.path, m)
        for r in writes.routes(writer_node.settings, writer_node.store)
        for m in r.methods
        if m != "HEAD"
    }
    assert served == documented


def test_unknown_route_is_a_problem_not_a_traceback(writer_node):
    response = writer_node.anonymous.get("no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert json.loads(response.text)["status"] == 404


def test_the_nodes_own_messages_are_translated(writer_node):
    from stafett.node.messages import MESSAGES

    finnish = writer_node.post(case(version="7"), **{"Accept-Language": "fi"}).json()
    (ignored,) = [f for f in finnish["findings"] if f.get("rule") == "node-set"]
    assert ignored["message"] == MESSAGES["node-set"]["fi"].format(field="version")
    no_case = {"@context": "https://w3id.org/stafett/context/v1", "title": {"nb": "Uten type"}}
    refused = writer_node.post(no_case, **{"Accept-Language": "nb-NO"})
    assert refused.status_code == 422
    assert refused.json()["findings"][0]["message"] == MESSAGES["no-case"]["nb"]
    assert all(set(texts) == set(languages.SUPPORTED) for texts in MESSAGES.values())


def test_hostile_text_cannot_add_triples_about_others(writer_node):
    evil = 'x" .\n<http://victim.example/a> <http://purl.org/dc/terms/title> "owned'
    response = writer_node.post(case(title={"sv": evil}, keyword={"sv": ["a\n_:b0 <p> <o> ."]}))
    assert response.status_code == 201, response.text
    record = writer_node.store.get_case(response.json()["id"])
    for line in record.ntriples.decode().splitlines():
        assert line.startswith(f"<{writer_node.settings.base_url}"), line
    assert record.document["title"]["sv"] == evil
    other_case = case(
        buyer=[{"id": writer_node.settings.case_iri("someone-else") + "#buyer-1", "name": {"sv": "Kapad"}}]
    )
    assert writer_node.post(other_case).status_code == 422
