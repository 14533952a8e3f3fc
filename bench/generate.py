"""A deterministic synthetic Nordic federation: nodes (publisher base URLs) and their cases.

Every field of the case document form appears across the corpus, with the fixed concept codes
and real CPV codes, so validation and queries do realistic work. Cases have 40 to 120 triples
(optional parts vary by case). Same size and seed -> byte-identical documents.

    python -m bench.generate --size 1k            # prints a summary
    python -m bench.generate --size 1k --write    # also writes bench/results/federation-1k/
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from bench import wordlists as W

CONTEXT = "https://w3id.org/stafett/context/v1"
RESULTS = Path(__file__).parent / "results"

STATUS = [
    "needs-analysis",
    "market-dialogue",
    "tendering",
    "development",
    "pilot",
    "implemented",
    "scaled-up",
    "adopted-by-others",
    "discontinued",
]
APPROACH = [
    "pcp",
    "ppi",
    "innovation-partnership",
    "competitive-dialogue",
    "competitive-negotiation",
    "market-dialogue",
    "functional-requirements",
    "design-contest",
    "innovation-competition",
    "testbed",
]
EFFECT = [
    "cost-savings",
    "quality-improvement",
    "time-savings",
    "environmental-benefit",
    "work-environment",
    "accessibility",
    "new-market",
    "scaled-solution",
    "knowledge-gained",
    "no-measurable-effect",
]
FUNDING = [
    "own-budget",
    "national-innovation-agency",
    "eu-programme",
    "regional-fund",
    "research-council",
    "nordic-cooperation",
    "private-co-funding",
    "other",
]
ADOPTION = [
    "framework-call-off",
    "join-next-procurement",
    "open-source",
    "licence-agreement",
    "reuse-documents",
    "new-procurement",
]
DOC_TYPES = [
    "notice",
    "tender-documents",
    "specification",
    "report",
    "evaluation",
    "contract",
    "presentation",
    "video",
    "web-page",
]
PROCEDURES = ["open", "restricted", "comp-dial", "innovation", "neg-w-call", "comp-tend"]
PROGRAMMES = ["HORIZONEU", "H2020", "DIGITALEU", "ERDF_2021", "EU4HEALTH", "CEF_2021"]
LEGAL_TYPES = ["la", "ra", "cga", "body-pl-la", "pub-undert-la"]
FUNDERS = {
    "SWE": "Vinnova",
    "NOR": "Innovasjon Norge",
    "DNK": "Innovationsfonden",
    "FIN": "Business Finland",
    "ISL": "Rannís",
}
# How nodes spread over languages (Sweden largest, Iceland smallest, a few English-only bodies).
ALL_LANGS = ["sv", "nb", "nn", "da", "fi", "is", "en"]
NODE_LANGS = ["sv"] * 30 + ["nb"] * 18 + ["nn"] * 6 + ["da"] * 20 + ["fi"] * 18 + ["is"] * 5 + ["en"] * 3


@dataclass(frozen=True)
class Node:
    index: int
    slug: str
    lang: str
    town: str
    base_url: str


@dataclass
class Case:
    node: Node
    slug: str
    doc: dict  # as published: includes the node-set `id`, `issued`, `modified`, `version`

    @property
    def id(self) -> str:
        return self.doc["id"]

    def authored(self) -> dict:
        """What a publisher writes to the node's API (no node-set fields)."""
        return {k: v for k, v in self.doc.items() if k not in ("id", "issued", "modified", "version")}

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.doc)


@dataclass
class Federation:
    size: int
    seed: int
    nodes: list[Node]
    cases: list[Case] = field(default_factory=list)

    def by_node(self) -> dict[int, list[Case]]:
        out: dict[int, list[Case]] = {n.index: [] for n in self.nodes}
        for case in self.cases:
            out[case.node.index].append(case)
        return out


