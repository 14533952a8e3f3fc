"""A real node on loopback with people, and a browser-like client (cookies, CSRF from the page)."""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass

import httpx

from stafett.node.bootstrap import init_node, start_node
from stafett.node.people import People
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.serving import bind, url_of

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REV = re.compile(r'name="rev" value="(\d+)"')


@dataclass
class AuthoringNode:
    settings: NodeSettings
    store: NodeStore
    people: People
    credentials: dict[str, str]
    server: object

    def client(self, lang: str = "sv") -> httpx.Client:
        return httpx.Client(base_url=self.settings.base_url, headers={"Accept-Language": lang}, timeout=30)

    def signed_in(self, name: str, lang: str = "sv") -> httpx.Client:
        client = self.client(lang)
        response = sign_in(client, name, self.credentials[name])
        assert response.status_code == 303, response.text
        return client


def start(tmp_path: pathlib.Path, **options) -> AuthoringNode:
    """A node of "Lillby kommun" (sv, en) with an editor, an approver and an administrator."""
    sock = bind()
    settings, store, _ = init_node(
        tmp_path / "node",
        url_of(sock),
        {"sv": "Lillby kommun", "en": "Lillby Municipality"},
        None,
        "SWE",
        ("sv", "en"),
        **options,
    )
    server = start_node(settings, store, sock)
    people = People(settings.database_path)
    credentials = {
        name: people.add(name, role)
        for name, role in (("anna", "editor"), ("bo", "approver"), ("cia", "admin"))
    }
    return AuthoringNode(settings, store, people, credentials, server)


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {page.url}"
    return found.group(1)


def sign_in(client: httpx.Client, name: str, credential: str) -> httpx.Response:
    token = csrf_of(client.get("sign-in"))
    return client.post("sign-in", data={"csrf": token, "name": name, "credential": credential})


def post_form(client: httpx.Client, page_path: str, action_path: str, values: dict, action: str = "save"):
    page = client.get(page_path)
    data = {**values, "csrf": csrf_of(page), "action": action}
    rev = REV.search(page.text)
    if rev and "rev" not in values:
        data["rev"] = rev.group(1)
    return client.post(action_path, data=data)
