"""Forwarded headers through the real server: ignored unless the settings name the proxy."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from stafett.serving import bind, serve_in_thread, trusted_proxy_list


def client_address(request):
    return PlainTextResponse(request.client.host)


def seen_address(trusted_proxies: str, **headers) -> str:
    server = serve_in_thread(
        Starlette(routes=[Route("/", client_address)]), bind(), trusted_proxies=trusted_proxies
    )
    try:
        return httpx.get(server.base_url, headers=headers, timeout=10).text
    finally:
        server.stop()


def test_forwarded_for_from_loopback_is_ignored_by_default():
    assert seen_address("", **{"X-Forwarded-For": "203.0.113.9"}) == "127.0.0.1"


def test_forwarded_for_counts_from_a_named_proxy_or_network():
    assert seen_address("127.0.0.1", **{"X-Forwarded-For": "203.0.113.9"}) == "203.0.113.9"
    assert seen_address("127.0.0.0/8", **{"X-Forwarded-For": "203.0.113.9"}) == "203.0.113.9"
    assert seen_address("10.0.0.5", **{"X-Forwarded-For": "203.0.113.9"}) == "127.0.0.1"


def test_a_proxy_must_be_an_address_or_network():
    assert trusted_proxy_list(" 10.0.0.5 ,::1, ") == ["10.0.0.5", "::1"]
    with pytest.raises(ValueError, match=r"proxy\.example"):
        trusted_proxy_list("10.0.0.5,proxy.example")
