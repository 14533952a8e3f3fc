"""Bearer tokens for the write API: named, stored only as SHA-256 hashes, revocable.

A token is 32 random bytes (URL-safe base64 with an `stf_` prefix so it is recognisable in a
leaked log). The node keeps only its hash, so a copied database grants no write access.
Repeated failures from one client address are rate-limited: after `auth_failures_allowed`
failures within `auth_failure_window` seconds the client gets 429 with Retry-After, even
with a good token, until the window has passed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import defaultdict, deque

from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.problems import Problem

TOKEN_PREFIX = "stf_"  # noqa: S105 - a recognisable prefix, not a secret
TOKEN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
REALM = 'Bearer realm="stafett-node"'


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def check_token_name(name: str) -> str:
    if not TOKEN_NAME.match(name or ""):
        raise Problem(
            400,
            "bad-token-name",
            "Bad token name",
            f"token name {name!r} must be 1-64 letters, digits, '.', '_' or '-'",
        )
    return name


def issue_token(store: NodeStore, name: str) -> str:
    """Create a named token and return it; only its hash is stored, so show it once."""
    token = new_token()
    store.add_token(check_token_name(name), hash_token(token))
    return token


def unauthorized(detail: str) -> Problem:
    return Problem(
        401, "unauthorized", "Authentication required", detail, headers={"WWW-Authenticate": REALM}
    )  # RFC 9110: a 401 names its scheme


def rate_limited(retry_after: int) -> Problem:
    return Problem(
        429,
        "too-many-requests",
        "Too many failed authentication attempts",
        f"wait {retry_after} seconds before trying again",
        headers={"Retry-After": str(retry_after)},
    )


class FailureLimiter:
    """Recent failures per client address: after `allowed` within `window` seconds, wait.

    Shared by the token check below and the people's sign-in (node/people.py), so a guesser is
    slowed the same way whichever door it knocks on.
    """

    def __init__(self, allowed: int, window: int):
        self.allowed, self.window = allowed, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Seconds until the client may try again, or None when it is not blocked."""
        with self._lock:
            failures = self._failures.get(client)
            if not failures:
                return None
            now = time.monotonic()
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            if len(failures) < self.allowed:
                return None
            return max(1, int(failures[0] + self.window - now + 0.999))

    def fail(self, client: str) -> None:
        with self._lock:
            self._failures[client].append(time.monotonic())
            if len(self._failures) > 10_000:  # bound memory under a spray of addresses
                self._failures.pop(next(iter(self._failures)))


class Authenticator:
    """Checks `Authorization: Bearer ...` and remembers recent failures per client address."""

    def __init__(self, settings: NodeSettings, store: NodeStore):
        self.store = store
        self.allowed = settings.auth_failures_allowed
        self.window = settings.auth_failure_window
        self.limiter = FailureLimiter(self.allowed, self.window)

    def retry_after(self, client: str) -> int | None:
        return self.limiter.retry_after(client)

    def _fail(self, client: str) -> None:
        self.limiter.fail(client)

    def authenticate(self, authorization: str | None, client: str) -> str:
        """The token's name, or a 401/429 Problem."""
        wait = self.retry_after(client)
        if wait is not None:
            raise rate_limited(wait)
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            self._fail(client)
            raise unauthorized(
                "send the header 'Authorization: Bearer <token>'; "
                "create a token with `stafett node token add NAME`"
            )
        name = self.store.token_name_for(hash_token(token.strip()))
        if name is None:
            self._fail(client)
            raise unauthorized("the token is unknown or revoked; ask the node's operator for a new one")
        return name
