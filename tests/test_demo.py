"""End to end: the demo federation in-process (real node and registry servers on loopback).

Every country's cases reach the Nordic registry's SPARQL endpoint, some through the Swedish
aggregator; an edit and a delete made through a node's HTTP write API reach it after the next
harvests. Expected counts come from the example files, not from the code under test.
"""

from __future__ import annotations

import io
import json
from collections import Counter

import httpx
import pytest

from stafett.cli import main
from stafett.demo import (
    DEFAULT_FEDERATION,
    ask,
    load_federation,
    print_answer,
    print_summary,
    search_page_url,
    start_federation,
)

COUNTRY_IRI = "http://publications.europa.eu/resource/authority/country/"
TITLE_OF = """PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?title WHERE { ?case dct:title ?title FILTER(STR(?case) = ?iri && LANG(?title) = "sv") }"""


@pytest.fixture(scope="module")
def federation(tmp_path_factory):
    layout = load_federation(DEFAULT_FEDERATION)
    running = start_federation(layout, tmp_path_factory.mktemp("demo"))
    running.reports = running.harvest()
    yield running
    running.stop()


def example_countries(layout) -> Counter:
    counts: Counter = Counter()
    for spec in layout.nodes.values():
        for path in layout.case_files(spec):
            counts[json.loads(path.read_bytes())["country"]] += 1
    return counts


def test_layout_has_four_countries_and_a_national_aggregator():
    layout = load_federation(DEFAULT_FEDERATION)
    assert len({n.country for n in layout.nodes.values()}) >= 4
    national, nordic = list(layout.aggregators.values())
    assert national.name in nordic.sources and set(national.sources) <= set(layout.nodes)
    assert set(layout.nodes_behind(nordic.name)) == set(layout.nodes)  # every node reaches the top


def test_first_query_counts_cases_by_country(federation):
    variables, rows = ask(federation.top.sparql_url, federation.federation.first_query)
    assert variables == ["country", "cases"]
    answer = {row["country"].removeprefix(COUNTRY_IRI): int(row["cases"]) for row in rows}
    assert answer == dict(example_countries(federation.federation))
    out = io.StringIO()
    print_summary(federation, federation.reports, out)
    print_answer(federation.top.sparql_url, federation.federation.first_query, variables, rows, out)
    text = out.getvalue()
    assert federation.top.sparql_url in text and "SWE" in text
    assert f"{sum(answer.values())} cases from {len(answer)} countries" in text


def _node_client(node) -> httpx.Client:
    return httpx.Client(base_url=node.base_url, headers={"Authorization": f"Bearer {node.token}"}, timeout=30)


def _title(federation, iri: str) -> set[str]:
    query = TITLE_OF.replace("?iri", json.dumps(iri))  # test-only: a literal, JSON-escaped
    return {row["title"] for row in ask(federation.top.sparql_url, query)[1]}


def test_edit_and_delete_at_nodes_reach_the_nordic_registry(federation):
    national = next(iter(federation.federation.aggregators.values()))
    swedish = federation.nodes[national.sources[0]]  # reaches the top only through the aggregator
    direct = next(n for name, n in federation.nodes.items() if name not in national.sources)
    with _node_client(swedish) as http:
        slug = swedish.store.list_published(0, 1)[0].slug
        current = http.get(f"cases/{slug}")
        assert current.status_code == 200, current.text
        document = current.json()
        document["title"] = {**document.get("title", {}), "sv": "Omdöpt i demotestet"}
        for key in ("publisher", "issued", "modified", "version"):
            document.pop(key, None)
        headers = {"Content-Type": "application/ld+json", "If-Match": current.headers["etag"]}
        edited = http.put(f"cases/{slug}", content=json.dumps(document).encode(), headers=headers)
        assert edited.status_code == 200, edited.text
    edited_iri = f"{swedish.base_url}case/{slug}"
    with _node_client(direct) as http:
        gone = direct.store.list_published(0, 1)[0]
        assert http.delete(f"cases/{gone.slug}").status_code in (200, 204)
    # The case itself (its own named graph), not the registry's provenance about it, which stays.
    is_case = f"ASK {{ GRAPH <{gone.iri}> {{ <{gone.iri}> a <https://w3id.org/stafett/ns#Case> }} }}"
    before = httpx.get(federation.top.sparql_url, params={"query": is_case}).json()
    assert before["boolean"] is True, "the case was in the registry before the delete was harvested"
    assert "Omdöpt i demotestet" not in _title(federation, edited_iri)

    federation.harvest()  # national first, then Nordic

    assert _title(federation, edited_iri) == {"Omdöpt i demotestet"}
    after = httpx.get(federation.top.sparql_url, params={"query": is_case}).json()
    assert after["boolean"] is False


def test_cli_knows_the_demo():
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--help"])
    assert exit_info.value.code == 0


def test_bad_federation_file_is_a_clear_problem(tmp_path):
    bad = tmp_path / "federation.toml"
    bad.write_text('cases_dir = "."\n[nodes.x]\norigin = "https://x.example/"\n', encoding="utf-8")
    assert main(["demo", "--once", "--federation", str(bad)]) == 2


def test_demo_once_prints_addresses_and_the_first_answer(capsys, tmp_path):
    """What `bash scripts/demo --once` does, through the CLI entry point."""
    assert main(["demo", "--once", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    layout = load_federation(DEFAULT_FEDERATION)
    counts = example_countries(layout)
    assert "Publisher nodes:" in out and "Aggregators:" in out and "/sparql" in out
    assert f"{sum(counts.values())} cases from {len(counts)} countries" in out
    for country, n in counts.items():
        assert any(line.split() == [country, str(n)] for line in out.splitlines()), (country, n)
    last = out.strip().splitlines()[-1]
    assert last.startswith("Search the cases in a browser: http://127.0.0.1:") and last.endswith("/search")
    sign_in = next(line for line in out.splitlines() if line.startswith("Write cases in a browser at "))
    assert "/sign-in as demo, credential " in sign_in  # one node with authoring on, and who signs in


def test_the_search_page_finds_the_demos_cases_in_every_language(federation):
    """A person finds the cases by words and facets whatever interface language they read."""
    url = search_page_url(federation)
    for lang in ("sv", "nb", "nn", "da", "fi", "is", "en"):
        page = httpx.get(
            url, params={"q": "digital", "lang": lang, "country": "SWE"}, headers={"Accept": "text/html"}
        )
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["content-language"] == lang and page.text.count('<h3><a href="/cases?id=') >= 2
