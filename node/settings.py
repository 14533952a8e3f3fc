"""One settings object for a publisher's node, read from node.toml, then env, then CLI flags.

Precedence (later wins): defaults < `<data_dir>/node.toml` < `STAFETT_NODE_<NAME>` environment
variables < command-line flags. Every field is documented in `SETTING_DOCS` (and docs/node.md);
a test keeps the two in step. Configuration errors name the key and the expected type.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from stafett.problems import Problem, refusal
from stafett.serving import trusted_proxies_error

CONFIG_FILE = "node.toml"
DATABASE_FILE = "node.sqlite3"
ENV_PREFIX = "STAFETT_NODE_"
EU_COUNTRIES = ("SWE", "NOR", "DNK", "FIN", "ISL")  # the Nordic ones; other 3-letter codes pass too
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class NodeSettings:
    base_url: str
    data_dir: Path
    org_name: dict[str, str] = field(hash=False)  # dicts are not hashable; the rest is
    org_number: str | None  # optional since vocabulary 1.1 (most records do not state it)
    country: str
    languages: tuple[str, ...]
    contact_email: str | None = None
    page_size: int = 50
    feed_page_size: int = 100
    max_body_bytes: int = 1_000_000
    max_depth: int = 24
    host: str = "127.0.0.1"
    port: int = 8100
    polling_interval: int = 60
    auth_failures_allowed: int = 10
    auth_failure_window: int = 60
    feed_burst: int = 60
    feed_rate: float = 5.0
    session_lifetime: int = 28_800  # seconds a browser session lasts (8 hours: a working day)
    review: bool = False  # True: editors submit, approvers publish (docs/publishing.md)
    trusted_proxies: str = ""  # comma-separated proxy addresses/networks whose X-Forwarded-For counts
    extra: dict = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        check_settings(self)

    @property
    def database_path(self) -> Path:
        return Path(self.data_dir) / DATABASE_FILE

    @property
    def config_path(self) -> Path:
        return Path(self.data_dir) / CONFIG_FILE

    @property
    def publisher_iri(self) -> str:
        """The node's organisation, described inside every case graph (node namespace)."""
        return f"{self.base_url}#publisher"

    def case_iri(self, slug: str) -> str:
        return f"{self.base_url}case/{slug}"

    def slug_of(self, iri: str) -> str | None:
        prefix = f"{self.base_url}case/"
        if not iri.startswith(prefix):
            return None
        slug = iri[len(prefix) :]
        return slug if slug and "/" not in slug and "#" not in slug else None

    def replace(self, **changes) -> NodeSettings:
        return dataclasses.replace(self, **changes)


SETTING_DOCS = {
    "base_url": "Public base URL, ending with '/'; case IRIs are <base_url>case/<slug>. Required.",
    "data_dir": "Folder holding node.sqlite3 and node.toml. Default: current folder.",
    "org_name": "Publishing organisation's name per language, e.g. {sv = 'Växjö kommun'}. Required.",
    "org_number": (
        "The organisation's national registration number (SE organisationsnummer, NO "
        "organisasjonsnummer, DK CVR, FI Y-tunnus, IS kennitala; `stafett node init` checks "
        "its check digit). Default: none (leave it out rather than type a placeholder)."
    ),
    "country": "EU authority-table country code of the organisation, e.g. SWE. Required.",
    "languages": "BCP 47 tags the node publishes in, e.g. ['sv', 'en']. Required.",
    "contact_email": "Contact address shown in the catalogue. Default: none.",
    "page_size": "Cases per page in lists and the catalogue. Default: 50.",
    "feed_page_size": "Changes per LDES feed page. Default: 100.",
    "max_body_bytes": "Largest accepted request body or imported file, in bytes. Default: 1000000.",
    "max_depth": (
        "Deepest accepted JSON nesting in a case document, and deepest nesting of objects "
        "once stored (each item of a JSON-LD @list or of a blank-node chain is one level). "
        "Default: 24."
    ),
    "host": "Address `stafett node serve` listens on. Default: 127.0.0.1.",
    "port": "Port `stafett node serve` listens on (0 picks a free one). Default: 8100.",
    "polling_interval": "Seconds suggested to feed followers (ldes:pollingInterval). Default: 60.",
    "auth_failures_allowed": "Failed token checks one client may make per window before 429. Default: 10.",
    "auth_failure_window": "Seconds of the failed-authentication window. Default: 60.",
    "feed_burst": "Feed requests (root and open page) one client may make at once before 429. Default: 60.",
    "feed_rate": "Feed requests per second refilled to each client's budget. Default: 5.0.",
    "session_lifetime": (
        "Seconds a browser sign-in lasts; an older session cookie is refused and the person "
        "signs in again. Default: 28800 (8 hours)."
    ),
    "review": (
        "true: editors submit drafts and an approver publishes them or sends them back; "
        "false: editors publish themselves. Default: false."
    ),
    "trusted_proxies": (
        "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto are believed; from anyone else they are ignored. "
        "Default: empty (no forwarded headers are trusted, not even from 127.0.0.1)."
    ),
    "extra": "Unknown keys from node.toml kept for other parts of the node. Default: empty.",
}

REQUIRED = ("base_url", "org_name", "country", "languages")


def settings_error(key: str, expected: str, got=None) -> Problem:
    detail = f"setting {key!r} must be {expected}" + (f"; got {got!r}" if got is not None else "")
    return refusal(400, "bad-settings", "The node settings are not valid", detail, rule="settings", field=key)


