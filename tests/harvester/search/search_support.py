"""A real SearchIndex over a real pyoxigraph store, built in a temporary folder from small cases.

index = index_of(tmp_path, {"case-1": {"title": {"sv": "Nattillsyn"}, "summary": {...}}})
ids = found(index, "tillsyn", "sv")   # every case the query finds, over all result pages

The cases are written into the store as the harvester commits them (one named graph per case,
named by the case IRI, `a stf:Case` with language-tagged dct:title, dct:description), so the index
reads them back with its own named queries, exactly as in a registry.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from stafett.harvester.search.index import SearchIndex
from stafett.harvester.search.query import Request, search
from stafett.vocabulary.terms import DCT, STF, term

BASE = "https://registry.test/"
PROVENANCE = BASE + "provenance"
CASE = BASE + "case/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PROPERTIES = {"title": term(DCT, "title"), "summary": term(DCT, "description"), "need": term(STF, "need")}


def case_quads(name: str, texts: dict[str, dict[str, str]]) -> list[ox.Quad]:
    case = ox.NamedNode(CASE + name)
    quads = [ox.Quad(case, RDF_TYPE, term(STF, "Case"), case)]
    for key, by_language in texts.items():
        for language, text in by_language.items():
            quads.append(ox.Quad(case, PROPERTIES[key], ox.Literal(text, language=language), case))
    return quads


def index_of(folder: Path, cases: dict[str, dict[str, dict[str, str]]]) -> SearchIndex:
    store = ox.Store()
    store.bulk_extend([quad for name, texts in cases.items() for quad in case_quads(name, texts)])
    index = SearchIndex(folder / "search", store, PROVENANCE, BASE)
    assert index.rebuild() == len(cases)
    return index


def found(index: SearchIndex, q: str, lang: str) -> list[str]:
    """The names of every case the query finds, best first, over all result pages."""
    names, page = [], 1
    while True:
        answer = search(index, Request(q=q, lang=lang, page=page))
        names.extend(result["id"].removeprefix(CASE) for result in answer["results"])
        if len(names) >= answer["total"] or not answer["results"]:
            return names
        page += 1
