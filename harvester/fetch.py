"""The one hardened HTTP client for everything the harvester fetches.

Why each guard exists (see docs/security.md):
- a *total* deadline around the whole exchange (httpx timeouts apply per read, so a server
  dripping one byte a second outlives any read timeout);
- a cap on raw bytes on the wire and a separate cap on inflated bytes, inflating the raw body
  ourselves with `zlib.decompressobj().decompress(buf, max_length)`, which stops at the cap
  (httpx's decoded stream can hand over a 67 MB first chunk of a gzip bomb);
- redirects followed by hand, at most `max_redirects`, every hop re-checked;
- every address a host resolves to must be public (no loopback/private/link-local/multicast/
  reserved) unless `allow_loopback` (tests, demo) - and the connection goes to the address we
  checked (host pinned, with Host header and TLS SNI set to the name), so DNS rebinding between
  check and connect does not help;
- TLS verified; environment proxies ignored.
Every failure is a `Problem` naming the source and the URL.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
import zlib
from dataclasses import dataclass, field

import httpx

from stafett.digits import ascii_digits
from stafett.harvester.settings import RegistrySettings
from stafett.problems import Finding, Problem

REDIRECTS = (301, 302, 303, 307, 308)
RDF_ACCEPT = "application/trig, application/n-quads;q=0.9, application/ld+json;q=0.8"


@dataclass
class Fetched:
    url: str  # the URL asked for (after redirects: the final one)
    status: int  # 200 or 304
    headers: httpx.Headers
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def immutable(self) -> bool:
        return "immutable" in self.headers.get("cache-control", "").lower()


@dataclass
class FetchStats:
    requests: int = 0
    not_modified: int = 0
    bytes: int = 0
    retries: int = 0  # requests sent again after the server dropped the connection unanswered
    refused: list[str] = field(default_factory=list)


def fetch_problem(status: int, slug: str, title: str, detail: str, source: str, url: str) -> Problem:
    return Problem(
        status,
        slug,
        title,
        f"{source}: {detail} ({url})",
        [Finding("Violation", detail, focus_node=url, rule=slug, source=source)],
    )


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


async def resolve_checked(host: str, port: int, *, allow_loopback: bool, source: str, url: str) -> list[str]:
    """Resolve `host`, refuse if ANY address is not public, and return the addresses to connect to."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as err:
            raise fetch_problem(
                502,
                "fetch-failed",
                "A source could not be fetched",
                f"host {host!r} does not resolve ({err.strerror})",
                source,
                url,
            ) from None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for ip in addresses:
        if not address_allowed(ip, allow_loopback):
            raise fetch_problem(
                403,
                "address-refused",
                "A source address was refused",
                f"{host} resolves to {ip}, a non-public address; the harvester only "
                "fetches public addresses (set allow_loopback for local tests)",
                source,
                url,
            )
    return list(dict.fromkeys(str(ip) for ip in addresses))


def short_retry_after(status: int, headers: httpx.Headers, longest: float = 5.0) -> float | None:
    """Seconds to wait before one retry of a 429/503 that asks for a short pause, else None."""
    value = headers.get("retry-after", "")
    if status not in (429, 503) or not ascii_digits(value) or int(value) > longest:
        return None
    return float(value)


def inflate(raw: bytes, encoding: str, cap: int, source: str, url: str) -> bytes:
    """Decode Content-Encoding ourselves, stopping at `cap` output bytes (gzip bomb guard)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        out, more = raw, False
    elif encoding in ("gzip", "x-gzip", "deflate"):
        out, more = bounded_inflate(raw, encoding, cap, source, url)
    else:
        raise fetch_problem(
            502,
            "unreadable-input",
            "A source answered garbage",
            f"unsupported Content-Encoding {encoding!r}",
            source,
            url,
        )
    if more or len(out) > cap:
        raise fetch_problem(
            413,
            "too-large",
            "A source answer is over a limit",
            f"body inflates to more than {cap:,} bytes",
            source,
            url,
        )
    return out


def bounded_inflate(raw: bytes, encoding: str, cap: int, source: str, url: str) -> tuple[bytes, bool]:
    """At most cap + 1 bytes of output, and whether input was left over (there is more than that)."""
    # gzip: gzip header; "deflate" is zlib-wrapped by the standard, raw deflate by some servers.
    attempts = (16 + zlib.MAX_WBITS,) if "gzip" in encoding else (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    error = None
    for wbits in attempts:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(raw, cap + 1)
        except zlib.error as err:
            error = err
            continue
        return out, bool(inflater.unconsumed_tail)
    raise fetch_problem(
        502,
        "unreadable-input",
        "A source answered garbage",
        f"{encoding} body does not inflate: {error}",
        source,
        url,
    )


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default verifying context, built once: loading the CA bundle costs ~16 ms, which
    was half of an unchanged source's whole re-harvest when every run built its own."""
    return httpx.create_ssl_context()