def parse_size(text: str | int) -> int:
    """'1k' -> 1000, '100k' -> 100000, '200' -> 200."""
    if isinstance(text, int):
        return text
    text = text.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def default_node_count(size: int) -> int:
    """10 nodes at 1k, 100 at 10k, 1,000 at 100k (about 100 cases per publisher)."""
    return max(10, min(1000, size // 100))


def ascii_slug(text: str) -> str:
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("ð", "d").replace("þ", "th")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def make_nodes(count: int, rng: random.Random, base_url: str | None = None) -> list[Node]:
    nodes = []
    for i in range(count):
        lang = ALL_LANGS[i] if i < len(ALL_LANGS) else rng.choice(NODE_LANGS)  # every language present
        town = rng.choice(W.LANGUAGES[lang]["towns"])
        slug = f"{ascii_slug(town)}-{i}"
        url = (base_url or "https://{slug}.stafett.example").format(slug=slug, index=i)
        nodes.append(Node(i, slug, lang, town, url))
    return nodes


def generate(
    size: int | str, *, seed: int = 7, nodes: int | None = None, base_url: str | None = None
) -> Federation:
    """Build the federation in memory. `base_url` may contain {slug} and {index}."""
    size = parse_size(size)
    rng = random.Random(f"stafett-bench-{seed}")
    fed = Federation(size, seed, make_nodes(nodes or default_node_count(size), rng, base_url))
    per_node_count: dict[int, int] = {}
    for i in range(size):
        node = fed.nodes[i % len(fed.nodes)] if i < len(fed.nodes) else rng.choice(fed.nodes)
        n = per_node_count[node.index] = per_node_count.get(node.index, 0) + 1
        fed.cases.append(make_case(rng, node, n, fed.cases))
    return fed


def fill(template: str, ctx: dict) -> str:
    out = template.format(**ctx)
    return out[0].upper() + out[1:]


def texts(rng: random.Random, langs: list[str], field_name: str, ctx_of) -> dict:
    return {
        lang: " ".join(fill(t, ctx_of(lang)) for t in rng.sample(W.TEXTS[lang][field_name], 2))
        for lang in langs
    }


def make_case(rng: random.Random, node: Node, n: int, earlier: list[Case]) -> Case:
    sector, cpvs, phrases = rng.choice(W.SUBJECTS)
    info = W.LANGUAGES[node.lang]
    langs = [node.lang] if node.lang == "en" else [node.lang, "en"]
    if node.lang == "fi" and rng.random() < 0.3:
        langs.append("sv")  # bilingual Finnish municipalities
    year = rng.randint(2016, 2025)
    group_i = rng.randrange(4)

    def ctx_of(lang: str) -> dict:
        thing = phrases[lang]
        group = W.LANGUAGES[lang]["groups"][group_i]
        town = node.town
        return {
            "thing": thing,
            "Thing": thing[0].upper() + thing[1:],
            "town": town,
            "Town": town,
            "group": group,
            "Group": group[0].upper() + group[1:],
            "n": rng.randint(5, 40),
            "year": year,
        }

    title = {lang: fill(rng.choice(W.TITLES[lang]), ctx_of(lang)) for lang in langs}
    slug = f"{ascii_slug(title['en'] if 'en' in title else title[node.lang])[:60]}-{n}"
    case_id = f"{node.base_url}/case/{slug}"
    rich = rng.random()  # how much optional detail this case carries (drives 40..120 triples)
    doc: dict = {
        "@context": CONTEXT,
        "id": case_id,
        "type": "Case",
        "title": title,
        "summary": texts(rng, langs, "summary", ctx_of),
        "need": texts(rng, langs[:1], "need", ctx_of),
        "status": rng.choice(STATUS),
        "innovationApproach": rng.sample(APPROACH, rng.randint(1, 2)),
        "sector": [sector]
        + ([rng.choice(["public-administration", "it-digitalisation"])] if rich > 0.7 else []),
        "country": info["country"],
        "language": [W.LANGUAGES[lang]["language"] for lang in langs],
        "cpv": cpvs[: rng.randint(1, len(cpvs))],
        "keyword": {lang: rng.sample(W.KEYWORDS[lang], rng.randint(1, 3)) for lang in langs},
        "buyer": [buyer(rng, node, info)],
        "procedure": {"procedureType": rng.choice(PROCEDURES), "jointProcurement": rich > 0.8},
        "startDate": f"{year}-{rng.randint(1, 12):02d}-01",
    }
    if rich > 0.3:
        doc["endDate"] = f"{year + rng.randint(1, 3)}-{rng.randint(1, 12):02d}-28"
        doc["cost"] = {"amount": rng.randrange(100_000, 20_000_000, 1000), "currency": info["currency"]}
        doc["funding"] = [funding(rng, info) for _ in range(1 + (rich > 0.75))]
        doc["outcome"] = texts(rng, langs, "outcome", ctx_of)
        doc["effect"] = rng.sample(EFFECT, rng.randint(1, 3))
        doc["lessonsLearned"] = texts(rng, langs[:1], "lessonsLearned", ctx_of)
    doc["solution"] = [solution(rng, info, phrases, k) for k in range(1 + (rich > 0.6) + (rich > 0.9))]
    if rich > 0.5:
        doc["risks"] = texts(rng, langs[:1], "risks", ctx_of)
        doc["riskSharing"] = texts(rng, langs[:1], "riskSharing", ctx_of)
    doc["openForAdoption"] = rich > 0.4
    doc["openForPartners"] = rich > 0.85
    if rich > 0.4:
        doc["adoptionRoute"] = rng.sample(ADOPTION, rng.randint(1, 2))
        doc["adoptionNote"] = texts(rng, langs[:1], "adoptionNote", ctx_of)
    picked = rng.sample(earlier, min(len(earlier), 3)) if earlier else []
    links = [c.id for c in picked]
    doc["scaledUpFrom"] = links[:1] if rich > 0.9 else []
    doc["adoptedFrom"] = links[1:2] if rich > 0.6 else []
    doc["adoptedBy"] = []
    doc["relatedCase"] = links[2:3]
    if doc["adoptedFrom"] and rich > 0.8 and len(picked[1].doc["adoptedBy"]) < 3:
        # the original confirms some adoptions on its side too (adoptedBy), as real buyers do,
        # so chains must be followed both ways; no extra random draw, so nothing else changes
        picked[1].doc["adoptedBy"].append(case_id)
    doc["document"] = [document(rng, case_id, langs[0], title, k) for k in range(1 + int(rich * 3))]
    doc["contact"] = [contact(rng, node, info)]
    stamp = f"{year + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(6, 18):02d}:00:00Z"
    doc.update(issued=stamp, modified=stamp, version="1")
    return Case(node, slug, doc)


def buyer(rng: random.Random, node: Node, info: dict) -> dict:
    org = f"{rng.randint(200000, 299999)}-{rng.randint(1000, 9999)}"
    return {
        "name": {node.lang: info["buyer"].format(town=node.town)},
        "orgNumber": org,
        "country": info["country"],
        "legalType": rng.choice(LEGAL_TYPES),
    }


def funding(rng: random.Random, info: dict) -> dict:
    kind = rng.choice(FUNDING)
    out = {
        "fundingType": kind,
        "funder": {"name": {"en": FUNDERS.get(info["country"], "Nordic Innovation")}},
        "amount": rng.randrange(50_000, 5_000_000, 500),
        "currency": info["currency"],
    }
    if kind == "eu-programme":
        out.update(
            funder={"name": {"en": "European Commission"}}, programme=rng.choice(PROGRAMMES), currency="EUR"
        )
    return out


def solution(rng: random.Random, info: dict, phrases: dict, k: int) -> dict:
    supplier = rng.choice(W.SUPPLIERS)
    return {
        "name": {"en": f"{supplier} {phrases['en']} {'ABC'[k]}"},
        "summary": {"en": f"A solution for {phrases['en']} delivered by {supplier}."},
        "url": f"https://{ascii_slug(supplier)}.example/products/{k + 1}",
        "supplier": [
            {
                "name": {"en": supplier},
                "orgNumber": f"{rng.randint(500000, 599999)}-{k}",
                "country": rng.choice([info["country"], "SWE", "NOR", "DNK", "FIN"]),
            }
        ],
    }


def document(rng: random.Random, case_id: str, lang: str, title: dict, k: int) -> dict:
    kind = rng.choice(DOC_TYPES)
    return {
        "url": f"{case_id}/documents/{k + 1}-{kind}",
        "title": {lang: f"{title[lang]} ({kind})"},
        "documentType": kind,
    }


def contact(rng: random.Random, node: Node, info: dict) -> dict:
    first, last = rng.choice(W.FIRST_NAMES), rng.choice(W.LAST_NAMES)
    host = node.base_url.split("//", 1)[-1].split("/", 1)[0].split(":")[0]
    return {
        "fullName": f"{first} {last}",
        "email": f"mailto:{ascii_slug(first)}.{ascii_slug(last)}@{host}",
        "phone": f"tel:{info['phone']}{rng.randint(10_000_000, 99_999_999)}",
    }


def write(fed: Federation, root: Path | None = None) -> Path:
    """One JSON-LD file per case under <root>/<node slug>/<case slug>.jsonld."""
    root = root or RESULTS / f"federation-{fed.size}"
    for case in fed.cases:
        path = root / case.node.slug / f"{case.slug}.jsonld"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(orjson.dumps(case.doc, option=orjson.OPT_INDENT_2))
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1k", help="number of cases: 200, 1k, 10k, 100k")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--nodes", type=int, default=None, help="publisher count (default: size/100, 10..1000)"
    )
    parser.add_argument("--write", action="store_true", help="write one file per case under bench/results/")
    args = parser.parse_args(argv)
    fed = generate(args.size, seed=args.seed, nodes=args.nodes)
    nbytes = sum(len(c.to_bytes()) for c in fed.cases)
    print(f"{len(fed.cases):,} cases on {len(fed.nodes):,} nodes, {nbytes / 1e6:.1f} MB of JSON-LD")
    if args.write:
        print(f"written to {write(fed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
