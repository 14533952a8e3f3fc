"""Example query 29 (the statistics page's "open offers") counts an offer as open through its end
date, given as a day, a month or a year, and not after it (issue 15 item 2): an offer that ended
yesterday is not counted, one without an end date is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox

from stafett.vocabulary.terms import XSD

QUERY = Path(__file__).resolve().parents[2] / "examples" / "queries" / "29-open-offers.rq"
STF = "https://w3id.org/stafett/ns#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def case(store: ox.Store, name: str, offer: str, until: tuple[str, str] | None) -> None:
    iri = ox.NamedNode(f"https://node.example/case/{name}")
    graph = iri  # one named graph per case, as the registry keeps them
    store.add(ox.Quad(iri, RDF_TYPE, ox.NamedNode(STF + "Case"), graph))
    store.add(
        ox.Quad(
            iri, ox.NamedNode(STF + offer), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), graph
        )
    )
    if until:
        value, datatype = until
        store.add(
            ox.Quad(
                iri,
                ox.NamedNode(STF + offer + "Until"),
                ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)),
                graph,
            )
        )


def test_an_offer_counts_as_open_through_its_end_and_not_after():
    today = datetime.now(UTC).date()
    yesterday = (today - timedelta(days=1)).isoformat()
    store = ox.Store()
    case(store, "ended-yesterday", "openForAdoption", (yesterday, "date"))
    case(store, "ends-today", "openForAdoption", (today.isoformat(), "date"))
    case(store, "no-end", "openForAdoption", None)
    case(store, "ended-last-year", "openForPartners", (str(today.year - 1), "gYear"))
    case(store, "this-month", "openForPartners", (today.isoformat()[:7], "gYearMonth"))
    answer = store.query(QUERY.read_text("utf-8"), use_default_graph_as_union=True)
    counts = {row["offer"].value.removeprefix(STF): int(row["cases"].value) for row in answer}
    assert counts == {"openForAdoption": 2, "openForPartners": 1}
