"""A real node on loopback for the read-side tests (loaded by test_read*, test_feed*, test_ldes*).

Cases are written through the node's own publishing steps (parse -> prepare -> stamp -> compact)
and its store's `save_case`/`delete_case`, i.e. the same path `publish.commit` takes, minus the
shape validation, which has its own tests (tests/shapes) and is being changed in parallel.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from stafett.node import publish
from stafett.node.app import create_app
from stafett.node.compact import compact_case
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.serving import bind, serve_in_thread, url_of

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "cases"


def load(name: str):
    """Import a sibling helper module by path (tests/node may or may not be a package)."""
    spec = importlib.util.spec_from_file_location(name, pathlib.Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def example_files() -> list[pathlib.Path]:
    return sorted(EXAMPLES.glob("*.jsonld"))


@dataclass
class Node:
    base: str
    settings: NodeSettings
    store: NodeStore
    http: httpx.Client

    def publish(self, raw: bytes | dict, slug: str, state: str = "published"):
        if isinstance(raw, dict):
            raw = json.dumps(raw).encode()
        triples = publish.parse(raw, "application/ld+json", self.settings)
        prepared = publish.prepare(triples, self.settings, slug)

        def render(issued, modified, version):
            stamped = publish.stamp(
                prepared.triples, self.settings, prepared.case_iri, issued, modified, version
            )
            return compact_case(stamped, prepared.case_iri), publish.canonical_ntriples(stamped)

        return self.store.save_case(
            iri=prepared.case_iri, slug=slug, state=state, content_hash=prepared.content_hash, render=render
        ).record

    def publish_example(self, path: pathlib.Path, slug: str | None = None):
        return self.publish(path.read_bytes(), slug or path.stem)

    def delete(self, slug: str):
        return self.store.delete_case(self.settings.case_iri(slug))


@contextmanager
def running_node(**overrides):
    with tempfile.TemporaryDirectory() as tmp:
        sock = bind()
        values = dict(
            base_url=url_of(sock),
            data_dir=pathlib.Path(tmp),
            org_name={"sv": "Växjö kommun", "en": "Växjö Municipality"},
            org_number="212000-0688",
            country="SWE",
            languages=("sv", "en"),
            contact_email="registrator@vaxjo.example",
            feed_page_size=3,
        )
        values.update(overrides)
        settings = NodeSettings(**values)
        store = NodeStore(settings.database_path)
        server = serve_in_thread(create_app(settings, store), sock)
        try:
            with httpx.Client(base_url=settings.base_url, timeout=30) as client:
                yield Node(settings.base_url, settings, store, client)
        finally:
            server.stop()
            store.close()
