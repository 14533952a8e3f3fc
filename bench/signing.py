"""Signed relays (issue 16): signing and verifying rates, and the harvest rate with verification
on vs off, at a scale you choose.

    .venv/bin/python -m bench.signing --cases 200        # small; docs/benchmarks.md states its run

One real node on loopback (node/bootstrap.py) publishes `--cases` generated cases through the
node's own path (publish.commit: validate, stamp, sign, store). Measured in this process:
- sign: `stafett.integrity.proofs.sign` over each stored version's graph (canonicalise, hash, Ed25519);
- verify: `verify` of each signed graph against the node's published key (no network);
- harvest: a fresh real registry (harvester/registry.py) harvests the node, once with
  `verify_signatures = true` and once with `false`, in alternating order over `--repeats` rounds;
  the best round of each is reported (cases/s), with the cost of verification as a share; and
  the same per CPU second of the harvesting processes (on a shared machine wall time also holds
  what the other processes take, CPU time does not).

At a scale where two first harvests do not fit (100k), `--grown BATCH` compares the modes on a
registry that already holds `--cases`: one first harvest (verification on, reported on its own),
then 2 x `--repeats` rounds, in the order on, off, off, on, ..., that each publish BATCH more cases
and harvest them incrementally on the same registry with the round's mode (so the registry's
growth between rounds falls on both modes alike). The sign and verify rates are taken over at most
`--rate-sample` versions (they are per graph; holding 100k parsed graphs measures memory, not work).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import orjson
import pyoxigraph as ox

from bench.generate import generate


def progress(message: str) -> None:
    """One line on stderr per finished stage, with the time and load: a run of an hour or more
    leaves its figures so far even when it is stopped before the table."""
    load = os.getloadavg()[0]
    print(f"{time.strftime('%H:%M:%S')} (load {load:.1f}) {message}", file=sys.stderr, flush=True)


def publish_all(settings, store, cases) -> list:
    from stafett.node import publish

    records = []
    for case in cases:
        triples = publish.parse(orjson.dumps(case.authored()), "application/ld+json", settings)
        prepared = publish.prepare(triples, settings, case.slug)
        records.append(publish.commit(store, settings, prepared).result.record)
    return records


def sign_and_verify_rates(settings, records) -> tuple[float, float]:
    from stafett.integrity.multikey import public_multikey
    from stafett.integrity.proofs import PublishedKey, sign, strip_proofs, verify
    from stafett.node.keys import signing_key

    key, published = signing_key(settings)
    iri = published.iri(settings)
    keys = {iri: PublishedKey(iri, public_multikey(key.public_key()))}
    graphs = [list(ox.parse(r.ntriples, ox.RdfFormat.N_TRIPLES)) for r in records]
    unsigned = [strip_proofs(g) for g in graphs]
    started = time.perf_counter()
    for graph, record in zip(unsigned, records, strict=True):
        sign(graph, ox.NamedNode(record.iri), key, verification_method=iri, created=record.modified)
    signing = len(graphs) / (time.perf_counter() - started)
    started = time.perf_counter()
    results = [verify(g, keys.get).status for g in graphs]
    verifying = len(graphs) / (time.perf_counter() - started)
    assert set(results) == {"verified"}, set(results)
    return signing, verifying


def tree_cpu_seconds(root: int | None = None) -> float:
    """CPU seconds (user + system) of this process and its live descendants (the harvester's
    parser worker), from /proc: on a shared machine CPU time, unlike wall time, is not what the
    other processes take."""
    root = root or os.getpid()
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, cpu seconds)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        total += stats.get(pid, (0, 0.0))[1]
        frontier.extend(child for child, (parent, _) in stats.items() if parent == pid)
    return total


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def open_registry(base: str, workdir: Path, verify_signatures: bool):
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.sources import Source

    shutil.rmtree(workdir, ignore_errors=True)
    settings = RegistrySettings(
        data_dir=workdir,
        base_url="http://127.0.0.1:9/",
        allow_loopback=True,
        verify_signatures=verify_signatures,
        source_deadline=24 * 3600.0,  # one node with all the cases: 10k took over the 300 s default
    )
    return Registry(settings, [Source("node", base, (base,))])


def timed_harvest(registry, verify_signatures: bool, expected: int) -> tuple[float, float]:
    """Cases per wall second and per CPU second (this process, which also serves the node in a
    thread, and the harvester's worker processes) of one harvest that must accept `expected`."""
    # The mode is read per harvest (Registry.harvest_parts), so one registry can run both.
    registry.settings = registry.settings.with_(verify_signatures=verify_signatures)
    started, started_cpu = time.perf_counter(), tree_cpu_seconds()
    [report] = registry.harvest()
    elapsed, cpu = time.perf_counter() - started, tree_cpu_seconds() - started_cpu
    assert report["accepted"] == expected, report
    return expected / elapsed, expected / cpu


def harvest_rate(base: str, workdir: Path, verify_signatures: bool, expected: int) -> tuple[float, float]:
    """One first harvest by a fresh registry."""
    registry = open_registry(base, workdir, verify_signatures)
    try:
        return timed_harvest(registry, verify_signatures, expected)
    finally:
        registry.close()


Rates = dict[bool, list[tuple[float, float]]]  # mode -> (cases per wall s, per CPU s) of each round


def fresh_rates(base: str, workdir: Path, expected: int, repeats: int) -> Rates:
    """First harvests by fresh registries, alternating the mode's order every round."""
    rates: Rates = {True: [], False: []}
    for round_ in range(repeats):
        for mode in (True, False) if round_ % 2 == 0 else (False, True):
            rates[mode].append(harvest_rate(base, workdir, mode, expected))
            report_round(f"round {round_ + 1}", mode, rates[mode][-1])
    return rates


def grown_rates(settings, store, base: str, workdir: Path, first: int, batches: list[list]) -> dict:
    """One first harvest of `first` cases, then one incremental harvest per batch on the same
    registry, in the modes on, off, off, on, ... (growth between rounds falls on both alike)."""
    rates: Rates = {True: [], False: []}
    registry = open_registry(base, workdir, True)
    try:
        first_rates = timed_harvest(registry, True, first)
        report_round(f"first harvest of {first}", True, first_rates)
        for round_, batch in enumerate(batches):
            mode = round_ % 4 in (0, 3)
            publish_all(settings, store, batch)
            rates[mode].append(timed_harvest(registry, mode, len(batch)))
            report_round(f"round {round_ + 1}, {len(batch)} more", mode, rates[mode][-1])
    finally:
        registry.close()
    return {"rates": rates, "first": first_rates}


def report_round(label: str, mode: bool, rate: tuple[float, float]) -> None:
    wall, cpu = rate
    mode_name = "on" if mode else "off"
    progress(f"{label}, verification {mode_name}: {wall:.1f} cases per wall s, {cpu:.1f} per CPU s")


def main(argv: list[str] | None = None) -> int:
    from stafett.node.bootstrap import init_node, start_node
    from stafett.serving import bind, url_of

    parser = argparse.ArgumentParser(prog="python -m bench.signing", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases the node publishes (default 200)")
    parser.add_argument("--repeats", type=int, default=2, help="harvest rounds per mode (default 2)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--grown",
        type=int,
        default=0,
        metavar="BATCH",
        help="compare the modes by incremental harvests of BATCH more cases on a registry that holds --cases",
    )
    parser.add_argument(
        "--rate-sample",
        type=int,
        default=10_000,
        help="versions the sign and verify rates use (default 10000)",
    )
    args = parser.parse_args(argv)
    grown = None
    with tempfile.TemporaryDirectory(prefix="stafett-bench-signing-") as tmp:
        root = Path(tmp)
        sock = bind()
        settings, store, _ = init_node(
            root / "node", url_of(sock), {"sv": "Växjö kommun"}, None, "SWE", ("sv", "en"), feed_page_size=100
        )
        batches = 2 * args.repeats if args.grown else 0
        fed = generate(args.cases + batches * args.grown, nodes=1, base_url=settings.base_url.rstrip("/"))
        progress(f"generated {len(fed.cases)} cases; publishing {args.cases} through the node")
        records = publish_all(settings, store, fed.cases[: args.cases])
        progress(f"published {len(records)} versions")
        signing, verifying = sign_and_verify_rates(settings, records[: args.rate_sample])
        progress(f"sign {signing:.0f} graphs/s, verify {verifying:.0f} graphs/s")
        server = start_node(settings, store, sock)
        try:
            if args.grown:
                later = fed.cases[args.cases :]
                split = [later[i * args.grown : (i + 1) * args.grown] for i in range(batches)]
                registry_dir = root / "registry"
                grown = grown_rates(settings, store, settings.base_url, registry_dir, len(records), split)
                rates = grown["rates"]
            else:
                rates = fresh_rates(settings.base_url, root / "registry", len(records), args.repeats)
        finally:
            server.stop()
    on, off = (max(wall for wall, _ in rates[mode]) for mode in (True, False))
    on_cpu, off_cpu = (max(cpu for _, cpu in rates[mode]) for mode in (True, False))
    figures = {
        "cases": len(records),
        "sign_per_s": round(signing),
        "verify_per_s": round(verifying),
        "harvest_verify_on_cases_per_s": round(on, 1),
        "harvest_verify_off_cases_per_s": round(off, 1),
        "verification_cost_share": round(1 - on / off, 3),
        "harvest_verify_on_cases_per_cpu_s": round(on_cpu, 1),
        "harvest_verify_off_cases_per_cpu_s": round(off_cpu, 1),
        "verification_cpu_cost_share": round(1 - on_cpu / off_cpu, 3),
    }
    if grown:
        figures["grown_batch"] = args.grown
        figures["first_harvest_cases_per_s"] = round(grown["first"][0], 1)
        figures["first_harvest_cases_per_cpu_s"] = round(grown["first"][1], 1)
    if args.json:
        print(orjson.dumps(figures).decode())
    else:
        print(f"| measure ({figures['cases']} cases, one node on loopback) | value |\n|---|---|")
        print(f"| sign (canonicalise + hash + Ed25519), graphs/s | {figures['sign_per_s']} |")
        print(f"| verify, graphs/s | {figures['verify_per_s']} |")
        print(f"| harvest, verification on, cases/s | {figures['harvest_verify_on_cases_per_s']} |")
        print(f"| harvest, verification off, cases/s | {figures['harvest_verify_off_cases_per_s']} |")
        print(f"| cost of verification in harvest throughput | {figures['verification_cost_share']:.1%} |")
        for mode in ("on", "off"):
            per_cpu = figures[f"harvest_verify_{mode}_cases_per_cpu_s"]
            print(f"| harvest, verification {mode}, cases per CPU second | {per_cpu} |")
        print(f"| cost of verification in CPU per case | {figures['verification_cpu_cost_share']:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