def check_settings(s: NodeSettings) -> None:
    if not isinstance(s.base_url, str) or not re.match(r"^https?://[^/]+/(.*/)?$", s.base_url):
        raise settings_error("base_url", "an http(s) URL ending with '/'", s.base_url)
    if (
        not isinstance(s.org_name, dict)
        or not s.org_name
        or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in s.org_name.items())
    ):
        raise settings_error("org_name", "a table of language tag -> non-empty name", s.org_name)
    if s.org_number is not None and (not isinstance(s.org_number, str) or not s.org_number.strip()):
        raise settings_error("org_number", "a non-empty string, or left out", s.org_number)
    if not isinstance(s.country, str) or not re.fullmatch(r"[A-Z]{3}", s.country):
        raise settings_error("country", "a 3-letter EU country code such as SWE", s.country)
    if not s.languages or not all(isinstance(t, str) and LANGUAGE_TAG.match(t) for t in s.languages):
        raise settings_error(
            "languages",
            "a non-empty list of BCP 47 tags such as ['sv', 'en']",
            list(s.languages) if s.languages else s.languages,
        )
    for key in (
        "page_size",
        "feed_page_size",
        "max_body_bytes",
        "max_depth",
        "polling_interval",
        "auth_failures_allowed",
        "auth_failure_window",
        "session_lifetime",
    ):
        value = getattr(s, key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise settings_error(key, "a positive integer", value)
    if not isinstance(s.review, bool):
        raise settings_error("review", "true or false", s.review)
    if wrong := trusted_proxies_error(s.trusted_proxies):
        raise settings_error("trusted_proxies", wrong, s.trusted_proxies)
    if not isinstance(s.port, int) or not 0 <= s.port <= 65535:
        raise settings_error("port", "an integer 0-65535", s.port)


def coerce(key: str, raw: str):
    """Turn an environment/flag string into the field's type."""
    if key in (
        "page_size",
        "feed_page_size",
        "max_body_bytes",
        "max_depth",
        "port",
        "polling_interval",
        "auth_failures_allowed",
        "auth_failure_window",
        "feed_burst",
        "session_lifetime",
    ):
        try:
            return int(raw)
        except ValueError:
            raise settings_error(key, "an integer", raw) from None
    if key == "feed_rate":
        try:
            return float(raw)
        except ValueError:
            raise settings_error(key, "a number", raw) from None
    if key == "review":
        if raw.strip().lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise settings_error(key, "true or false", raw)
        return raw.strip().lower() in ("true", "1", "yes")
    if key == "languages":
        return tuple(t.strip() for t in raw.replace(";", ",").split(",") if t.strip())
    if key == "org_name":
        return parse_org_name(raw)
    if key == "data_dir":
        return Path(raw)
    return raw


def parse_org_name(raw: str) -> dict[str, str]:
    """'sv=Växjö kommun;en=Växjö Municipality' -> {'sv': ..., 'en': ...}."""
    names = {}
    for part in raw.split(";"):
        if not part.strip():
            continue
        lang, sep, name = part.partition("=")
        if not sep or not name.strip():
            raise settings_error("org_name", "pairs like 'sv=Växjö kommun;en=Växjö Municipality'", raw)
        names[lang.strip()] = name.strip()
    return names


def read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as err:
        raise Problem(
            400, "bad-settings", "The node settings are not valid", f"{path} is not valid TOML: {err}"
        ) from None


def load_settings(
    data_dir: Path | str | None = None, overrides: dict | None = None, environ: dict | None = None
) -> NodeSettings:
    """Defaults < node.toml < STAFETT_NODE_* env < overrides (CLI flags, None values skipped)."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    data_dir = Path(overrides.get("data_dir") or environ.get(ENV_PREFIX + "DATA_DIR") or data_dir or ".")
    values: dict = {}
    known = {f.name for f in dataclasses.fields(NodeSettings)}
    extra = {}
    for key, value in read_toml(data_dir / CONFIG_FILE).items():
        (values if key in known else extra).__setitem__(key, value)
    for key in known - {"extra", "data_dir"}:
        env_value = environ.get(ENV_PREFIX + key.upper())
        if env_value is not None:
            values[key] = coerce(key, env_value)
    values.update(overrides)
    values["data_dir"] = data_dir
    if "languages" in values:
        values["languages"] = tuple(values["languages"])
    missing = [k for k in REQUIRED if k not in values]
    if missing:
        raise settings_error(
            missing[0],
            f"set in {data_dir / CONFIG_FILE} (run `stafett node init`), "
            f"or as {ENV_PREFIX}{missing[0].upper()}",
        )
    values.setdefault("extra", extra)
    values.setdefault("org_number", None)
    return NodeSettings(**values)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


def write_settings(settings: NodeSettings) -> Path:
    """Write node.toml (data_dir itself is not stored: the file lives in it)."""
    lines = ["# Stafett node settings; see docs/node.md for every key."]
    for f in dataclasses.fields(NodeSettings):
        value = getattr(settings, f.name)
        if f.name in ("data_dir", "extra") or value is None:
            continue
        lines.append(f"# {SETTING_DOCS[f.name]}")
        lines.append(f"{f.name} = {toml_value(value)}")
    path = settings.config_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path
