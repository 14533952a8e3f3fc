"""The shared context parses with pyoxigraph and pyld to the same graph, and never loads remotely."""

import json

import pyoxigraph as ox
import pytest
from pyld import jsonld

from stafett.problems import Problem
from stafett.vocabulary.jsonld import (
    CONTEXT_URL,
    frozen_document_loader,
    json_ld_to_quads,
    load_json,
)

DOC = {
    "@context": CONTEXT_URL,
    "id": "https://node.example/case/1",
    "type": "Case",
    "title": {"sv": "Trygghetslarm", "fi": "Turvahälytin"},
    "status": "pilot",
    "cost": {"amount": 100, "currency": "SEK"},
}


def canonical(quads):
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return ds


def test_pyoxigraph_and_pyld_agree_on_the_context():
    ours = json_ld_to_quads(json.loads(json.dumps(DOC)))
    nq = jsonld.to_rdf(
        json.loads(json.dumps(DOC)),
        {"format": "application/n-quads", "documentLoader": frozen_document_loader},
    )
    theirs = list(ox.parse(nq.encode(), ox.RdfFormat.N_QUADS))
    assert len(ours) == 7
    assert canonical(ours) == canonical(theirs)


def test_unknown_context_is_refused_without_fetching():
    with pytest.raises(Problem) as err:
        json_ld_to_quads({"@context": "http://127.0.0.1:9/evil", "title": "x"})
    assert "unknown JSON-LD context" in err.value.detail


def test_deep_nesting_is_refused_before_parsing():
    deep = b'{"a":' * 4000 + b"1" + b"}" * 4000
    with pytest.raises(Problem) as err:
        load_json(deep)
    assert err.value.status == 413


def test_background_server_answers_on_loopback():
    import httpx
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from stafett.serving import bind, serve_in_thread

    sock = bind()
    app = Starlette(routes=[Route("/", lambda r: PlainTextResponse(str(r.url)))])
    server = serve_in_thread(app, sock)
    try:
        answer = httpx.get(server.base_url)
        assert answer.status_code == 200
        assert answer.text == server.base_url
    finally:
        server.stop()
