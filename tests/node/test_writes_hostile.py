"""Small valid writes whose stored document nests deeply: a finding or a stored case, never a 500."""

from __future__ import annotations

import json
import time

from writer_support import case

from stafett.problems import PROBLEM_MEDIA_TYPE

LONG_LIST = {
    "@context": [
        "https://w3id.org/stafett/context/v1",
        {"steps": {"@id": "https://example.org/steps", "@container": "@list"}},
    ]
}


def chain_turtle(links: int) -> bytes:
    head = (
        "@prefix stf: <https://w3id.org/stafett/ns#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix ex: <https://example.org/> .\n"
        '_:case a stf:Case ; dct:title "Kedja"@sv ; ex:next _:b0 .\n'
    )
    links_text = "".join(f"_:b{i} ex:next _:b{i + 1} .\n" for i in range(links))
    return (head + links_text).encode()


def refused_with_a_finding_or_stored(writer_node, response):
    assert response.status_code in (201, 413, 422), response.text[:500]
    if response.status_code == 201:
        slug = response.json()["slug"]
        public = writer_node.anonymous.get(f"case/{slug}", headers={"Accept": "application/ld+json"})
        assert public.status_code == 200
        return None
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    problem = response.json()
    assert problem["findings"] and problem["findings"][0]["severity"] == "Violation"
    return problem


def test_a_130_item_list_is_a_finding_not_a_500(writer_node):
    document = case(**LONG_LIST, steps=[f"step {i}" for i in range(130)])
    response = writer_node.post(document)
    problem = refused_with_a_finding_or_stored(writer_node, response)
    assert problem and problem["status"] == 413
    assert "nest" in problem["detail"] and "24" in problem["detail"]
    assert writer_node.store.count_changes() == 0  # nothing half-written
    assert writer_node.post(case()).status_code == 201  # the node still takes writes


def test_a_chain_of_3000_blank_nodes_is_a_finding_not_a_500(writer_node):
    response = writer_node.http.post(
        "cases", content=chain_turtle(3000), headers={"Content-Type": "text/turtle"}
    )
    problem = refused_with_a_finding_or_stored(writer_node, response)
    assert problem and problem["status"] == 413
    assert writer_node.store.count_changes() == 0


def test_a_short_list_is_still_stored(writer_node):
    response = writer_node.post(case(**LONG_LIST, steps=["one", "two", "three"]))
    assert response.status_code == 201, response.text[:500]


def test_19000_keywords_get_a_quick_finding_naming_the_key_the_count_and_the_limit(writer_node):
    from stafett.shapes.bounds import MAX_VALUES_PER_PROPERTY

    document = case(keyword={"sv": [f"nyckelord {i}" for i in range(19_000)]})
    body = json.dumps(document).encode()
    assert 300_000 < len(body) < writer_node.settings.max_body_bytes  # under every byte limit
    started = time.monotonic()
    response = writer_node.post(body, **{"Accept-Language": "sv"})
    elapsed = time.monotonic() - started
    assert response.status_code == 422, response.text[:300]
    (finding,) = [f for f in response.json()["findings"] if f["rule"].endswith("Document-value-count")]
    assert finding["field"] == "keyword" and finding["value"] == "19000"
    assert "19000" in finding["message"] and str(MAX_VALUES_PER_PROPERTY) in finding["message"]
    assert finding["message"].startswith('"keyword" har')  # in the language asked for
    assert elapsed < 10, f"{elapsed:.1f} s"  # was over 90 s
    assert writer_node.store.count_changes() == 0


def test_nested_objects_that_point_at_each_other_end_the_depth_walk(writer_node):
    turtle = (
        b"@prefix stf: <https://w3id.org/stafett/ns#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        b"@prefix ex: <https://example.org/> .\n"
        b'_:case a stf:Case ; dct:title "Ring"@sv ; ex:next _:a .\n'
        b"_:a ex:next _:b . _:b ex:next _:a ; ex:back _:case .\n"
    )
    response = writer_node.http.post("cases", content=turtle, headers={"Content-Type": "text/turtle"})
    refused_with_a_finding_or_stored(writer_node, response)
