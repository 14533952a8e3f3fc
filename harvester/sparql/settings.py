"""Limits and options of the SPARQL endpoint: one settings object, env vars `STAFETT_SPARQL_...`."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from stafett.problems import refusal

ENV_PREFIX = "STAFETT_SPARQL_"


@dataclass(frozen=True)
class SparqlSettings:
    """Every limit of `/sparql`, with its default.

    - timeout_seconds (10): wall-clock limit of one query; the worker running it is killed after it.
    - max_rows (10000): result rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned; more are cut
      and the response says so (`Stafett-Results-Truncated: true`, plus a `link` in SPARQL JSON/XML).
    - max_query_chars (20000): length of the query text (longer: 413).
    - max_body_bytes (65536): size of a POST body (larger: 413).
    - workers (2): query worker processes.
    - queue_size (8): requests allowed to wait for a worker; one more gets 429 with Retry-After.
    - client_running (1): queries one client (address) may have running at once; its further queries
      wait in its own queue, and each free worker goes to the next waiting client in turn.
    - client_queue (2): queries one client may have waiting besides; one more gets 429
      `client-over-share` with Retry-After (other clients are still served).
    - snapshot_dir (None): where read-only snapshots of the store are made (None: a temp dir).
    - external_endpoint (None): SPARQL endpoint URL of an external store to forward queries to.
    - max_external_bytes (67108864): largest answer accepted from the external endpoint.
    - worker_memory_mb (2048): address-space limit of each worker process (0: none); a query that
      needs more ends its worker, is answered 500 `worker-crashed`, and a fresh worker takes over.
    - cache_bytes (67108864): answers kept for the current store version, so a query asked again
      before the next harvest commit is answered without running it (0: keep none). Not used with
      an external store, which can change without the registry knowing.
    """

    timeout_seconds: float = 10.0
    max_rows: int = 10_000
    max_query_chars: int = 20_000
    max_body_bytes: int = 65_536
    workers: int = 2
    queue_size: int = 8
    client_running: int = 1
    client_queue: int = 2
    snapshot_dir: Path | None = None
    external_endpoint: str | None = None
    max_external_bytes: int = 64 * 1024 * 1024
    worker_memory_mb: int = 2048
    cache_bytes: int = 64 * 1024 * 1024

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> SparqlSettings:
        """Read `STAFETT_SPARQL_<FIELD>` (e.g. STAFETT_SPARQL_TIMEOUT_SECONDS=5); overrides win."""
        env = os.environ if env is None else env
        values: dict = {}
        for spec in fields(cls):
            raw = env.get(ENV_PREFIX + spec.name.upper())
            if raw is None or raw == "":
                continue
            values[spec.name] = _convert(spec.name, spec.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _convert(name: str, type_name, raw: str):
    kind = str(type_name)
    try:
        if kind.startswith("float"):
            return float(raw)
        if kind.startswith("int"):
            return int(raw)
    except ValueError:
        detail = f"{ENV_PREFIX}{name.upper()}={raw!r} is not a number; give a {kind.split()[0]}."
        raise refusal(
            400, "bad-setting", "A setting has the wrong type", detail, rule="settings", field=name
        ) from None
    if kind.startswith("Path"):
        return Path(raw)
    return raw
