"""docs/publishing.md documents every authoring route the node serves, and shows every screenshot."""

import pathlib
import re

from stafett.node.people import People
from stafett.node.sessions import Csrf
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.node.web import authoring_pages

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_authoring_route_is_documented(tmp_path):
    settings = NodeSettings("http://node.example/", tmp_path, {"sv": "N"}, None, "SWE", ("sv",))
    store = NodeStore(settings.database_path)
    routes = authoring_pages.routes(settings, store, People(settings.database_path), Csrf("s", 60))
    doc = (ROOT / "docs" / "publishing.md").read_text("utf-8")
    assert len(routes) >= 10
    for route in routes:
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: "{" + m.group(1) + "}", route.path)
        for method in sorted(route.methods - {"HEAD"}):
            assert f"`{method} {path}`" in doc, f"{method} {path} is not in docs/publishing.md"


def test_every_screenshot_the_browser_tests_take_is_shown_and_committed():
    doc = (ROOT / "docs" / "publishing.md").read_text("utf-8")
    source = (ROOT / "tests" / "browser" / "test_authoring.py").read_text("utf-8")
    for name in re.findall(r'shot\(\w+, "([^"]+)"\)', source):
        assert f"screenshots/{name}.png" in doc
        assert (ROOT / "docs" / "screenshots" / f"{name}.png").stat().st_size < 150_000
