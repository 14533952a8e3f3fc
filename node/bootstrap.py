"""Creating and starting a node from code (the CLI, the demo and tests use these).

sock = bind()                                         # stafett.serving
settings, store, token = init_node(tmp, url_of(sock), {"sv": "Växjö kommun"}, "212000-0688",
                                   "SWE", ("sv", "en"))
import_paths(store, settings, ["examples/cases"], only_own=True,
             rebases=[("https://vaxjo.stafett.example/", settings.base_url)])
server = start_node(settings, store, sock)             # server.base_url, server.stop()
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from stafett.node.auth import issue_token
from stafett.node.keys import create_key, current_key
from stafett.node.settings import NodeSettings, write_settings
from stafett.node.store import NodeStore
from stafett.problems import Problem


def init_node(
    data_dir: Path | str,
    base_url: str,
    org_name: dict[str, str],
    org_number: str | None,
    country: str,
    languages: tuple[str, ...] | list[str],
    *,
    contact_email: str | None = None,
    token_name: str = "editor",  # noqa: S107 - a name, not a secret
    force: bool = False,
    **options,
) -> tuple[NodeSettings, NodeStore, str]:
    """Write node.toml, create the storage and a signing key, issue a first token (shown once).

    On a loopback base URL the listening port defaults to the URL's port, so the address
    clients fetch equals the node's own IRIs (see protocol notes, rule 1).
    """
    parts = urlsplit(base_url)
    if "port" not in options and parts.hostname in ("127.0.0.1", "localhost", "::1") and parts.port:
        options["port"] = parts.port
    settings = NodeSettings(
        base_url=base_url,
        data_dir=Path(data_dir),
        org_name=dict(org_name),
        org_number=org_number,
        country=country,
        languages=tuple(languages),
        contact_email=contact_email,
        **options,
    )
    if settings.config_path.exists() and not force:
        raise Problem(
            409,
            "node-exists",
            "A node already lives here",
            f"{settings.config_path} exists; use another --data-dir or --force to overwrite "
            "the settings (cases and tokens are kept)",
        )
    write_settings(settings)
    if current_key(settings) is None:  # a re-init (--force) keeps the node's keys
        create_key(settings)
    store = NodeStore(settings.database_path)
    existing = {t.name for t in store.list_tokens()}
    name = token_name
    n = 2
    while name in existing:
        name, n = f"{token_name}-{n}", n + 1
    return settings, store, issue_token(store, name)


def start_node(settings: NodeSettings, store: NodeStore | None = None, sock=None):
    """Serve the node in a background thread on `sock` (bound to settings.host/port if None)."""
    from stafett.node.app import create_app
    from stafett.serving import bind, serve_in_thread

    sock = sock or bind(settings.host, settings.port)
    return serve_in_thread(create_app(settings, store), sock, trusted_proxies=settings.trusted_proxies)
