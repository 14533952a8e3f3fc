"""Helpers for the node's write-side tests: a real node on loopback with a token, a valid case."""

from __future__ import annotations

import copy
import json
import pathlib
from dataclasses import dataclass

import httpx

from stafett.node.bootstrap import init_node, start_node
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.serving import bind, url_of

CASE = {
    "@context": "https://w3id.org/stafett/context/v1",
    "type": "Case",
    "title": {"sv": "Fossilfria transporter", "en": "Fossil-free transport"},
    "summary": {"sv": "Kommunen provade elbussar i en innovationsupphandling."},
    "need": {"sv": "Bussarna släppte ut för mycket."},
    "status": "pilot",
    "innovationApproach": ["pcp"],
    "sector": ["transport"],
    "country": "SWE",
    "language": ["SWE"],
    "cpv": ["34144900"],
    "keyword": {"sv": ["elbuss"]},
    "buyer": [
        {"name": {"sv": "Växjö kommun"}, "orgNumber": "212000-0688", "country": "SWE", "legalType": "la"}
    ],
    "procedure": {"procedureType": "innovation", "jointProcurement": False},
    "startDate": "2021-03-01",
    "cost": {"amount": 1200000, "currency": "SEK"},
    "contact": [{"fullName": "Anna Andersson", "email": "mailto:anna@vaxjo.stafett.example"}],
}
EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "cases"
TEMPLATE = pathlib.Path(__file__).resolve().parents[2] / "node" / "case-template.csv"


@dataclass
class WriterNode:
    settings: NodeSettings
    store: NodeStore
    token: str
    http: httpx.Client  # authenticated
    anonymous: httpx.Client

    def post(self, document: dict | bytes, state: str = "published", **headers) -> httpx.Response:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        headers = {"Content-Type": "application/ld+json", **headers}
        return self.http.post("cases", params={"state": state}, content=body, headers=headers)

    def put(self, slug: str, document: dict, etag: str | None, **params) -> httpx.Response:
        headers = {"Content-Type": "application/ld+json"} | ({"If-Match": etag} if etag else {})
        return self.http.put(
            f"cases/{slug}", params=params, content=json.dumps(document).encode(), headers=headers
        )


def case(**changes) -> dict:
    document = copy.deepcopy(CASE)
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}


def make_node(tmp_path: pathlib.Path, **options):
    sock = bind()
    settings, store, token = init_node(
        tmp_path / "node",
        url_of(sock),
        {"sv": "Växjö kommun", "en": "Växjö Municipality"},
        "212000-0688",
        "SWE",
        ("sv", "en"),
        **options,
    )
    server = start_node(settings, store, sock)
    http = httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    anonymous = httpx.Client(base_url=settings.base_url, timeout=30)
    return server, WriterNode(settings, store, token, http, anonymous)
