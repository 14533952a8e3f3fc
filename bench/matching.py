"""Matchmaking quality and incremental cost (issue 15 item 7), over the registry's real matcher.

    python -m bench.matching                      # quality (≥500 seekers) and the step at 10k cases
    python -m bench.matching --cases 100000       # the incremental step at 100k cases

Quality: a synthetic population with a known truth. Each of `--themes` themes (a CPV group, two
topics of the topic scheme's size, a sector, three concepts named in texts) has four planned needs
of four organisations in different Nordic countries, tender dates within ±6 months of each
other, and one open offer and one past case of two more organisations: each need's five others
are what should match. Every member carries only part of its theme (the CPV group 80 %, each
topic 60 %, at least one of them; the sector 90 %; two of the three concepts), as publishers do.
Near misses that must not match (or rank below): a need of the theme with its tender 24 months
off (outside the ±12 month margin), a case of the theme by the need's own organisation, two
cases sharing only the sector and the region, one sharing a sector and a concept named in its
text. Background past cases fill the population. precision@5 = relevant among the first five
returned, over five; recall@10 = relevant among the first ten, over the five relevant.

Incremental: the same generator at `--cases` cases (3 % seekers), profiles built in memory and
every seeker's list computed and written into the matches graph of a real pyoxigraph store; then
one new planned need is written into the store as a case graph and `Matcher.refresh([case])`
timed (it reads the case back with the named query, recomputes its list, offers it to the
seekers sharing a posting, and rewrites the changed lists in one store update), five times.

Harvest step: what matching adds to a harvest, per case: bench/generate.py's cases written into a
store page by page (100 a page) and `Matcher.refresh` timed after each page, as the pipeline calls it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from stafett import vocabulary
from stafett.harvester.matching.engine import Matcher
from stafett.harvester.matching.profile import Profile, text_concepts
from stafett.vocabulary.terms import ADMS, DCT, EPO, STF, term

TODAY = date(2026, 12, 1)
BASE = "https://registry.example/"
COUNTRIES = ("SWE", "NOR", "DNK", "FIN", "ISL")
SECTORS = (
    "health-social-care", "education", "it-digitalisation", "environment-climate", "transport", "energy",
    "construction-housing", "public-administration", "water-waste", "culture-leisure", "public-safety",
    "food-meals", "transport-infrastructure", "research",
)  # fmt: skip
TOPICS, CONCEPTS, REGIONS_PER_COUNTRY = 150, 400, 12


def country(c: str) -> str:
    return vocabulary.EU_AUTHORITY + "country/" + c


def region(c: str, n: int) -> str:
    return vocabulary.PLACE_BASE + f"region/{c[:2]}-{n:02d}"


def topic(n: int) -> str:
    return vocabulary.concept_iri("topic", f"t{n:03d}")


def sector(code: str) -> str:
    return vocabulary.concept_iri("sector", code)


def concept(n: int) -> str:
    return vocabulary.concept_iri("topic", f"c{n:03d}")


class Population:
    """Profiles with the truth: seeker -> the cases that should match it."""

    def __init__(self, themes: int, total: int, seed: int = 15) -> None:
        self.rng = random.Random(seed)
        self.profiles: list[Profile] = []
        self.truth: dict[str, set[str]] = {}
        self.orgs = 0
        for n in range(themes):
            self.theme(n)
        while len(self.profiles) < total:
            self.background(len(self.profiles))

    def org(self) -> str:
        self.orgs += 1
        return f"https://org{self.orgs}.example/#publisher"

    def place(self, profile: Profile, where: str | None = None) -> None:
        c = where or self.rng.choice(COUNTRIES)
        profile.country = country(c)
        profile.regions = {region(c, self.rng.randrange(REGIONS_PER_COUNTRY))}

    def member(self, n: int, k: int, theme: dict, org: str, *, planned: bool, month: int | None) -> Profile:
        rng = self.rng
        profile = Profile(f"https://org.example/theme{n}/case{k}", publisher=org, planned=planned)
        has_cpv = rng.random() < 0.8
        topics = {t for t in sorted(theme["topics"]) if rng.random() < 0.6}
        if not has_cpv and not topics:
            topics = {rng.choice(sorted(theme["topics"]))}
        profile.cpv_groups = {theme["cpv"]} if has_cpv else set()
        profile.topics = topics
        profile.sectors = {theme["sector"]} if rng.random() < 0.9 else {sector(rng.choice(SECTORS))}
        profile.concepts = set(rng.sample(sorted(theme["concepts"]), 2))
        self.place(profile)
        if month is not None:
            profile.window = (month, month)
        return profile

    def theme(self, n: int) -> None:
        rng = self.rng
        theme = {
            "cpv": f"{1000 + n % 8000:04d}",
            "topics": {topic(t) for t in rng.sample(range(TOPICS), 2)},
            "sector": sector(rng.choice(SECTORS)),
            "concepts": {concept(c) for c in rng.sample(range(CONCEPTS), 3)},
        }
        centre = 2027 * 12 + rng.randrange(24)
        orgs = [self.org() for _ in range(6)]
        needs = [
            self.member(n, k, theme, orgs[k], planned=True, month=centre + rng.randrange(-6, 7))
            for k in range(4)
        ]
        offer = self.member(n, 4, theme, orgs[4], planned=False, month=None)
        offer.adoption, offer.adoption_until = True, date(2030, 12, 31)
        past = self.member(n, 5, theme, orgs[5], planned=False, month=None)
        members = [*needs, offer, past]
        for need in needs:
            self.truth[need.case] = {m.case for m in members if m is not need}
        # near misses
        late = self.member(n, 6, theme, self.org(), planned=True, month=centre + 24)
        own = self.member(n, 7, theme, needs[0].publisher, planned=False, month=None)
        sector_only = []
        for k in (8, 9):
            other = Profile(f"https://org.example/theme{n}/case{k}", publisher=self.org())
            other.sectors = set(needs[0].sectors)
            other.country, other.regions = needs[0].country, set(needs[0].regions)
            other.cpv_groups = {f"{9000 + rng.randrange(900):04d}"}
            sector_only.append(other)
        worded = Profile(f"https://org.example/theme{n}/case10", publisher=self.org())
        worded.sectors = set(needs[1].sectors)
        worded.concepts = {next(iter(theme["concepts"]))}
        worded.cpv_groups = {f"{9000 + rng.randrange(900):04d}"}
        self.place(worded)
        self.profiles += [*members, late, own, *sector_only, worded]

    def background(self, k: int) -> None:
        rng = self.rng
        profile = Profile(f"https://org.example/background/case{k}", publisher=self.org())
        profile.cpv_groups = {f"{1000 + rng.randrange(8000):04d}"}
        profile.topics = {topic(rng.randrange(TOPICS))}
        profile.sectors = {sector(rng.choice(SECTORS))}
        profile.concepts = {concept(rng.randrange(CONCEPTS))}
        self.place(profile)
        self.profiles.append(profile)


def built_matcher(population: Population, store: ox.Store) -> tuple[Matcher, float]:
    matcher = Matcher(store, BASE + "graph/provenance", BASE, today=lambda: TODAY)
    started = time.perf_counter()
    for profile in population.profiles:
        matcher.add(profile)
    seekers = [p.case for p in population.profiles if p.seeks(TODAY)]
    for seeker in seekers:
        matcher.lists[seeker] = {}
        matcher.recompute(seeker)
    matcher.loaded = True
    elapsed = time.perf_counter() - started
    matcher.write(set(seekers), set())
    return matcher, elapsed


def quality(themes: int) -> dict:
    population = Population(themes, total=themes * 11 + 2 * themes)
    matcher, elapsed = built_matcher(population, ox.Store())
    precision, recall = [], []
    for seeker, relevant in population.truth.items():
        ranked = [m.candidate for m in matcher.matches_for(seeker)]
        precision.append(len(set(ranked[:5]) & relevant) / 5)
        recall.append(len(set(ranked[:10]) & relevant) / len(relevant))
    return {
        "cases": len(population.profiles),
        "seekers": sum(1 for p in population.profiles if p.seeks(TODAY)),
        "precision@5": statistics.mean(precision),
        "recall@10": statistics.mean(recall),
        "full build (s)": elapsed,
    }


def new_need_quads(case: str, theme_cpv: str, topics: set[str], sector_iri: str, where: str) -> list[ox.Quad]:
    g, s = ox.NamedNode(case), ox.NamedNode(case)
    xsd_date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")
    triples = [
        (term(DCT, "title"), ox.Literal("Planned need", language="en")),
        (term(ADMS, "status"), ox.NamedNode(vocabulary.concept_iri("status", "planned"))),
        (term(EPO, "hasMainClassification"), ox.NamedNode(vocabulary.SCHEMES["cpv"] + f"/{theme_cpv}0000")),
        (term(STF, "sector"), ox.NamedNode(sector_iri)),
        (term(DCT, "spatial"), ox.NamedNode(country(where))),
        (term(STF, "region"), ox.NamedNode(region(where, 3))),
        (term(DCT, "publisher"), ox.NamedNode(f"https://new-{case.rsplit('/', 1)[-1]}.example/#publisher")),
        (term(STF, "expectedTenderDate"), ox.Literal("2027-10", datatype=xsd_date)),
        *((term(DCT, "subject"), ox.NamedNode(t)) for t in topics),
    ]
    return [ox.Quad(s, p, o, g) for p, o in triples]


def incremental(total: int, repeats: int = 5) -> dict:
    themes = max(1, total * 3 // 100 // 4)  # 3 % seekers, four per theme
    population = Population(themes, total=total)
    store = ox.Store()
    started = time.perf_counter()
    matcher, elapsed = built_matcher(population, store)
    written = time.perf_counter() - started - elapsed
    text_concepts([("sv", "hemtjänst")])  # the label index, built once per process (a harvest builds it too)
    rng = random.Random(7)
    timings, cpu, touched = [], [], []
    for k in range(repeats):
        source = rng.choice([p for p in population.profiles[:200] if p.planned])
        case = f"https://new.example/case/need{k}"
        cpv, field = next(iter(source.cpv_groups or {"1000"})), next(iter(source.sectors))
        store.extend(new_need_quads(case, cpv, source.topics, field, "SWE"))
        began, began_cpu = time.perf_counter(), time.process_time()
        changed = matcher.refresh([case])
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        touched.append(len(changed))
        assert matcher.lists.get(case), "the new need found no match"
    return {
        "cases": len(population.profiles),
        "seekers": sum(1 for p in population.profiles if p.seeks(TODAY)),
        "full build (s)": elapsed,
        "initial graph write (s)": written,
        "one new need, median (s)": statistics.median(timings),
        "one new need, max (s)": max(timings),
        "one new need, CPU median (s)": statistics.median(cpu),
        "lists rewritten per new need (median)": statistics.median(touched),
    }


def harvest_step(cases: int, page: int = 100, base: Path | None = None) -> dict:
    """What matching adds to a harvest: the bench generator's cases (bench/generate.py, 15 % open
    for partners) written page by page into a real store as the loader writes them, and
    `Matcher.refresh` timed after each page, as harvester/pipeline.py calls it.

    With `base` (a checkout of another tree), that tree's harvester/matching/engine.py runs side by
    side on a store of its own: the same pages, the two refreshes alternating which goes first, and
    CPU per case reported per fifth of the run (what grows with the registry shows there), with a
    check that both engines end with the same lists."""
    from bench import generate
    from stafett.vocabulary.jsonld import json_ld_to_quads

    docs = [case.doc for case in generate.generate(cases).cases]
    engines = {"this tree": Matcher} | ({"base": base_engine(base)} if base else {})
    sides = {name: cls(ox.Store(), BASE + "graph/provenance", BASE) for name, cls in engines.items()}
    for matcher in sides.values():
        matcher.load()
    text_concepts([("sv", "hemtjänst")])  # the label index, built once per process
    spent = {name: 0.0 for name in sides}
    cpu = {name: [0.0] * 5 for name in sides}
    for number, start in enumerate(range(0, len(docs), page)):
        chunk = docs[start : start + page]
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(doc["id"]))
            for doc in chunk
            for q in json_ld_to_quads(doc)
        ]
        order = list(sides.items()) if number % 2 == 0 else list(sides.items())[::-1]
        for name, matcher in order:
            matcher.store.extend(quads)
            began, began_cpu = time.perf_counter(), time.process_time()
            matcher.refresh([doc["id"] for doc in chunk])
            spent[name] += time.perf_counter() - began
            cpu[name][start * 5 // len(docs)] += time.process_time() - began_cpu
    fifth = len(docs) / 5
    out: dict = {"cases": len(docs), "seekers": len(sides["this tree"].lists)}
    for name in sides:
        out[f"{name}: refresh per case, wall (ms)"] = 1000 * spent[name] / len(docs)
        out[f"{name}: refresh per case, CPU (ms)"] = 1000 * sum(cpu[name]) / len(docs)
        out[f"{name}: CPU ms per case by fifth"] = " ".join(f"{1000 * c / fifth:.2f}" for c in cpu[name])
    if base:
        out["same lists"] = str(sides["this tree"].lists == sides["base"].lists)
    return out


def base_engine(tree: Path) -> type:
    """Matcher as another checkout has it (only its engine module; the rest is this tree's)."""
    spec = importlib.util.spec_from_file_location("base_engine", tree / "harvester/matching/engine.py")
    assert spec and spec.loader, f"no engine at {tree}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Matcher


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--themes", type=int, default=150, help="themes of the quality set (4 seekers each)")
    parser.add_argument("--cases", type=int, default=10_000, help="population of the incremental run")
    parser.add_argument("--harvest-cases", type=int, default=1500, help="generated cases of the harvest step")
    parser.add_argument("--harvest-base", type=Path, help="a checkout whose engine runs beside this one")
    parser.add_argument("--only", choices=("quality", "incremental", "harvest step"), help="one of the runs")
    args = parser.parse_args(argv)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min)")
    runs = (
        ("quality", lambda: quality(args.themes)),
        ("incremental", lambda: incremental(args.cases)),
        ("harvest step", lambda: harvest_step(args.harvest_cases, base=args.harvest_base)),
    )
    for name, run in runs:
        if args.only and name != args.only:
            continue
        figures = run()
        print(name)
        for key, value in figures.items():
            print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
