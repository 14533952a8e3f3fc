"""The hardened fetcher: address refusal (SSRF), redirects re-checked and capped, conditional requests."""

import asyncio
import ipaddress
import zlib

import pytest
from harvest_support import FeedServer, case_doc
from starlette.responses import RedirectResponse, Response

from stafett.harvester.fetch import Fetcher, address_allowed, inflate
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.problems import Problem


@pytest.fixture
def node():
    server = FeedServer()
    server.publish("Create", case_doc(server.base, "c0"))
    yield server
    server.stop()


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "fc00::1",
        "fe80::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "127.0.0.1",
        "::1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not address_allowed(ipaddress.ip_address(address), allow_loopback=False)


def test_loopback_only_with_the_explicit_setting_and_private_ranges_never():
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), allow_loopback=True)
    assert address_allowed(ipaddress.ip_address("::1"), allow_loopback=True)
    assert not address_allowed(ipaddress.ip_address("10.1.2.3"), allow_loopback=True)
    assert address_allowed(ipaddress.ip_address("193.10.1.1"), allow_loopback=False)


def test_loopback_source_is_refused_without_allow_loopback(tmp_path, node):
    registry = Registry(
        RegistrySettings(data_dir=tmp_path, base_url="http://registry.test/"),
        [Source("n", node.base, (node.base,))],
    )
    [report] = registry.harvest()
    assert report["status"] == "failed" and "non-public address" in report["error"]
    assert sum(node.hits.values()) == 0  # refused before connecting
    registry.close()


def fetch(settings, url):
    async def go():
        async with Fetcher(settings) as fetcher:
            return await fetcher.get(url, source="test")

    return asyncio.run(go())


def test_each_redirect_hop_is_rechecked(node):
    node.override["/to-private"] = lambda r: RedirectResponse("http://10.0.0.1/feed", 302)
    settings = RegistrySettings(data_dir="unused", allow_loopback=True)
    with pytest.raises(Problem) as err:
        fetch(settings, node.base + "to-private")
    assert err.value.slug == "address-refused" and "10.0.0.1" in err.value.detail


def test_redirects_are_capped(node):
    node.override["/loop"] = lambda r: RedirectResponse(node.base + "loop", 302)
    settings = RegistrySettings(data_dir="unused", allow_loopback=True, max_redirects=3)
    with pytest.raises(Problem) as err:
        fetch(settings, node.base + "loop")
    assert err.value.slug == "too-many-redirects"
    assert node.hits["/loop"] == 4


def test_redirects_within_the_limit_are_followed(node):
    node.override["/moved"] = lambda r: RedirectResponse(node.base + "feed", 301)
    fetched = fetch(RegistrySettings(data_dir="unused", allow_loopback=True), node.base + "moved")
    assert fetched.status == 200 and fetched.url == node.base + "feed"


def test_unknown_content_encoding_is_refused(node):
    node.override["/br"] = lambda r: Response(b"xx", headers={"Content-Encoding": "br"})
    with pytest.raises(Problem) as err:
        fetch(RegistrySettings(data_dir="unused", allow_loopback=True), node.base + "br")
    assert "unsupported Content-Encoding" in err.value.detail


def test_error_statuses_name_source_and_url(node):
    node.override["/busy"] = lambda r: Response(status_code=429, headers={"Retry-After": "30"})
    with pytest.raises(Problem) as err:
        fetch(RegistrySettings(data_dir="unused", allow_loopback=True), node.base + "busy")
    assert "HTTP 429" in err.value.detail and "Retry-After 30" in err.value.detail
    assert err.value.detail.startswith("test:") and node.base + "busy" in err.value.detail


def test_a_short_retry_after_is_honoured_once(node):
    answers = iter([Response(status_code=429, headers={"Retry-After": "1"})])

    def busy_once(request):
        return next(answers, None) or Response(b"", media_type="application/trig")

    node.override["/busy-once"] = busy_once
    fetched = fetch(RegistrySettings(data_dir="unused", allow_loopback=True), node.base + "busy-once")
    assert fetched.status == 200 and node.hits["/busy-once"] == 2


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS, 16 + zlib.MAX_WBITS])
def test_compressed_bodies_inflate_within_the_cap(wbits):
    text = b"<a> <b> <c> .\n" * 1000
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    packed = packer.compress(text) + packer.flush()
    encoding = "gzip" if wbits > zlib.MAX_WBITS else "deflate"
    assert inflate(packed, encoding, len(text), "s", "u") == text
    with pytest.raises(Problem) as err:
        inflate(packed, encoding, len(text) - 1, "s", "u")
    assert err.value.status == 413
    with pytest.raises(Problem) as err:
        inflate(b"not compressed at all", encoding, 1000, "s", "u")
    assert "does not inflate" in err.value.detail


def test_a_host_name_is_resolved_checked_and_pinned(node):
    by_name = node.base.replace("127.0.0.1", "localhost")  # may resolve to ::1 first; 127.0.0.1 serves
    fetched = fetch(RegistrySettings(data_dir="unused", allow_loopback=True), by_name + "feed")
    assert fetched.status == 200 and node.hits["/feed"] == 1
    with pytest.raises(Problem) as err:
        fetch(RegistrySettings(data_dir="unused"), by_name + "feed")
    assert err.value.slug == "address-refused" and node.hits["/feed"] == 1


class HangUpServer:
    """A raw loopback HTTP server that closes the first `hang_ups` connections without answering,
    as a server does when its keep-alive timeout fires just as the client reuses the connection."""

    def __init__(self, hang_ups: int) -> None:
        import socket
        import threading

        self.hang_ups, self.connections = hang_ups, 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                self.connections += 1
                if self.connections <= self.hang_ups:
                    continue  # closed unanswered
                body = b"<http://ex.test/s> <http://ex.test/p> <http://ex.test/o> ."
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\nConnection: close\r\n"
                conn.sendall(head + b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def close(self) -> None:
        self.sock.close()


def test_a_connection_dropped_unanswered_is_tried_once_more():
    server = HangUpServer(hang_ups=1)
    settings = RegistrySettings(data_dir="unused", allow_loopback=True)

    async def go():
        async with Fetcher(settings) as fetcher:
            return await fetcher.get(server.url, source="test"), fetcher.stats

    try:
        fetched, stats = asyncio.run(go())
    finally:
        server.close()
    assert fetched.status == 200 and fetched.body.startswith(b"<http://ex.test/s>")
    assert (server.connections, stats.retries) == (2, 1)


def test_a_server_that_always_hangs_up_fails_with_a_named_problem_after_one_retry():
    server = HangUpServer(hang_ups=10)
    settings = RegistrySettings(data_dir="unused", allow_loopback=True)
    try:
        with pytest.raises(Problem) as err:
            fetch(settings, server.url)
    finally:
        server.close()
    assert err.value.slug == "fetch-failed" and "RemoteProtocolError" in err.value.detail
    assert server.connections == 2
