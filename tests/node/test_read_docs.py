"""docs/protocol.md documents every read route and every feed term the node serves."""

import json
import pathlib
import re

import pyoxigraph as ox
from writer_support import case

from stafett.node import publish
from stafett.node.api import cases, catalogue, feed
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.node.web.pages import Pages
from stafett.vocabulary.terms import LDES, TREE

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_read_route_is_documented(tmp_path):
    settings = NodeSettings(
        base_url="http://node.example/",
        data_dir=tmp_path,
        org_name={"en": "N"},
        org_number="1",
        country="SWE",
        languages=("en",),
    )
    doc = (ROOT / "docs" / "protocol.md").read_text("utf-8")
    pages = Pages(settings)
    routes = [
        *catalogue.routes(settings, None, pages),
        *cases.routes(settings, None, pages),
        *feed.routes(settings, None),
    ]
    paths = [r.path for r in routes]
    assert len(paths) >= 9
    for path in paths:
        documented = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: "{" + m.group(1) + "}", path)
        documented = documented.replace("{index}", "{k}")
        assert f"`{documented}" in doc, f"{path} is not in docs/protocol.md"


def test_every_stream_term_is_documented(tmp_path):
    """Every LDES and TREE term in a served feed (root, a closed page, the open page) is in the doc."""
    settings = NodeSettings(
        base_url="http://node.example/",
        data_dir=tmp_path,
        org_name={"en": "N"},
        org_number="1",
        country="SWE",
        languages=("en",),
        feed_page_size=1,
    )
    store = NodeStore(settings.database_path)
    for slug in ("first", "second"):
        body = json.dumps(case(title={"en": slug})).encode()
        triples = publish.parse(body, "application/ld+json", settings)
        publish.commit(store, settings, publish.prepare(triples, settings, slug), state="published")
    served = feed.Feed(settings, store)
    quads = [*served.root()[0], *served.page(0), *served.page(1)]
    iris = {t.value for q in quads for t in (q.predicate, q.object) if isinstance(t, ox.NamedNode)}
    terms = {iri.rsplit("#", 1)[1] for iri in iris if iri.startswith((LDES, TREE))}
    assert {"timestampPath", "versionOfPath", "immutable", "relation", "member"} <= terms
    doc = (ROOT / "docs" / "protocol.md").read_text("utf-8")
    for term in terms:
        assert term in doc, f"{term} is not in docs/protocol.md"
