"""`stafett demo`: a small Nordic federation on loopback, on embedded defaults.

Reads `examples/federation/federation.toml`: publisher nodes (each loaded with its example cases,
rebased from `https://<org>.stafett.example/` to the node's loopback base URL), a national
aggregator harvesting some nodes, and the Nordic registry harvesting the other nodes and the
national aggregator. It prints the addresses, runs a first SPARQL query against the Nordic
registry's endpoint over HTTP and prints the answer, then keeps serving (with scheduled
harvests) until Ctrl-C or SIGTERM, which stop every server and worker process it started;
`--once` exits after printing. Data lives in a temp dir (removed on exit) unless `--data-dir` is
given. `start_federation()` is what the end-to-end test drives.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from stafett.problems import Finding, Problem

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FEDERATION = REPO / "examples" / "federation" / "federation.toml"


def register(subparsers) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="run a small Nordic federation on loopback",
        description="Start example publisher nodes, a national aggregator and the Nordic registry "
        "on 127.0.0.1, harvest, print a first SPARQL answer, then keep serving.",
    )
    demo.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where nodes and registries keep data (default: a temp dir, removed on exit)",
    )
    demo.add_argument(
        "--federation",
        type=Path,
        default=DEFAULT_FEDERATION,
        help="federation layout TOML (default: examples/federation/federation.toml)",
    )
    demo.add_argument("--once", action="store_true", help="exit after printing the first answer")
    demo.set_defaults(handler=run_demo)


# -- the layout ------------------------------------------------------------------------------
@dataclass(frozen=True)
class NodeSpec:
    name: str
    origin: str
    org_name: dict[str, str]
    org_number: str
    country: str
    languages: tuple[str, ...]
    cases: tuple[str, ...]


@dataclass(frozen=True)
class AggregatorSpec:
    name: str
    title: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Federation:
    nodes: dict[str, NodeSpec]
    aggregators: dict[str, AggregatorSpec]  # in start order: sources before those that harvest them
    cases_dir: Path
    first_query: str
    harvest_interval: int = 30

    def case_files(self, node: NodeSpec) -> list[Path]:
        return sorted({p for pattern in node.cases for p in self.cases_dir.glob(pattern)})

    def nodes_behind(self, name: str) -> list[str]:
        """The nodes whose cases reach `name` (a node is behind itself)."""
        if name in self.nodes:
            return [name]
        return [n for source in self.aggregators[name].sources for n in self.nodes_behind(source)]


def layout_problem(path: Path, detail: str) -> Problem:
    return Problem(
        400,
        "bad-federation",
        "The federation file is invalid",
        f"{path}: {detail}",
        [Finding("Violation", detail, source=str(path), rule="federation")],
    )


def load_federation(path: Path = DEFAULT_FEDERATION) -> Federation:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise layout_problem(path, f"cannot read it ({err})") from None
    try:
        nodes = {
            name: NodeSpec(
                name,
                n["origin"],
                dict(n["org_name"]),
                n["org_number"],
                n["country"],
                tuple(n["languages"]),
                tuple(n["cases"]),
            )
            for name, n in data["nodes"].items()
        }
        aggregators = {
            name: AggregatorSpec(name, a.get("title", name), tuple(a["sources"]))
            for name, a in data["aggregators"].items()
        }
    except (KeyError, TypeError) as err:
        raise layout_problem(path, f"missing or wrong key {err}; see the comments at its top") from None
    first_query = (path.parent / data.get("first_query", "first-query.rq")).read_text(encoding="utf-8")
    cases_dir = (path.parent / data["cases_dir"]).resolve()
    return Federation(
        nodes,
        _start_order(path, nodes, aggregators),
        cases_dir,
        first_query,
        int(data.get("harvest_interval", 30)),
    )


def _start_order(path: Path, nodes: dict, aggregators: dict) -> dict[str, AggregatorSpec]:
    ordered: dict[str, AggregatorSpec] = {}
    while len(ordered) < len(aggregators):
        ready = [
            a
            for a in aggregators.values()
            if a.name not in ordered and all(s in nodes or s in ordered for s in a.sources)
        ]
        if not ready:
            unknown = {s for a in aggregators.values() for s in a.sources} - set(nodes) - set(aggregators)
            raise layout_problem(
                path,
                f"unknown sources {sorted(unknown)}"
                if unknown
                else "aggregators harvest each other in a cycle",
            )
        ordered.update((a.name, a) for a in ready)
    return ordered


# -- running it ------------------------------------------------------------------------------
@dataclass
class RunningNode:
    spec: NodeSpec
    settings: object  # NodeSettings
    store: object  # NodeStore
    token: str
    server: object  # BackgroundServer
    imported: int
    credential: str = ""  # the demo person's, for the authoring pages (docs/publishing.md)

    @property
    def base_url(self) -> str:
        return self.settings.base_url


@dataclass
class RunningAggregator:
    spec: AggregatorSpec
    registry: object  # Registry
    app: object
    server: object

    @property
    def base_url(self) -> str:
        return self.registry.settings.base_url

    @property
    def sparql_url(self) -> str:
        return self.base_url + "sparql"


@dataclass
class RunningFederation:
    federation: Federation
    data_dir: Path
    nodes: dict[str, RunningNode] = field(default_factory=dict)
    aggregators: dict[str, RunningAggregator] = field(default_factory=dict)
    schedulers: list = field(default_factory=list)

    @property
    def top(self) -> RunningAggregator:
        return list(self.aggregators.values())[-1]

    def harvest(self) -> dict[str, list[dict]]:
        """Every aggregator once, in start order (national before Nordic)."""
        return {name: agg.registry.harvest() for name, agg in self.aggregators.items()}

    def start_schedules(self) -> None:
        from stafett.harvester.schedule import Scheduler

        self.schedulers = [Scheduler(a.registry).start() for a in self.aggregators.values()]

    def stop(self) -> None:
        """Every step runs even when one before it fails, so no worker process outlives the demo."""
        steps = [scheduler.ask_to_stop for scheduler in self.schedulers]  # all at once, then wait
        steps += [scheduler.join for scheduler in self.schedulers]
        for agg in reversed(self.aggregators.values()):
            steps += [agg.server.stop, agg.app.state.sparql.close, agg.registry.close]
        for node in self.nodes.values():
            steps += [node.server.stop, node.store.close]
        for step in steps:
            try:
                step()
            except Exception as err:  # report and go on: the later steps free processes too
                print(f"stafett demo: while stopping: {type(err).__name__}: {err}", file=sys.stderr)


def start_federation(federation: Federation, data_dir: Path) -> RunningFederation:
    from stafett.serving import bind, url_of

    running = RunningFederation(federation, data_dir)
    sockets = {name: bind() for name in federation.nodes}
    rebases = [(spec.origin, url_of(sockets[name])) for name, spec in federation.nodes.items()]
    try:
        for name, spec in federation.nodes.items():
            running.nodes[name] = _start_node(federation, spec, sockets[name], rebases, data_dir)
        for name, spec in federation.aggregators.items():
            running.aggregators[name] = _start_aggregator(running, spec, data_dir)
    except BaseException:
        running.stop()
        raise
    return running


def _start_node(federation: Federation, spec: NodeSpec, sock, rebases, data_dir: Path) -> RunningNode:
    from stafett.node.bootstrap import init_node, start_node
    from stafett.node.importer import import_paths
    from stafett.serving import url_of

    settings, store, token = init_node(
        data_dir / "nodes" / spec.name,
        url_of(sock),
        spec.org_name,
        spec.org_number,
        spec.country,
        spec.languages,
        force=True,
    )
    report = import_paths(store, settings, federation.case_files(spec), rebases=rebases, only_own=True)
    if not report.ok:
        print(report.text(), file=sys.stderr)
    imported = sum(
        1 for item in report.items if item.action in ("created", "updated", "published", "unchanged")
    )
    credential = demo_person(settings)
    return RunningNode(spec, settings, store, token, start_node(settings, store, sock), imported, credential)


DEMO_PERSON = "demo"
SIGNAL_CHECK_SECONDS = 1.0  # how soon a stop signal that landed on another thread is acted on


def demo_person(settings) -> str:
    """Every demo node has authoring on; its administrator `demo` gets a fresh credential each run."""
    from stafett.node.people import People

    people = People(settings.database_path)
    return people.reset(DEMO_PERSON) or people.add(DEMO_PERSON, "admin")


def _start_aggregator(running: RunningFederation, spec: AggregatorSpec, data_dir: Path) -> RunningAggregator:
    from stafett.harvester.app import create_app
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.sources import Source
    from stafett.harvester.sparql.settings import SparqlSettings
    from stafett.serving import bind, serve_in_thread, url_of

    interval = running.federation.harvest_interval
    sources = []
    for name in spec.sources:
        if name in running.nodes:
            base = running.nodes[name].base_url
            sources.append(Source(name, base, (base,), interval=interval))
        else:
            relayed = tuple(running.nodes[n].base_url for n in running.federation.nodes_behind(name))
            sources.append(
                Source(
                    name,
                    running.aggregators[name].base_url,
                    aggregator=True,
                    relay=relayed,
                    interval=interval,
                )
            )
    sock = bind()
    settings = RegistrySettings(
        data_dir=data_dir / "registries" / spec.name,
        base_url=url_of(sock),
        allow_loopback=True,
        title=spec.title,
    )
    registry = Registry(settings, sources)
    sparql = SparqlSettings.from_env(snapshot_dir=settings.data_dir / "sparql-snapshots", workers=1)
    app = create_app(sparql, registry)
    return RunningAggregator(spec, registry, app, serve_in_thread(app, sock))


# -- the command -----------------------------------------------------------------------------
def ask(sparql_url: str, query: str) -> tuple[list[str], list[dict]]:
    """Run a SELECT over HTTP (as any client would) and return variables and plain-value rows."""
    import httpx

    response = httpx.post(
        sparql_url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60
    )
    if response.status_code != 200:
        raise Problem(
            502,
            "demo-query-failed",
            "The first query failed",
            f"{sparql_url} answered {response.status_code}: {response.text[:300]}",
        )
    body = response.json()
    rows = [{k: v["value"] for k, v in b.items()} for b in body["results"]["bindings"]]
    return body["head"]["vars"], rows


def short(value: str) -> str:
    """Country IRIs read best as their code (".../country/SWE" -> "SWE")."""
    return value.rstrip("/").rsplit("/", 1)[-1] if value.startswith("http") else value


def print_summary(running: RunningFederation, reports: dict[str, list[dict]], out=None) -> None:
    out = out or sys.stdout
    print("Stafett demo federation on 127.0.0.1", file=out)
    print("\nPublisher nodes:", file=out)
    for node in running.nodes.values():
        print(
            f"  {node.spec.name:<15} {node.spec.country}  {node.base_url:<28} {node.imported} cases", file=out
        )
    print("\nAggregators:", file=out)
    for agg in running.aggregators.values():
        accepted = sum(r.get("accepted", 0) for r in reports.get(agg.spec.name, []))
        print(f"  {agg.spec.name:<15} {agg.base_url}  harvests {', '.join(agg.spec.sources)}", file=out)
        print(
            f"  {'':<15} SPARQL {agg.sparql_url}   query page {agg.base_url}query"
            f"   feed {agg.base_url}feed   ({accepted} cases accepted)",
            file=out,
        )


def print_answer(sparql_url: str, query: str, variables: list[str], rows: list[dict], out=None) -> None:
    out = out or sys.stdout
    print(f"\nFirst query, sent to {sparql_url}:\n", file=out)
    print("\n".join("    " + line for line in query.strip().splitlines()), file=out)
    print("\nAnswer:\n", file=out)
    print("    " + "  ".join(f"{v:<10}" for v in variables), file=out)
    for row in rows:
        print("    " + "  ".join(f"{short(row.get(v, '')):<10}" for v in variables), file=out)
    total = sum(int(row.get("cases", 0)) for row in rows)
    print(f"\n    {total} cases from {len(rows)} countries", file=out)
    print(
        f"\nTry it yourself:\n    curl -H 'Accept: text/csv' --data-urlencode 'query@examples/federation/"
        f"first-query.rq' {sparql_url}",
        file=out,
    )


def print_sign_in(running: RunningFederation, out=None) -> None:
    """Where a publisher writes cases in a browser: the first node's sign-in page (docs/publishing.md)."""
    node = next(iter(running.nodes.values()))
    where = f"{node.base_url}sign-in as {DEMO_PERSON}"
    print(f"\nWrite cases in a browser at {where}, credential {node.credential}", file=out)


