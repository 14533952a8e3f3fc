"""Write the Nordic place schemes (vocabulary/reference/places-*.ttl, nuts*.ttl) from the CSV sources.

    python -m stafett.vocabulary.places_build SOURCE_FOLDER

SOURCE_FOLDER holds one CSV per country (se, no, dk, fi, is) and `nuts.ttl`, as described in
vocabulary/reference/README.md. Nothing is typed by hand here: names and codes come from the
files; only the IRIs and the scheme descriptions are Stafett's. Rerun it when a source changes.

Every place is one concept under the key's union scheme (`…/place/municipality`, `…/place/region`,
which the shapes check codes against) and in its country's own scheme (`…/place/se-kommun`, …).
Codes carry the ISO 3166-1 alpha-2 prefix of the country (`SE-0180`) because Swedish and Norwegian
municipality numbers overlap.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from stafett.vocabulary.terms import NUTS, STF_PLACE

PLACE_BASE = STF_PLACE
NUTS_BASE = NUTS
OUT = Path(__file__).resolve().parent / "reference"


@dataclass(frozen=True)
class Level:
    """One administrative level of one country in the source CSV."""

    country: str  # ISO 3166-1 alpha-2
    level: str  # value of the CSV's `level` column
    union: str  # municipality | region
    scheme: str  # local name of the country scheme
    title: str  # English title of the country scheme
    name_column: str
    language: str  # language tag of the names
    code_column: str = "code"


LEVELS = (
    Level("SE", "lan", "region", "se-lan", "Swedish counties (län) by länskod (SCB)", "name_sv", "sv"),
    Level(
        "SE",
        "kommun",
        "municipality",
        "se-kommun",
        "Swedish municipalities by kommunkod (SCB)",
        "name_sv",
        "sv",
    ),
    Level(
        "NO", "fylke", "region", "no-fylke", "Norwegian counties (fylker, 2024) by fylkesnummer", "name", "no"
    ),
    Level(
        "NO",
        "kommune",
        "municipality",
        "no-kommune",
        "Norwegian municipalities (2024) by kommunenummer",
        "name",
        "no",
    ),
    Level("DK", "region", "region", "dk-region", "Danish regions by regionskode", "name_da", "da"),
    Level(
        "FI",
        "maakunta",
        "region",
        "fi-maakunta",
        "Finnish regions (maakunnat) by maakuntanumero",
        "name",
        "fi",
    ),
    Level("IS", "landshluti", "region", "is-landshluti", "Icelandic regions (landshlutar)", "name_is", "is"),
    Level(
        "IS",
        "sveitarfelag",
        "municipality",
        "is-sveitarfelag",
        "Icelandic municipalities (sveitarfélög) by ISO 3166-2 code",
        "name_is",
        "is",
        "iso_3166_2",
    ),
)
# Names the source gives in another language than the country's own.
NAME_LANGUAGE = {("FI", "01"): "sv"}  # Landskapet Åland
UNION_TITLES = {"municipality": "Nordic municipalities", "region": "Nordic regions"}


def literal(text: str, language: str | None = None) -> str:
    return json.dumps(text, ensure_ascii=False) + (f"@{language}" if language else "")


def code_of(level: Level, row: dict) -> str:
    """`SE-0180`; the Icelandic ISO codes already carry the prefix."""
    code = row[level.code_column]
    return code if code.startswith(f"{level.country}-") else f"{level.country}-{code}"


def parent_of(level: Level, row: dict) -> str | None:
    parent = row.get("parent_iso") or row.get("parent_code")
    if not parent:
        return None
    return parent if parent.startswith(f"{level.country}-") else f"{level.country}-{parent}"


def nuts_links(level: Level, row: dict) -> list[tuple[str, str]]:
    """(SKOS mapping property, NUTS code) for a region: exact where the region is the NUTS unit."""
    if level.union != "region":
        return []
    if level.country == "DK":
        return [("skos:exactMatch", row["nuts2_2024"])]
    nuts = row["nuts3_2024"]
    if level.country == "IS" and nuts == "IS002":
        return [("skos:broadMatch", nuts)]  # Landsbyggð: all regions outside the capital
    return [("skos:exactMatch", nuts)]


def concept(level: Level, row: dict) -> str:
    code = code_of(level, row)
    language = NAME_LANGUAGE.get((level.country, row[level.code_column]), level.language)
    lines = [
        f"<{PLACE_BASE}{level.union}/{code}> a skos:Concept ;",
        f"    skos:inScheme <{PLACE_BASE}{level.union}>, <{PLACE_BASE}{level.scheme}> ;",
        f"    skos:notation {literal(code)} ;",
        f"    skos:prefLabel {literal(row[level.name_column], language)}",
    ]
    parent = parent_of(level, row)
    if parent:
        lines[-1] += " ;"
        lines.append(f"    skos:broader <{PLACE_BASE}region/{parent}>")
    for relation, nuts in nuts_links(level, row):
        lines[-1] += " ;"
        lines.append(f"    {relation} <{NUTS_BASE}{nuts}>")
    return "\n".join(lines) + " .\n"


def scheme_block(iri: str, title: str, source: str) -> str:
    return (
        f"<{iri}> a skos:ConceptScheme ;\n    dct:title {literal(title, 'en')} ;\n"
        f"    dct:source {literal(source)} .\n"
    )


HEADER = """# GENERATED by `python -m stafett.vocabulary.places_build` from the place sources named in
# vocabulary/reference/README.md ({source}). Do not edit by hand.
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .

