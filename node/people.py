"""The people who write on the node from the browser: a name, a role and an Argon2id hash.

`stafett node user add NAME --role editor|approver|admin` makes a credential and prints it once;
only its Argon2id hash (argon2-cffi) is kept, in the node's SQLite file beside the cases, so a
copied database lets nobody sign in. Each person also has a `stamp` that changes on `reset` and
`remove`: a session carries the stamp it was made with, so an old session ends with the old
credential. The bearer tokens of the write API (node/auth.py) are separate and keep working.

Roles: an editor saves drafts (and publishes them when the node has no review step); an
approver also publishes and sends back submitted drafts; an admin also reads the audit page.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from stafett.node.auth import FailureLimiter
from stafett.node.settings import NodeSettings
from stafett.node.sqlite_local import ThreadConnections
from stafett.node.store import format_time
from stafett.problems import Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, credential_hash TEXT NOT NULL,
    stamp TEXT NOT NULL, created TEXT NOT NULL);
"""
ROLES = ("editor", "approver", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}  # an admin may do what an approver may, and so on
NAME = re.compile(r"^[\w][\w.@-]{0,63}$")
HASHER = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106's low-memory profile
# Checked against when the name is unknown, so a wrong name costs as long as a wrong credential.
DUMMY_HASH = HASHER.hash("not a credential")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    stamp: str
    created: str

    def may(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def new_credential() -> str:
    """About 120 bits, in groups a person can copy by hand: 'k3xq-7pzr-...'."""
    raw = secrets.token_hex(15)
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


def check_name(name: str) -> str:
    if not NAME.match(name or ""):
        raise Problem(
            400,
            "bad-name",
            "Bad name",
            f"name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-' (no spaces)",
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise Problem(400, "bad-role", "Bad role", f"role must be one of {', '.join(ROLES)}; got {role!r}")
    return role


class People:
    """The `people` table of the node's database (its own connection per thread, WAL)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._connections = ThreadConnections(self.path)
        self._lock = threading.Lock()
        self._db().executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    def add(self, name: str, role: str) -> str:
        """Create a person and return their credential (shown once; only the hash is kept)."""
        check_name(name), check_role(role)
        credential = new_credential()
        with self._lock:
            try:
                self._db().execute(
                    "INSERT INTO people (name, role, credential_hash, stamp, created) VALUES (?,?,?,?,?)",
                    (name, role, HASHER.hash(credential), secrets.token_hex(8), now()),
                )
            except sqlite3.IntegrityError:
                raise Problem(
                    409,
                    "person-exists",
                    "That name is taken",
                    f"{name!r} exists; use `reset` or another name",
                ) from None
        return credential

    def reset(self, name: str) -> str | None:
        """A new credential for `name` (older sessions end), or None for an unknown name."""
        credential = new_credential()
        with self._lock:
            cur = self._db().execute(
                "UPDATE people SET credential_hash = ?, stamp = ? WHERE name = ?",
                (HASHER.hash(credential), secrets.token_hex(8), name),
            )
        return credential if cur.rowcount else None

    def remove(self, name: str) -> bool:
        with self._lock:
            return self._db().execute("DELETE FROM people WHERE name = ?", (name,)).rowcount > 0

    def list(self) -> list[Person]:
        rows = self._db().execute("SELECT name, role, stamp, created FROM people ORDER BY name").fetchall()
        return [Person(*row) for row in rows]

    def get(self, name: str) -> Person | None:
        row = (
            self._db()
            .execute("SELECT name, role, stamp, created FROM people WHERE name = ?", (name,))
            .fetchone()
        )
        return Person(*row) if row else None

    def count(self) -> int:
        return self._db().execute("SELECT count(*) FROM people").fetchone()[0]

    def verify(self, name: str, credential: str) -> Person | None:
        """The person if the credential is theirs, else None (same cost for an unknown name)."""
        row = self._db().execute("SELECT credential_hash FROM people WHERE name = ?", (name,)).fetchone()
        try:
            HASHER.verify(row[0] if row else DUMMY_HASH, credential)
        except (VerificationError, InvalidHashError):
            return None
        return self.get(name) if row else None


class SignIn:
    """Checks a name and credential, slowing a guesser down like the token API does (429)."""

    def __init__(self, settings: NodeSettings, people: People):
        self.people = people
        self.limiter = FailureLimiter(settings.auth_failures_allowed, settings.auth_failure_window)

    def attempt(self, name: str, credential: str, client: str) -> Person | int | None:
        """The person; or the seconds to wait when the client is blocked; or None (wrong)."""
        wait = self.limiter.retry_after(client)
        if wait is not None:
            return wait
        person = self.people.verify(name.strip(), credential.strip()) if name and credential else None
        if person is None:
            self.limiter.fail(client)
        return person


def now() -> str:
    return format_time(datetime.now(UTC))
