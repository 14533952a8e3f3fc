"""`stafett node init|serve|user|token|key|import|export` (heavy imports stay inside the handlers)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stafett.languages import SUPPORTED as LANGUAGES

DATA_DIR_HELP = "folder with node.toml and node.sqlite3 (default: $STAFETT_NODE_DATA_DIR or .)"


def register(subparsers) -> None:
    node = subparsers.add_parser(
        "node",
        help="run a publisher's node",
        description="Publish innovation-procurement cases as linked data.",
    )
    commands = node.add_subparsers(dest="node_command", metavar="COMMAND")
    node.set_defaults(handler=lambda args: (node.print_help(), 2)[1])
    add_init(commands)
    add_serve(commands)
    add_user(commands)
    add_token(commands)
    add_key(commands)
    add_import(commands)
    add_template(commands)
    add_register(commands)
    add_export(commands)
    add_import_notice(commands)


def data_dir_arg(parser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None, help=DATA_DIR_HELP)


def load(args, **overrides):
    from stafett.node.settings import load_settings

    return load_settings(args.data_dir, overrides)


# -- init ------------------------------------------------------------------------------------
def add_init(commands) -> None:
    p = commands.add_parser("init", help="create a node: settings, storage and a first token")
    data_dir_arg(p)
    p.add_argument("--base-url", help="public base URL ending with '/', e.g. http://127.0.0.1:8100/")
    p.add_argument(
        "--org-name", help="a name, or names per language: 'sv=Växjö kommun;en=Växjö Municipality'"
    )
    p.add_argument(
        "--org-number",
        help="the organisation's registration number (optional; checked for SWE, NOR, DNK, FIN and ISL)",
    )
    p.add_argument(
        "--country", help="the country's name in any of the seven languages (Sverige, Suomi) or code (SWE)"
    )
    p.add_argument("--languages", help="publishing languages, e.g. sv,en")
    p.add_argument("--contact-email", help="contact address for the catalogue")
    p.add_argument("--token-name", default="editor", help="name of the first token (default: editor)")
    p.add_argument(
        "--admin-name", default="admin", help="name of the first person who signs in (default: admin)"
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing node.toml")
    p.set_defaults(handler=run_init)


def run_init(args) -> int:
    from stafett.node.bootstrap import init_node
    from stafett.node.init_answers import gather

    given = {
        "base_url": args.base_url,
        "org_name": args.org_name,
        "org_number": args.org_number,
        "country": args.country,
        "languages": args.languages,
    }
    # each answer is checked as it is given, and asked again on a terminal (node/init_answers.py)
    ask = input if sys.stdin.isatty() else None
    values = gather(given, ask, lambda line: print(line, file=sys.stderr))
    data_dir = args.data_dir or Path(".")
    settings, _, token = init_node(
        data_dir,
        values["base_url"],
        values["org_name"],
        values["org_number"],
        values["country"],
        values["languages"],
        contact_email=args.contact_email,
        token_name=args.token_name,
        force=args.force,
    )
    print(f"node created in {settings.data_dir} for {settings.base_url}")
    print(f"settings: {settings.config_path}")
    from stafett.node.keys import current_key, keys_dir

    key = current_key(settings)
    if key:
        print(f"signing key {key.id} ({key.iri(settings)}); private key in {keys_dir(settings)} (mode 0600)")
    print_first_admin(settings, args.admin_name)
    print("editor token for the write API (shown only now; store it safely):")
    print(token)  # the last line, so a script can take it
    return 0


def print_first_admin(settings, name: str) -> None:
    """The first person who signs in in the browser (a re-init keeps the people it finds)."""
    from stafett.node.people import People

    people = People(settings.database_path)
    if people.count():
        print(f"sign in at {settings.base_url}sign-in (people are kept; `stafett node user list`)")
        return
    credential = people.add(name, "admin")
    print(f"sign in at {settings.base_url}sign-in as {name} with this credential (shown only now):")
    print(credential)


# -- serve -----------------------------------------------------------------------------------
def add_serve(commands) -> None:
    p = commands.add_parser("serve", help="serve the node over HTTP")
    data_dir_arg(p)
    p.add_argument("--host", help="listen address (default from settings: 127.0.0.1)")
    p.add_argument("--port", type=int, help="listen port (default from settings: 8100)")
    p.add_argument("--base-url", help="override the public base URL from node.toml")
    p.add_argument("--log-level", default="info", help="uvicorn log level (default: info)")
    p.set_defaults(handler=run_serve)


def run_serve(args) -> int:
    from stafett.node.app import create_app
    from stafett.node.publish import warm_up
    from stafett.serving import bind, serve_forever, url_of

    settings = load(args, host=args.host, port=args.port, base_url=args.base_url)
    warm_up(settings)
    sock = bind(settings.host, settings.port)
    print(f"stafett node: {settings.base_url} listening on {url_of(sock)}", flush=True)
    serve_forever(
        create_app(settings), sock, log_level=args.log_level, trusted_proxies=settings.trusted_proxies
    )
    return 0


# -- people ----------------------------------------------------------------------------------
def add_user(commands) -> None:
    p = commands.add_parser("user", help="add, list, remove or reset the people who sign in")
    actions = p.add_subparsers(dest="user_command", metavar="ACTION")
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])
    for action, helptext in (
        ("add", "create a person and print their credential once"),
        ("list", "list names and roles (never the credentials)"),
        ("remove", "remove a person; their sessions end"),
        ("reset", "print a new credential once; the old one stops working"),
    ):
        sub = actions.add_parser(action, help=helptext)
        data_dir_arg(sub)
        if action != "list":
            sub.add_argument("name")
        if action == "add":
            sub.add_argument(
                "--role",
                choices=("editor", "approver", "admin"),
                default="editor",
                help="editor saves and publishes drafts, approver also approves, admin also reads the audit",
            )
        sub.set_defaults(handler=run_user, user_action=action)


def run_user(args) -> int:
    from stafett.node.people import People

    settings = load(args)
    people = People(settings.database_path)
    if args.user_action == "add":
        credential = people.add(args.name, args.role)
        print(f"{args.name} ({args.role}) signs in at {settings.base_url}sign-in with (shown only now):")
        print(credential)
        return 0
    if args.user_action == "list":
        for person in people.list():
            print(f"{person.name}\t{person.role}\tcreated {person.created}")
        return 0
    if args.user_action == "reset":
        credential = people.reset(args.name)
        if credential is not None:
            print(f"new credential for {args.name} (shown only now; older sessions have ended):")
            print(credential)
            return 0
    elif people.remove(args.name):
        print(f"removed {args.name}")
        return 0
    print(f"stafett node user: nobody is named {args.name!r}", file=sys.stderr)
    return 1


# -- tokens ----------------------------------------------------------------------------------
def add_token(commands) -> None:
    p = commands.add_parser("token", help="add, list or revoke write-API tokens")
    actions = p.add_subparsers(dest="token_command", metavar="ACTION")
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])
    for action, helptext in (
        ("add", "create a named token and print it once"),
        ("list", "list token names (never the tokens)"),
        ("revoke", "revoke a token by name"),
    ):
        sub = actions.add_parser(action, help=helptext)
        data_dir_arg(sub)
        if action != "list":
            sub.add_argument("name")
        sub.set_defaults(handler=run_token, token_action=action)


def run_token(args) -> int:
    from stafett.node.auth import issue_token
    from stafett.node.store import NodeStore

    store = NodeStore(load(args).database_path)
    if args.token_action == "add":  # noqa: S105
        print(issue_token(store, args.name))
        return 0
    if args.token_action == "list":  # noqa: S105
        for token in store.list_tokens():
            print(
                f"{token.name}\tcreated {token.created}"
                + (f"\trevoked {token.revoked}" if token.revoked else "")
            )
        return 0
    if store.revoke_token(args.name):
        print(f"revoked {args.name}")
        return 0
    print(f"stafett node token: no live token named {args.name!r}", file=sys.stderr)
    return 1


# -- signing keys ----------------------------------------------------------------------------
def add_key(commands) -> None:
    p = commands.add_parser("key", help="list, rotate or revoke the node's signing keys")
    actions = p.add_subparsers(dest="key_command", metavar="ACTION")
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])
    listing = actions.add_parser("list", help="list the keys with their validity")
    rotate = actions.add_parser("rotate", help="make a new signing key; older keys stay published")
    revoke = actions.add_parser("revoke", help="refuse a key's proofs made after a date (a compromised key)")
    revoke.add_argument("key_id", metavar="KEYID")
    revoke.add_argument(
        "--after", required=True, help="date or time, e.g. 2026-12-01 or 2026-12-01T09:30:00Z"
    )
    for sub, action in ((listing, "list"), (rotate, "rotate"), (revoke, "revoke")):
        data_dir_arg(sub)
        sub.set_defaults(handler=run_key, key_action=action)


def run_key(args) -> int:
    from stafett.node.keys import create_key, list_keys, revoke_key

    settings = load(args)
    if args.key_action == "rotate":
        key = create_key(settings)
        print(f"new signing key {key.id} ({key.iri(settings)}); earlier keys expire now and stay published")
    elif args.key_action == "revoke":
        key = revoke_key(settings, args.key_id, args.after)
        print(f"revoked {key.id}: its proofs made after {key.revoked} are refused")
    for key in list_keys(settings):
        state = (f"revoked after {key.revoked}" if key.revoked else "") or (
            f"retired {key.expires}" if key.expires else "current"
        )
        print(f"{key.id}\tcreated {key.created}\t{state}\t{key.public_key_multibase}")
    return 0


# -- import / export -------------------------------------------------------------------------
def rebase_pair(text: str) -> tuple[str, str]:
    old, sep, new = text.partition("=")
    if not sep or not old or not new:
        raise argparse.ArgumentTypeError(f"--rebase takes OLD=NEW, got {text!r}")
    return old, new


def add_import(commands) -> None:
    p = commands.add_parser("import", help="import cases from JSON-LD, Turtle or CSV files or folders")
    data_dir_arg(p)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")
    p.add_argument(
        "--rebase",
        action="append",
        type=rebase_pair,
        default=[],
        metavar="OLD=NEW",
        help="rewrite IRIs starting with OLD to start with NEW (repeatable)",
    )
    state = p.add_mutually_exclusive_group()
    state.add_argument(
        "--publish",
        dest="state",
        action="store_const",
        const="published",
        help="publish every imported case (default, unless the file says draft)",
    )
    state.add_argument(
        "--draft", dest="state", action="store_const", const="draft", help="import every case as a draft"
    )
    p.add_argument(
        "--only-own",
        action="store_true",
        help="skip cases whose id (after --rebase) is not under this node's base URL",
    )
    p.add_argument(
        "--lang",
        default="en",
        choices=LANGUAGES,
        help="language of every message, and of the template headers in sheets (default: en)",
    )
    p.set_defaults(handler=run_import)


def run_import(args) -> int:
    from stafett.node.importer import import_paths
    from stafett.node.store import NodeStore

    settings = load(args)
    report = import_paths(
        NodeStore(settings.database_path),
        settings,
        args.paths,
        rebases=args.rebase,
        state=args.state,
        dry_run=args.dry_run,
        only_own=args.only_own,
        lang=args.lang,
    )
    print(report.text(args.lang))
    return 0 if report.ok else 1


def add_template(commands) -> None:
    p = commands.add_parser(
        "template", help="write the spreadsheet template (XLSX or CSV) with headers in one language"
    )
    p.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the headers (default: en)")
    p.add_argument("--format", dest="fmt", default="xlsx", choices=("xlsx", "csv"), help="default: xlsx")
    p.add_argument(
        "--text-languages",
        default="",
        help="one text column per language, e.g. sv,en (default: the --lang language)",
    )
    p.add_argument(
        "--out", type=Path, help="file to write (default: stafett-<cases>-<lang>.<format> in this folder)"
    )
    p.add_argument(
        "--codes",
        type=Path,
        help="with --format csv: also write the allowed codes and their names to this CSV file "
        "(the XLSX template has them on its second sheet)",
    )
    p.set_defaults(handler=run_template)


def run_template(args) -> int:
    from stafett.node import sheet_template

    text_languages = tuple(t.strip() for t in args.text_languages.split(",") if t.strip())
    try:
        body = sheet_template.template(args.lang, args.fmt, text_languages)
    except ValueError as error:
        raise SystemExit(f"stafett node template: {error}") from None
    out = args.out or Path(sheet_template.filename(args.lang, args.fmt))
    out.write_bytes(body)
    print(f"template written to {out}")
    if args.codes is not None:
        args.codes.write_bytes(sheet_template.codes_csv(args.lang))
        print(f"codes written to {args.codes}")
    return 0


def add_register(commands) -> None:
    p = commands.add_parser(
        "register", help="ask a registry to harvest this node (the registry's operator approves it)"
    )
    data_dir_arg(p)
    p.add_argument(
        "registry", metavar="REGISTRY_URL", help="the registry's base URL, e.g. https://registry.example.se/"
    )
    p.add_argument("--name", help="the source name to ask for (default: from the node's address)")
    p.add_argument("--contact", help="who the operator may ask (default: the node's contact_email)")
    p.add_argument("--note", help="a line for the operator")
    p.set_defaults(handler=run_register)


def run_register(args) -> int:
    """POST /registrations on the registry (docs/harvester.md "Registration requests")."""
    import httpx

    settings = load(args)
    body = {"url": settings.base_url, "namespaces": [settings.base_url]}
    body |= {k: v for k, v in (("name", args.name), ("note", args.note)) if v}
    contact = args.contact or settings.contact_email
    if contact:
        body["contact"] = contact
    target = args.registry.rstrip("/") + "/registrations"
    try:
        answer = httpx.post(target, json=body, timeout=30)
    except httpx.HTTPError as error:
        print(f"stafett node register: {target} could not be reached ({error})", file=sys.stderr)
        return 1
    data = answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
    if answer.status_code != 202:
        why = data.get("detail") or data.get("title") or answer.text[:200]
        print(f"stafett node register: the registry refused ({answer.status_code}): {why}", file=sys.stderr)
        return 1
    print(f"registration request {data['id']} sent: {settings.base_url} as source {data['name']!r}")
    print(f"its state: {answer.headers.get('location', target + '/' + str(data['id']))}")
    print("the registry's operator approves it with: stafett registry sources approve " + str(data["id"]))
    return 0


def add_export(commands) -> None:
    p = commands.add_parser("export", help="write every current case as one JSON-LD file")
    data_dir_arg(p)
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p.add_argument("--history", action="store_true", help="include earlier versions of each case")
    p.set_defaults(handler=run_export)


def run_export(args) -> int:
    from stafett.node.exporter import write_export
    from stafett.node.store import NodeStore

    settings = load(args)
    body = write_export(NodeStore(settings.database_path), settings, args.out, history=args.history)
    if args.out is None:
        sys.stdout.buffer.write(body + b"\n")
    else:
        print(f"exported to {args.out}", file=sys.stderr)
    return 0


def add_import_notice(commands) -> None:
    p = commands.add_parser(
        "import-notice", help="write a draft case pre-filled from an eForms notice or an OCDS release"
    )
    p.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="eForms XML (prior information, contract or contract award notice) or OCDS JSON "
        "(a release or a release package)",
    )
    p.add_argument(
        "--out", type=Path, help="JSON-LD file to write (default: standard output, unless --import)"
    )
    p.add_argument(
        "--import",
        dest="into_node",
        action="store_true",
        help="import the draft into the node (of --data-dir) as a draft case, instead of only writing it",
    )
    data_dir_arg(p)
    p.add_argument("--lang", default="en", help="language of validation messages (default: en)")
    p.set_defaults(handler=run_import_notice)


def run_import_notice(args) -> int:
    import orjson

    from stafett.node.notice_import import draft_case, still_to_complete

    draft = draft_case(args.file)
    body = orjson.dumps(draft.case, option=orjson.OPT_INDENT_2) + b"\n"
    if args.out is not None:
        args.out.write_bytes(body)
    elif not args.into_node:
        sys.stdout.buffer.write(body)
    print(
        f"draft case from {draft.source} {args.file}" + (f" written to {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    # with --import the node's own report lists what is missing, with the finding for each
    missing = [] if args.into_node else [f"to complete: {v}" for v in still_to_complete(draft.case)]
    for line in [*draft.notes, *missing]:
        print(f"  - {line}", file=sys.stderr)
    return import_notice_draft(args, draft.case) if args.into_node else 0


def import_notice_draft(args, case: dict) -> int:
    """Import the pre-filled case as a draft: nothing is published until the publisher completes it."""
    from stafett.node.importer import import_document
    from stafett.node.store import NodeStore

    settings = load(args)
    report = import_document(
        NodeStore(settings.database_path), settings, case, str(args.file), state="draft", lang=args.lang
    )
    print(report.text())
    return 0 if report.ok else 1
