"""The browser session's secret and the CSRF token every form carries (itsdangerous, no HTTP).

The session itself is Starlette's SessionMiddleware: a cookie signed with itsdangerous, HttpOnly,
SameSite=Strict, Secure when the node's base is https, and refused once older than
`session_lifetime` seconds. Its secret is 32 random bytes in `<data_dir>/session.key` (mode 0600),
made on the first start, so sessions survive a restart and a copied `node.toml` grants nothing.

A CSRF token is the session's own random `csrf` id signed with a second salt: a page of another
site can neither read it (SameSite, no CORS on these pages) nor forge it (the signature), and a
token from another session does not match this one's id.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from stafett.node.settings import NodeSettings

SECRET_FILE = "session.key"  # noqa: S105 - a file name, not a secret
COOKIE = "stafett_session"
CSRF_SALT = "stafett-node-form"


def session_secret(settings: NodeSettings) -> str:
    """The node's session secret, made once (0600) and read on every later start."""
    path = Path(settings.data_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text("ascii").strip()


def secure_cookie(settings: NodeSettings) -> bool:
    return settings.base_url.startswith("https://")


class Csrf:
    def __init__(self, secret: str, max_age: int):
        self.serializer = URLSafeTimedSerializer(secret, salt=CSRF_SALT)
        self.max_age = max_age

    def token(self, session: dict) -> str:
        """The form token of this session (its `csrf` id is made on first use)."""
        session.setdefault("csrf", secrets.token_urlsafe(16))
        return str(self.serializer.dumps(session["csrf"]))

    def valid(self, session: dict, token: str | None) -> bool:
        if not token or "csrf" not in session:
            return False
        try:
            value = self.serializer.loads(token, max_age=self.max_age)
        except BadSignature:
            return False
        return secrets.compare_digest(str(value), str(session["csrf"]))
