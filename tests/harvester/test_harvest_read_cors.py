"""406 and CORS on the registry's description, feed, state and reports, over real HTTP."""

import httpx
import pytest
from harvest_support import FeedServer, case_doc, served_registry

from stafett.harvester.sources import Source

ROUTES = ["", "feed", "feed/page/0", "feed/state", "reports", "reports/n"]
RDF = ["application/trig", "application/n-quads", "application/ld+json"]


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    node = FeedServer()
    for i in range(3):
        node.publish("Create", case_doc(node.base, f"c{i}"))
    registry, server = served_registry(
        tmp_path_factory.mktemp("reg"), "reg", [Source("n", node.base, (node.base,))]
    )
    registry.harvest()
    yield httpx.Client(base_url=registry.settings.base_url, timeout=10)
    server.stop()
    registry.close()
    node.stop()


@pytest.mark.parametrize("path", ROUTES)
def test_unacceptable_format_gets_406_problem_listing_what_is_offered(http, path):
    answer = http.get(path, headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 406
    offered = {"": [*RDF, "text/turtle", "application/n-triples"], "feed": RDF, "feed/page/0": RDF}.get(
        path, ["application/json"]
    )
    assert all(media in problem["detail"] for media in offered)
    assert answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ROUTES)
def test_every_answer_carries_cors_headers_and_preflight_is_answered(http, path):
    answer = http.get(path, headers={"Origin": "https://app.example"})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip() for h in answer.headers["access-control-expose-headers"].split(",")}
    assert {"ETag", "Link", "Retry-After"} <= exposed
    preflight = http.options(
        path,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "if-none-match" in preflight.headers["access-control-allow-headers"].lower()


def test_wildcards_and_q_values_pick_the_offered_format(http):
    assert http.get("feed", headers={"Accept": "*/*"}).headers["content-type"].startswith("application/trig")
    chosen = http.get("feed", headers={"Accept": "application/trig;q=0.5, application/n-quads"})
    assert chosen.headers["content-type"].startswith("application/n-quads")
    assert http.get("feed", headers={"Accept": "application/*;q=0.1, image/png"}).status_code == 200
    refused = http.get("feed", headers={"Accept": "application/trig;q=0, image/png"})
    assert refused.status_code == 406
    state = http.get("feed/state", headers={"Accept": "application/*"})
    assert state.status_code == 200 and state.json()["cases"]


def test_not_modified_and_not_found_keep_cors(http):
    root = http.get("feed")
    again = http.get("feed", headers={"If-None-Match": root.headers["etag"]})
    assert again.status_code == 304 and again.headers["access-control-allow-origin"] == "*"
    missing = http.get("feed/page/99")
    assert missing.status_code == 404 and missing.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["", "feed", "feed/page/0"])
def test_q_zero_on_a_type_excludes_it_even_beside_a_wildcard(http, path):
    answer = http.get(path, headers={"Accept": "application/ld+json;q=0, */*"})
    assert answer.status_code == 200
    assert not answer.headers["content-type"].startswith("application/ld+json")
