"""Registration requests: a publisher asks a registry to harvest its node; the operator decides.

A request (`POST /registrations`, or `stafett node register REGISTRY_URL` on the node) says the
node's URL, the namespaces it speaks for (default: the URL itself), a name, and optionally who
to contact. It is only stored: nothing is harvested until the operator runs
`stafett registry sources approve ID`, which appends the source to the sources file. A running
registry reloads that file when it changes (harvester/registry.py `reload_sources`), so a new
source needs no restart.

Requests live in their own small SQLite file beside the registry's (`registrations.sqlite3`), so
the operator's command can write while `stafett registry serve` runs, and the harvest database
keeps its one writer.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from stafett.harvester.sources import NAME, Source, build_source, load_sources
from stafett.problems import Problem, refusal

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, url TEXT NOT NULL,
  namespaces TEXT NOT NULL, contact TEXT, note TEXT, requested TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', decided TEXT, reason TEXT);
"""
MAX_PENDING = 200  # an open POST route: a full queue answers 503 instead of growing without end
MAX_TEXT = 500
STATUSES = ("pending", "approved", "rejected")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def bad_request(detail: str, field: str | None = None) -> Problem:
    return refusal(
        422,
        "bad-registration",
        "The registration request is not valid",
        detail,
        rule="registration",
        field=field,
    )


def name_from_url(url: str) -> str:
    """A source name from the node's host: `https://cases.lillby.se/` -> `cases-lillby-se`."""
    parts = urlsplit(url)
    text = f"{parts.hostname or 'node'}{'-' + str(parts.port) if parts.port else ''}"
    text += parts.path.rstrip("/").replace("/", "-")
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")[:63] or "node"


def host_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError:
        return None
    return parts.hostname


def checked_request(body: object) -> dict:
    """The request's fields, checked as the sources file will check them."""
    if not isinstance(body, dict):
        raise bad_request('send a JSON object such as {"url": "https://cases.lillby.se/"}')
    url = body.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or not host_of(url):
        raise bad_request(
            '"url" must be the http(s) address of the node, e.g. https://cases.lillby.se/', "url"
        )
    name = body.get("name") or name_from_url(url)
    if not isinstance(name, str) or not NAME.match(name):
        raise bad_request('"name" takes lower-case letters, digits, "-" and "_" (at most 63)', "name")
    namespaces = body.get("namespaces") or [url]
    if not isinstance(namespaces, list) or not all(isinstance(n, str) for n in namespaces):
        raise bad_request(
            '"namespaces" is a list of IRI prefixes, e.g. ["https://cases.lillby.se/"]', "namespaces"
        )
    text = {}
    for key in ("contact", "note"):
        value = body.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
            raise bad_request(f'"{key}" is a text of at most {MAX_TEXT} characters', key)
        text[key] = value
    try:
        build_source(name, {"url": url, "namespaces": namespaces})
    except Problem as problem:
        raise bad_request(problem.detail) from None
    return {"name": name, "url": url, "namespaces": namespaces, **text}


