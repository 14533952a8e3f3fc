"""`stafett harvest run [--source NAME] [--full]`, `stafett registry serve`, `stafett registry reindex`
and `stafett registry sources requests|approve|reject|add` (harvester/registrations.py)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time


def register(subparsers) -> None:
    from stafett.harvester.settings import add_arguments

    harvest = subparsers.add_parser("harvest", help="harvest LDES feeds into the registry")
    harvest_commands = harvest.add_subparsers(dest="harvest_command", metavar="COMMAND")
    run = harvest_commands.add_parser("run", help="harvest every source (or one) once, then exit")
    add_arguments(run)
    run.add_argument("--source", help="harvest only this source")
    run.add_argument(
        "--full", action="store_true", help="re-sync from scratch and reconcile with /feed/state"
    )
    run.add_argument("--json", action="store_true", help="print the run reports as JSON")
    run.set_defaults(handler=run_harvest)

    registry = subparsers.add_parser("registry", help="run the registry (SPARQL, feed, reports, scheduler)")
    registry_commands = registry.add_subparsers(dest="registry_command", metavar="COMMAND")
    serve = registry_commands.add_parser("serve", help="serve the registry and harvest on schedule")
    add_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.add_argument("--no-schedule", action="store_true", help="serve only; do not harvest")
    serve.set_defaults(handler=serve_registry)
    reindex = registry_commands.add_parser(
        "reindex", help="rebuild the search index from the store (the registry must not be running)"
    )
    add_arguments(reindex)
    reindex.set_defaults(handler=reindex_registry)
    add_sources_commands(registry_commands, add_arguments)


def add_sources_commands(registry_commands, add_arguments) -> None:
    sources = registry_commands.add_parser(
        "sources", help="registration requests from publishers, and sources added without a restart"
    )
    actions = sources.add_subparsers(dest="sources_command", metavar="ACTION")
    sources.set_defaults(handler=lambda args: (sources.print_help(), 2)[1])
    listed = actions.add_parser("requests", help="list registration requests (pending ones by default)")
    add_arguments(listed)
    listed.add_argument("--all", action="store_true", help="also the approved and rejected ones")
    listed.set_defaults(handler=run_sources, sources_action="requests")
    for action, text in (
        ("approve", "add the requested source to the sources file"),
        ("reject", "refuse a request"),
    ):
        sub = actions.add_parser(action, help=text)
        add_arguments(sub)
        sub.add_argument("id", type=int, metavar="ID")
        if action == "reject":
            sub.add_argument("--reason", help="told to the publisher at GET /registrations/ID")
        sub.set_defaults(handler=run_sources, sources_action=action)
    add = actions.add_parser(
        "add", help="append a source to the sources file (a running registry reloads it)"
    )
    add_arguments(add)
    add.add_argument("name", metavar="NAME")
    add.add_argument("url", metavar="URL")
    add.add_argument(
        "--namespace",
        action="append",
        default=[],
        help="IRI prefix the source speaks for (default: URL; repeatable)",
    )
    add.add_argument("--interval", type=int, help="seconds between its harvests (default: the registry's)")
    add.set_defaults(handler=run_sources, sources_action="add")


def run_sources(args) -> int:
    from stafett.harvester.api.registrations import registrations_path
    from stafett.harvester.registrations import Registrations, add_source, approve, pending_or_refuse
    from stafett.harvester.settings import from_args
    from stafett.harvester.sources import build_source

    settings = from_args(args)
    if args.sources_action == "add":
        entry = {"url": args.url, "namespaces": args.namespace or [args.url]}
        if args.interval:
            entry["interval"] = args.interval
        source = build_source(args.name, entry)
        add_source(require_sources_file(settings), source, note="added with stafett registry sources add")
        print(
            f"source {source.name} added to {settings.sources_file}; "
            "a running registry harvests it within a second"
        )
        return 0
    registrations = Registrations(registrations_path(settings.data_dir))
    try:
        if args.sources_action == "requests":
            found = registrations.listed(None if args.all else "pending")
            for r in found:
                print(
                    f"{r['id']}\t{r['status']}\t{r['name']}\t{r['url']}\t{', '.join(r['namespaces'])}"
                    f"\t{r.get('contact', '')}\t{r['requested']}"
                )
            if not found:
                print("no pending registration requests" if not args.all else "no registration requests")
            return 0
        if args.sources_action == "approve":
            source = approve(registrations, args.id, require_sources_file(settings))
            print(
                f"request {args.id} approved: source {source.name} ({source.url}) "
                f"added to {settings.sources_file}"
            )
            print("a running registry reloads the file and harvests it within a second")
            return 0
        pending_or_refuse(registrations, args.id)
        registrations.decide(args.id, "rejected", args.reason)
        print(f"request {args.id} rejected")
        return 0
    finally:
        registrations.close()


def require_sources_file(settings):
    from stafett.problems import Problem

    if settings.sources_file is None:
        raise Problem(
            400,
            "no-sources-file",
            "The registry has no sources file",
            "pass --sources FILE (or set STAFETT_REGISTRY_SOURCES_FILE); see docs/harvester.md",
        )
    return settings.sources_file


def run_harvest(args) -> int:
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import from_args
    from stafett.problems import Problem

    registry = Registry(from_args(args))
    if not registry.sources:
        registry.close()
        raise Problem(
            400,
            "no-sources",
            "No sources to harvest",
            "pass --sources FILE (or set STAFETT_REGISTRY_SOURCES_FILE); see docs/harvester.md",
        )
    try:
        reports = registry.harvest(args.source, full=args.full)
    finally:
        registry.close()
    if args.json:
        print(json.dumps(reports, indent=2, ensure_ascii=False))
    for report in reports:
        line = (
            f"{report['source']}: {report['status']}, {report['fetched']} new members, "
            f"{report['accepted']} accepted, {report['quarantined']} quarantined, "
            f"{report['refused']} refused, {report['deleted']} deleted"
        )
        if report["error"]:
            line += f"; error: {report['error']}"
        print(line, file=sys.stderr if report["status"] != "ok" else sys.stdout)
    return 0 if all(r["status"] == "ok" for r in reports) else 1


def serve_registry(args) -> int:
    """Serve until Ctrl-C or SIGTERM; either stops the scheduler, the SPARQL and parser workers."""
    from stafett.harvester.registry import Registry
    from stafett.harvester.schedule import Scheduler
    from stafett.harvester.settings import from_args
    from stafett.serving import bind, serve_forever, url_of
    from stafett.shutdown import cleanup_deadline, stop_on_signals

    stop_on_signals()
    sock = bind(args.host, args.port)
    settings = from_args(args)
    if args.base_url is None and "STAFETT_REGISTRY_BASE_URL" not in os.environ:
        settings = settings.with_(base_url=url_of(sock))
    registry = Registry(settings)
    # SIGHUP: reload the sources file now (it is also reloaded when it changes; docs/harvester.md)
    if hasattr(signal, "SIGHUP"):  # not on Windows, where the file's changes alone are followed
        signal.signal(signal.SIGHUP, lambda *_: setattr(registry, "reload_wanted", True))
    app = scheduler = None
    try:
        from stafett.harvester.app import create_app  # written by the SPARQL side; imported lazily

        app = create_app(None, registry)
        scheduler = None if args.no_schedule else Scheduler(registry).start()
        print(f"registry at {settings.base_url} (SPARQL {settings.base_url}sparql)", file=sys.stderr)
        serve_forever(app, sock, trusted_proxies=settings.trusted_proxies)
    except KeyboardInterrupt:
        print("registry stopped", file=sys.stderr)
        cleanup_deadline("stafett registry serve")  # the process ends after this cleanup
    finally:
        if scheduler:
            scheduler.stop()
        if app is not None:
            app.state.sparql.close()  # also on a signal before uvicorn ran the app's shutdown
        registry.close()
    return 0


def reindex_registry(args) -> int:
    """Rebuild the search index from the embedded store, whatever its marker says."""
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import from_args
    from stafett.problems import Problem

    registry = Registry(from_args(args))
    try:
        if registry.search is None:
            raise Problem(
                400,
                "no-search-index",
                "The registry has no search index",
                "the search index lives beside the embedded store; with store = external there is "
                "nothing to reindex (see docs/search.md)",
            )
        started = time.perf_counter()
        count = registry.search.rebuild()
    finally:
        registry.close()
    print(f"search index rebuilt: {count} cases in {time.perf_counter() - started:.2f} s")
    return 0
