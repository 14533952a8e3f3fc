"""The registry's one settings object: defaults, `STAFETT_REGISTRY_*` environment variables, CLI flags.

Every field is documented in docs/harvester.md. Values from the environment are checked here,
so a wrong type names the variable and what it expects instead of failing later.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from stafett.languages import SUPPORTED
from stafett.problems import Problem
from stafett.serving import trusted_proxies_error

ENV_PREFIX = "STAFETT_REGISTRY_"
STORE_KINDS = ("embedded", "external")
STORE_AUTH = ("digest", "basic")
ISOLATION = ("never", "json-ld", "always")


def usable_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class RegistrySettings:
    data_dir: Path = Path("registry-data")  # SQLite checkpoints + the embedded pyoxigraph store
    base_url: str = "http://127.0.0.1:8100/"  # public base URL; every IRI the registry mints is under it
    sources_file: Path | None = None  # TOML sources file (see docs/harvester.md)
    title: str = "Stafett registry"
    description: str = (  # dct:description of the catalogue at / (DCAT-AP requires one)
        "Public-sector innovation-procurement cases harvested from Stafett publisher nodes and registries."
    )
    publisher_name: str = ""  # foaf:name of the catalogue's dct:publisher; empty: the title
    publisher_iri: str = ""  # IRI of the operator as dct:publisher; empty: <base>#publisher
    # Fetch limits (per request unless said otherwise).
    request_deadline: float = 20.0  # seconds for a whole HTTP exchange incl. redirects and body
    source_deadline: float = 300.0  # seconds for one source's whole harvest run
    max_raw_bytes: int = 8_000_000  # bytes on the wire per response
    max_decoded_bytes: int = 32_000_000  # bytes after gzip/deflate
    max_redirects: int = 5
    max_pages: int = 2_000  # pages per source run (endless paging guard)
    max_depth: int = 32  # JSON nesting / bracket depth allowed in a feed page
    max_json_values: int = 2_000_000  # JSON values per page
    allow_loopback: bool = False  # tests and the demo set True; private ranges stay refused
    parser_isolation: str = "json-ld"  # never | json-ld | always: parse in a worker process (crash isolation)
    parser_memory_limit: int = 2_000_000_000  # bytes of address space for the parser worker
    # Processes that parse and validate pages (harvester/workers.py); 0: in process. Default: one
    # per core this process may use (measured: docs/benchmarks.md, "Page workers").
    page_workers: int = field(default_factory=usable_cores)
    verify_signatures: bool = True  # check each member's Data Integrity proof (harvester/verify.py)
    key_cache_seconds: int = 300  # how long a node's published keys are reused before a refetch
    canonicalisation_deadline: float = 0.5  # seconds for canonicalising one graph with blank nodes
    max_blank_nodes: int = 64  # blank nodes a signed graph may have (more: refused, uncanonicalised)
    # Scheduling.
    harvest_concurrency: int = 8  # sources harvested at the same time (each still isolated, own deadline)
    default_interval: int = 3600  # seconds between harvests of a source with no own interval
    # Store.
    store: str = "embedded"  # embedded (pyoxigraph on disk) | external (SPARQL 1.1 Protocol + GSP)
    external_query_url: str = ""
    external_update_url: str = ""
    external_gsp_url: str = ""
    # Credentials for the external store's update and Graph Store endpoints (Virtuoso: digest at
    # /sparql-auth). The password comes from the environment or a file only, never a CLI flag
    # (visible in `ps`), and is kept out of repr() so no log or Problem can print it.
    external_user: str = ""
    external_password: str = field(default="", repr=False)
    external_password_file: Path | None = None
    external_auth: str = "digest"  # digest | basic
    store_flush_quads: int = 100_000  # quads between flushes of the write buffers (bounds memory; 0: never)
    optimize_after_cases: int = 10_000  # cases loaded between compactions of the embedded store (0: never)
    feed_page_size: int = 100  # members per page of the registry's own feed
    # Matchmaking (issue 15, harvester/matching/).
    match_margin_months: int = 12  # how far apart two needs' time windows may be and still match
    match_count: int = 10  # matches kept per planned need or case open for partners
    user_agent: str = "stafett-harvester/0.1"
    trusted_proxies: str = ""  # comma-separated proxies whose X-Forwarded-For is believed (none)
    language: str = "en"  # language of reasons in reports (en, sv, nb, nn, da, fi, is)
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")
        if self.language not in SUPPORTED:
            raise config_problem("language", f"one of {', '.join(SUPPORTED)}", self.language)
        if self.parser_isolation not in ISOLATION:
            raise config_problem("parser_isolation", f"one of {', '.join(ISOLATION)}", self.parser_isolation)
        if wrong := trusted_proxies_error(self.trusted_proxies):
            raise config_problem("trusted_proxies", wrong, self.trusted_proxies)
        if self.page_workers < 0:
            raise config_problem("page_workers", "an int of 0 or more", self.page_workers)
        if self.harvest_concurrency < 1:
            raise config_problem("harvest_concurrency", "an int of at least 1", self.harvest_concurrency)
        if self.store not in STORE_KINDS:
            raise config_problem("store", f"one of {', '.join(STORE_KINDS)}", self.store)
        if self.store == "external" and not (
            self.external_query_url and self.external_update_url and self.external_gsp_url
        ):
            raise config_problem(
                "external_query_url/external_update_url/external_gsp_url",
                "all three URLs when store = external",
                "missing",
            )
        if self.match_margin_months < 0 or self.match_count < 1:
            raise config_problem(
                "match_margin_months/match_count",
                "a margin of 0 or more and a count of 1 or more",
                "out of range",
            )
        if self.external_auth not in STORE_AUTH:
            raise config_problem("external_auth", f"one of {', '.join(STORE_AUTH)}", self.external_auth)

    @property
    def db_path(self) -> Path:
        return Path(self.data_dir) / "registry.sqlite3"

    @property
    def store_path(self) -> Path:
        return Path(self.data_dir) / "store"

    @property
    def search_path(self) -> Path:
        return Path(self.data_dir) / "search"

    def store_credentials(self) -> tuple[str, str] | None:
        """(user, password) for the external store's writes, or None when no user is set."""
        if not self.external_user:
            return None
        if self.external_password_file is None:
            return self.external_user, self.external_password
        try:
            text = Path(self.external_password_file).read_text("utf-8")
        except OSError as err:
            raise config_problem(
                "external_password_file",
                "a readable file holding the password",
                f"{self.external_password_file}: {err.strerror}",
            ) from None
        return self.external_user, text.rstrip("\r\n")

    def with_(self, **changes) -> RegistrySettings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: dict | None = None, **overrides) -> RegistrySettings:
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = convert(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def convert(name: str, kind: str, raw: str):
    """Turn an environment string into the field's type, or name the variable and the fix."""
    key = ENV_PREFIX + name.upper()
    try:
        if kind == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind.startswith("Path"):
            return Path(raw) if raw else None
    except ValueError:
        raise config_problem(key, kind.replace(" | None", ""), raw) from None
    return raw


def config_problem(key: str, expected: str, got) -> Problem:
    return Problem(
        500,
        "bad-configuration",
        "The registry configuration is invalid",
        f"setting {key} expects {expected}, got {got!r}",
    )


def add_arguments(parser) -> None:
    """CLI flags shared by `stafett harvest run` and `stafett registry serve` (override env)."""
    parser.add_argument("--data-dir", type=Path, help="registry data directory")
    parser.add_argument("--base-url", help="public base URL of this registry")
    parser.add_argument("--sources", dest="sources_file", type=Path, help="TOML sources file")
    parser.add_argument(
        "--allow-loopback",
        action="store_true",
        default=None,
        help="allow fetching from 127.0.0.1/::1 (tests and demos only)",
    )
    parser.add_argument(
        "--harvest-concurrency", type=int, help="sources harvested at the same time (default 8)"
    )
    parser.add_argument("--store", choices=STORE_KINDS, help="embedded pyoxigraph or external SPARQL store")
    parser.add_argument("--external-query-url")
    parser.add_argument("--external-update-url")
    parser.add_argument("--external-gsp-url")
    parser.add_argument("--external-user", help="user for the external store's update and GSP endpoints")
    parser.add_argument(
        "--external-password-file",
        type=Path,
        help="file holding that user's password (or set STAFETT_REGISTRY_EXTERNAL_PASSWORD)",
    )
    parser.add_argument("--external-auth", choices=STORE_AUTH, help="HTTP auth scheme (default digest)")


def from_args(args) -> RegistrySettings:
    names = (
        "data_dir",
        "base_url",
        "sources_file",
        "allow_loopback",
        "harvest_concurrency",
        "store",
        "external_query_url",
        "external_update_url",
        "external_gsp_url",
        "external_user",
        "external_password_file",
        "external_auth",
    )
    return RegistrySettings.from_env(**{n: getattr(args, n, None) for n in names})