"""
SOURCES = {
    "SE": "SCB codes via sjbrg/swedish-geodata (CC0 1.0)",
    "NO": "SSB/Kartverket numbers via navikt/paw-arbeidssoekerregisteret-for-personbruker (MIT)",
    "DK": "ISO 3166-2 via pycountry / Debian iso-codes (LGPL-2.1)",
    "FI": "ISO 3166-2 via pycountry / Debian iso-codes (LGPL-2.1)",
    "IS": "ISO 3166-2 via pycountry / Debian iso-codes (LGPL-2.1)",
}


def country_file(country: str, source: Path) -> str:
    rows = list(csv.DictReader((source / f"{country.lower()}.csv").open(encoding="utf-8", newline="")))
    parts = [HEADER.format(source=f"{country.lower()}.csv")]
    if country == "SE":  # the union schemes live once, in the first file
        parts += [
            scheme_block(f"{PLACE_BASE}{u}", t, "Stafett; see the country schemes")
            for u, t in UNION_TITLES.items()
        ]
    for level in (lv for lv in LEVELS if lv.country == country):
        parts.append(scheme_block(f"{PLACE_BASE}{level.scheme}", level.title, SOURCES[country]))
        parts += [concept(level, row) for row in rows if row["level"] == level.level]
    return "\n".join(parts)


NUTS_UNION = """# ADDED BY STAFETT (generated by `python -m stafett.vocabulary.places_build`): the key `nuts`
# names one scheme for the NUTS 2021 and 2024 codes of nuts.ttl, so that a code of either edition is
# accepted. Not from the Publications Office.
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .

<http://data.europa.eu/nuts/code> a skos:ConceptScheme ;
    dct:title "NUTS codes of the Nordic countries, editions 2021 and 2024 (Stafett's union)"@en .

"""


def nuts_union(nuts_ttl: Path) -> str:
    import pyoxigraph as ox

    codes = sorted(
        {
            q.subject.value
            for q in ox.parse(path=str(nuts_ttl), format=ox.RdfFormat.TURTLE)
            if q.subject.value.startswith(NUTS_BASE)
        }
    )
    return NUTS_UNION + "".join(f"<{c}> skos:inScheme <http://data.europa.eu/nuts/code> .\n" for c in codes)


def build(source: Path, out: Path = OUT) -> list[Path]:
    written = []
    for country in SOURCES:
        path = out / f"places-{country.lower()}.ttl"
        path.write_text(country_file(country, source), encoding="utf-8")
        written.append(path)
    shutil.copyfile(source / "nuts.ttl", out / "nuts.ttl")
    (out / "nuts-stafett-scheme.ttl").write_text(nuts_union(source / "nuts.ttl"), encoding="utf-8")
    return [*written, out / "nuts.ttl", out / "nuts-stafett-scheme.ttl"]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for written_path in build(Path(sys.argv[1])):
        print(written_path)
