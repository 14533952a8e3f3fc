"""docs/protocol.md documents every read route and every feed term the node serves."""

import pathlib
import re

from stafett.node import catalogue, feed, pages
from stafett.node.settings import NodeSettings

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_read_route_is_documented(tmp_path):
    settings = NodeSettings(base_url="http://node.example/", data_dir=tmp_path, org_name={"en": "N"},
                            org_number="1", country="SWE", languages=("en",))
    doc = (ROOT / "docs" / "protocol.md").read_text("utf-8")
    paths = [r.path for module in (catalogue, pages, feed) for r in module.routes(settings, store=None)]
    assert len(paths) >= 9
    for path in paths:
        documented = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: "{" + m.group(1) + "}", path)
        documented = documented.replace("{index}", "{k}")
        assert f"`{documented}" in doc, f"{path} is not in docs/protocol.md"


def test_every_stream_term_is_documented():
    doc = (ROOT / "docs" / "protocol.md").read_text("utf-8")
    source = (ROOT / "node" / "feed.py").read_text("utf-8")
    terms = set(re.findall(r'n\("(\w+)", (?:LDES|TREE)\)', source))
    assert {"timestampPath", "versionOfPath", "immutable", "relation", "member"} <= terms
    for term in terms:
        assert term in doc, f"{term} is not in docs/protocol.md"