class Fetcher:
    """Use as `async with Fetcher(settings) as fetcher: await fetcher.get(url, source=...)`."""

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings
        self.stats = FetchStats()
        self.client = httpx.AsyncClient(
            follow_redirects=False, verify=tls_context(), trust_env=False, timeout=settings.request_deadline
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    async def get(
        self,
        url: str,
        *,
        source: str,
        accept: str = RDF_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        headers = {
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": self.settings.user_agent,
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(self.settings.request_deadline):
                return await self._follow_once_more(url, headers, source)
        except TimeoutError:
            raise fetch_problem(
                504,
                "fetch-timeout",
                "A source was too slow",
                f"no complete answer within {self.settings.request_deadline:g} s",
                source,
                url,
            ) from None
        except httpx.HTTPError as err:
            raise fetch_problem(
                502,
                "fetch-failed",
                "A source could not be fetched",
                f"{type(err).__name__}: {err}",
                source,
                url,
            ) from None

    async def _follow_once_more(self, url: str, headers: dict, source: str) -> Fetched:
        """GET is idempotent, so a connection the server dropped before answering is tried once more.

        Why: a kept-alive connection can be closed by the server (its idle timeout) just as we reuse
        it; httpx then reports "Server disconnected without sending a response". Measured in the
        10k benchmark: 2 of 100 sources lost a page this way while validation held the event loop.
        The retry stays inside the same request deadline; a server that always hangs up still fails.
        """
        try:
            return await self._follow(url, headers, source)
        except httpx.RemoteProtocolError:
            self.stats.retries += 1
            return await self._follow(url, headers, source)

    async def _follow(self, url: str, headers: dict, source: str) -> Fetched:
        waited = False
        for _hop in range(self.settings.max_redirects + 1):
            target = httpx.URL(url)
            if target.scheme not in ("http", "https"):
                raise fetch_problem(
                    403,
                    "address-refused",
                    "A source address was refused",
                    f"scheme {target.scheme!r} is not fetched",
                    source,
                    url,
                )
            self.stats.requests += 1
            status, resp_headers, raw = await self._exchange(target, headers, source, url)
            if status in REDIRECTS and "location" in resp_headers:
                url = str(target.join(resp_headers["location"]))
                continue
            if status == 304:
                self.stats.not_modified += 1
                return Fetched(url, 304, resp_headers)
            pause = short_retry_after(status, resp_headers)
            if pause is not None and not waited:  # a polite node asked us to wait a moment: once
                waited = True
                await asyncio.sleep(pause)
                url = str(target)
                continue
            if status != 200:
                hint = f"; Retry-After {resp_headers['retry-after']}" if "retry-after" in resp_headers else ""
                raise fetch_problem(
                    502, "fetch-failed", "A source could not be fetched", f"HTTP {status}{hint}", source, url
                )
            body = inflate(
                raw, resp_headers.get("content-encoding", ""), self.settings.max_decoded_bytes, source, url
            )
            return Fetched(url, 200, resp_headers, body)
        raise fetch_problem(
            502,
            "too-many-redirects",
            "A source redirects too often",
            f"more than {self.settings.max_redirects} redirects",
            source,
            url,
        )

    async def connect_pinned(self, target: httpx.URL, addresses: list[str], headers: dict) -> httpx.Response:
        """Send to the checked addresses in turn (e.g. ::1 then 127.0.0.1), never to a fresh lookup."""
        hop_headers = {**headers, "Host": target.netloc.decode("ascii")}
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        for address in addresses[:-1]:
            request = self.client.build_request(
                "GET", target.copy_with(host=address), headers=hop_headers, extensions=extensions
            )
            try:
                return await self.client.send(request, stream=True)
            except httpx.ConnectError:
                continue
        request = self.client.build_request(
            "GET", target.copy_with(host=addresses[-1]), headers=hop_headers, extensions=extensions
        )
        return await self.client.send(request, stream=True)

    async def _exchange(self, target: httpx.URL, headers: dict, source: str, url: str):
        port = target.port or (443 if target.scheme == "https" else 80)
        addresses = await resolve_checked(
            target.host, port, allow_loopback=self.settings.allow_loopback, source=source, url=url
        )
        response = await self.connect_pinned(target, addresses, headers)
        try:
            raw = bytearray()
            if response.status_code == 200:
                async for chunk in response.aiter_raw():
                    raw += chunk
                    self.stats.bytes += len(chunk)
                    if len(raw) > self.settings.max_raw_bytes:
                        raise fetch_problem(
                            413,
                            "too-large",
                            "A source answer is over a limit",
                            f"body is over {self.settings.max_raw_bytes:,} bytes",
                            source,
                            url,
                        )
            return response.status_code, response.headers, bytes(raw)
        finally:
            await response.aclose()
