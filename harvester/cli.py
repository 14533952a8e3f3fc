"""`stafett harvest run [--source NAME] [--full]`, `stafett registry serve` and `stafett registry reindex`."""

from __future__ import annotations

import json
import os
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
    from stafett.shutdown import stop_on_signals

    stop_on_signals()
    sock = bind(args.host, args.port)
    settings = from_args(args)
    if args.base_url is None and "STAFETT_REGISTRY_BASE_URL" not in os.environ:
        settings = settings.with_(base_url=url_of(sock))
    registry = Registry(settings)
    app = scheduler = None
    try:
        from stafett.harvester.app import create_app  # written by the SPARQL side; imported lazily

        app = create_app(None, registry)
        scheduler = None if args.no_schedule else Scheduler(registry).start()
        print(f"registry at {settings.base_url} (SPARQL {settings.base_url}sparql)", file=sys.stderr)
        serve_forever(app, sock, trusted_proxies=settings.trusted_proxies)
    except KeyboardInterrupt:
        print("registry stopped", file=sys.stderr)
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
