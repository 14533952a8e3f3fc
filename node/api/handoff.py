"""The one thing the API knows about pages for people: what it hands a `text/html` request to.

A case IRI, the case list, the catalogue and the feed each serve RDF or HTML by Accept. The API negotiates,
caches and answers conditional GETs; when HTML wins it calls an `HtmlPages` for the body. node/app.py
passes node/web's implementation in, so node/api never imports node/web (and web never imports api).
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox
from starlette.requests import Request


class HtmlPages(Protocol):
    def case(self, document: dict, request: Request) -> str:
        """A published case (its stored JSON-LD document) as a page."""
        ...

    def gone(self, iri: str, deleted: str, request: Request) -> str:
        """The tombstone page of a case deleted at `deleted` (xsd:dateTime)."""
        ...

    def cases(self, document: dict, page: int, request: Request) -> str:
        """One page of the case list (the Hydra collection document)."""
        ...

    def catalogue(self, document: dict, request: Request) -> str:
        """The node's DCAT catalogue document as its front page."""
        ...

    def feed(self, root: list[ox.Quad], page: list[ox.Quad] | None, url: str, request: Request) -> str:
        """The change feed for a browser: the root's pages, or one page's members (`page` given)."""
        ...
