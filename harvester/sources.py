"""The sources file: who the registry harvests, and which namespaces each may speak for.

```toml
[sources.vaxjo]
url = "https://vaxjo.example/"              # node base (its description links the feed) or feed URL
namespaces = ["https://vaxjo.example/"]     # IRI prefixes this source is the authority for
interval = 600                              # seconds between harvests (optional)

[sources.se-registry]
url = "https://registry.example.se/"
aggregator = true                           # may relay other publishers' cases ...
relay = ["https://"]                        # ... but only in these namespaces
unsigned = "accept"                         # a case without a proof: accept (marked) | quarantine
invalid = "quarantine"                      # a proof that fails: quarantine (reported) | accept
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from stafett.problems import Problem

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    namespaces: tuple[str, ...] = ()
    aggregator: bool = False
    relay: tuple[str, ...] = ()
    interval: int | None = None
    unsigned: str = "accept"  # what to do with a case that carries no proof (issue 16)
    invalid: str = "quarantine"  # ... with one whose proof fails (or names an unknown/revoked key)

    def owns(self, iri: str) -> str | None:
        """The namespace of this source's own that `iri` falls under, if any."""
        return next((ns for ns in self.namespaces if iri.startswith(ns)), None)

    def may_relay(self, iri: str) -> str | None:
        if not self.aggregator:
            return None
        return next((ns for ns in self.relay if iri.startswith(ns)), None)


def source_problem(detail: str) -> Problem:
    return Problem(400, "bad-sources-file", "The sources file is invalid", detail)


def parse_sources(data: dict) -> list[Source]:
    table = data.get("sources", {})
    if not isinstance(table, dict):
        raise source_problem("[sources] must be a table of named sources, e.g. [sources.vaxjo]")
    return [build_source(name, entry) for name, entry in table.items()]


def build_source(name: str, entry: dict) -> Source:
    if not NAME.match(name):
        raise source_problem(f"source name {name!r}: use lower-case letters, digits, '-' or '_'")
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        raise source_problem(f'source {name!r} needs url = "https://..."')
    if not entry["url"].startswith(("http://", "https://")):
        raise source_problem(f"source {name!r}: url must be http(s), got {entry['url']!r}")
    namespaces = tuple(entry.get("namespaces", ()))
    relay = tuple(entry.get("relay", ()))
    for ns in (*namespaces, *relay):
        if not isinstance(ns, str) or not ns.startswith(("http://", "https://")):
            raise source_problem(f"source {name!r}: namespace {ns!r} must be an http(s) IRI prefix")
    aggregator = entry.get("aggregator", False)
    if not isinstance(aggregator, bool):
        raise source_problem(f"source {name!r}: aggregator must be true or false")
    if not namespaces and not (aggregator and relay):
        raise source_problem(f"source {name!r} needs namespaces = [...] (or aggregator = true with relay)")
    interval = entry.get("interval")
    if interval is not None and (not isinstance(interval, int) or interval < 1):
        raise source_problem(f"source {name!r}: interval must be a positive number of seconds")
    policies = {}
    for key, choices in (("unsigned", ("accept", "quarantine")), ("invalid", ("quarantine", "accept"))):
        value = entry.get(key, choices[0])
        if value not in choices:
            raise source_problem(
                f"source {name!r}: {key} must be {' or '.join(map(repr, choices))}, got {value!r}"
            )
        policies[key] = value
    return Source(name, entry["url"], namespaces, aggregator, relay, interval, **policies)


def load_sources(path: Path | None) -> list[Source]:
    if path is None:
        return []
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise source_problem(f"sources file {path} does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise source_problem(f"sources file {path} is not valid TOML: {err}") from None
    return parse_sources(data)
