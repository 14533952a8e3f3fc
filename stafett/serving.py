"""Running ASGI apps on loopback: bind first, then build the app, then serve.

A node's public base URL must equal the address clients fetch (LDES rule 1), so the socket is
bound before the app is created and its port goes into the app's settings. Used by the CLI
`serve` commands, `stafett demo` and the tests.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket; port 0 picks a free one (read it back with `sock.getsockname()`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this on Linux. Without it, small keep-alive responses wait
    # on Nagle + delayed ACK (~40 ms each), which dominated the demo and benchmark timings.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def url_of(sock: socket.socket, path: str = "/") -> str:
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}{path}"


def trusted_proxy_list(text: str) -> list[str]:
    """The proxies a `trusted_proxies` setting names: comma-separated addresses or networks.

    Raises ValueError naming the entry that is neither, so each service's settings can refuse it.
    """
    proxies = [p.strip() for p in (text or "").split(",") if p.strip()]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ValueError(
                f"{proxy!r} is not an IP address or network such as 10.0.0.5 or 10.0.0.0/8"
            ) from None
    return proxies


def trusted_proxies_error(text: str) -> str | None:
    """What a service's settings check says of a bad `trusted_proxies` value; None when it is good."""
    try:
        trusted_proxy_list(text)
    except (ValueError, AttributeError) as err:
        return f"comma-separated IP addresses or networks ({err})"
    return None


def proxy_options(trusted_proxies: str) -> dict:
    """uvicorn's forwarded-header options: off unless the settings name the proxies.

    uvicorn's own default trusts X-Forwarded-For from 127.0.0.1, so anything on the machine
    could claim any client address (and dodge or aim the per-client limits). Here the header is
    read only when it comes from a proxy the operator listed.
    """
    proxies = trusted_proxy_list(trusted_proxies)
    return {"proxy_headers": bool(proxies), "forwarded_allow_ips": proxies}


@dataclass
class BackgroundServer:
    """A uvicorn server on an already bound socket, in a daemon thread."""

    server: uvicorn.Server
    thread: threading.Thread
    base_url: str

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def serve_in_thread(
    app, sock: socket.socket, *, log_level: str = "warning", trusted_proxies: str = ""
) -> BackgroundServer:
    config = uvicorn.Config(
        app, log_level=log_level, lifespan="auto", access_log=False, **proxy_options(trusted_proxies)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"server on {url_of(sock)} did not start")
        time.sleep(0.01)
    return BackgroundServer(server, thread, url_of(sock))


def serve_forever(app, sock: socket.socket, *, log_level: str = "info", trusted_proxies: str = "") -> None:
    """Serve in the foreground until interrupted (the CLI `serve` commands)."""
    config = uvicorn.Config(app, log_level=log_level, lifespan="auto", **proxy_options(trusted_proxies))
    asyncio.run(uvicorn.Server(config).serve(sockets=[sock]))