def search_page_url(running: RunningFederation) -> str:
    return running.top.base_url + "search"


def print_search_page(running: RunningFederation, out=None) -> None:
    """The last line the demo prints: where a person finds the cases (docs/search.md)."""
    print(f"\nSearch the cases in a browser: {search_page_url(running)}", file=out, flush=True)


def run_demo(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; either stops every server and worker and removes the temp dir."""
    from stafett.shutdown import cleanup_deadline, stop_on_signals

    federation = load_federation(args.federation)
    stop_on_signals()
    data_dir, running = args.data_dir, None

    def remove_temp() -> None:
        if args.data_dir is None and data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)

    try:
        data_dir = data_dir or Path(tempfile.mkdtemp(prefix="stafett-demo-"))
        print(
            f"Starting {len(federation.nodes)} nodes and {len(federation.aggregators)} aggregators "
            f"(data in {data_dir}) ...",
            file=sys.stderr,
        )
        running = start_federation(federation, data_dir)
        reports = running.harvest()
        print_summary(running, reports)
        variables, rows = ask(running.top.sparql_url, federation.first_query)
        print_answer(running.top.sparql_url, federation.first_query, variables, rows)
        if not args.once:
            running.start_schedules()
            print(f"\nServing; harvesting every {federation.harvest_interval} s. Press Ctrl-C to stop.")
        print_sign_in(running)
        print_search_page(running)
        if args.once:
            return 0
        while True:
            # Short sleeps, not one long one: the kernel may hand SIGTERM to any thread (the
            # store's and the servers' threads included). CPython then only flags it, and the
            # main thread runs the handler when it next returns to Python: within a second here,
            # never during a sleep of an hour (CI saw the demo still running 60 s after, twice).
            time.sleep(SIGNAL_CHECK_SECONDS)
    except KeyboardInterrupt:
        print("\nStopping.", file=sys.stderr)
        cleanup_deadline("stafett demo", [remove_temp])  # the process ends after this cleanup
        return 0
    finally:
        if running is not None:
            running.stop()
        remove_temp()