class Registrations:
    def __init__(self, path: Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=10
        )
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.executescript(SCHEMA)
        self.lock = threading.Lock()

    def close(self) -> None:
        self.connection.close()

    def request(self, body: object, sources: list[Source]) -> dict:
        fields = checked_request(body)
        taken = next((s for s in sources if s.name == fields["name"] or s.url == fields["url"]), None)
        if taken is not None:
            raise refusal(
                409,
                "already-a-source",
                "The node is harvested already",
                f"the registry harvests {taken.url} as source {taken.name!r}; nothing to ask",
                rule="registration",
            )
        with self.lock:
            pending = self.connection.execute(
                "SELECT count(*) FROM requests WHERE status='pending'"
            ).fetchone()[0]
            if pending >= MAX_PENDING:
                raise refusal(
                    503,
                    "registrations-full",
                    "Too many requests wait for the operator",
                    "try again later, or write to the registry's operator",
                    rule="registration",
                    headers={"Retry-After": "3600"},
                )
            same = self.connection.execute(
                "SELECT id FROM requests WHERE url=? AND status='pending'", (fields["url"],)
            ).fetchone()
            if same:
                return self.get(same[0]) or {}
            cursor = self.connection.execute(
                "INSERT INTO requests (name, url, namespaces, contact, note, requested) VALUES (?,?,?,?,?,?)",
                (
                    fields["name"],
                    fields["url"],
                    json.dumps(fields["namespaces"]),
                    fields["contact"],
                    fields["note"],
                    now(),
                ),
            )
        return self.get(int(cursor.lastrowid or 0)) or {}

    def get(self, request_id: int) -> dict | None:
        row = self.connection.execute(
            "SELECT id, name, url, namespaces, contact, note, requested, status, decided, reason "
            "FROM requests WHERE id=?",
            (request_id,),
        ).fetchone()
        return as_dict(row) if row else None

    def listed(self, status: str | None = "pending") -> list[dict]:
        rows = self.connection.execute(
            "SELECT id, name, url, namespaces, contact, note, requested, status, decided, reason "
            "FROM requests WHERE ? IS NULL OR status=? ORDER BY id",
            (status, status),
        ).fetchall()
        return [as_dict(row) for row in rows]

    def decide(self, request_id: int, status: str, reason: str | None = None) -> dict:
        with self.lock:
            self.connection.execute(
                "UPDATE requests SET status=?, decided=?, reason=? WHERE id=?",
                (status, now(), reason, request_id),
            )
        return self.get(request_id) or {}


def as_dict(row) -> dict:
    keys = ("id", "name", "url", "namespaces", "contact", "note", "requested", "status", "decided", "reason")
    found = dict(zip(keys, row, strict=True))
    found["namespaces"] = json.loads(found["namespaces"])
    return {k: v for k, v in found.items() if v is not None}


def public_view(request: dict) -> dict:
    """What the requester sees (not the contact address others gave)."""
    return {
        k: v
        for k, v in request.items()
        if k in ("id", "name", "url", "namespaces", "status", "requested", "decided", "reason")
    }


def pending_or_refuse(registrations: Registrations, request_id: int) -> dict:
    request = registrations.get(request_id)
    if request is None:
        raise refusal(
            404,
            "not-found",
            "No such registration request",
            f"no request {request_id}; `stafett registry sources requests` lists them",
            rule="registration",
        )
    if request["status"] != "pending":
        raise refusal(
            409,
            "already-decided",
            "The request was decided already",
            f"request {request_id} is {request['status']}",
            rule="registration",
        )
    return request


def approve(registrations: Registrations, request_id: int, sources_file: Path | None) -> Source:
    """Append the requested source to the sources file (a running registry then reloads it)."""
    request = pending_or_refuse(registrations, request_id)
    if sources_file is None:
        raise refusal(
            400,
            "no-sources-file",
            "The registry has no sources file",
            "pass --sources FILE (or set STAFETT_REGISTRY_SOURCES_FILE)",
            rule="registration",
        )
    source = build_source(request["name"], {"url": request["url"], "namespaces": request["namespaces"]})
    add_source(sources_file, source, note=f"registration request {request_id}, approved {now()}")
    registrations.decide(request_id, "approved")
    return source


def add_source(sources_file: Path, source: Source, *, note: str = "") -> None:
    """Append `[sources.NAME]` to the file, after checking the whole file would still load."""
    path = Path(sources_file)
    existing = load_sources(path) if path.exists() else []
    if any(s.name == source.name for s in existing):
        raise refusal(
            409,
            "already-a-source",
            "The source exists already",
            f"the sources file has a source named {source.name!r}",
            rule="registration",
        )
    block = [f"\n[sources.{source.name}]"] + ([f"# {note}"] if note else [])
    block.append(f"url = {json.dumps(source.url)}")
    block.append(f"namespaces = {json.dumps(list(source.namespaces))}")
    if source.interval:
        block.append(f"interval = {source.interval}")
    text = path.read_text("utf-8") if path.exists() else ""
    candidate = text + ("\n" if text and not text.endswith("\n") else "") + "\n".join(block) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(candidate, "utf-8")
    load_sources(tmp)  # refuses before the real file changes
    tmp.replace(path)  # atomic: a reloading registry never reads half a file
