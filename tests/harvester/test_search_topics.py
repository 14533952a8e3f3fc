"""Topics across languages (issue 13, item 3): real loopback nodes publish example cases, some with
a `topic` and most without; a real registry harvests them, suggests topics for those without (in
its provenance graph only) and answers `GET /search` over HTTP with topic facets and concept
expansion. Expected answers are read from the registry's store with SPARQL, never written in."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from stafett import vocabulary
from stafett.harvester.app import create_app
from stafett.harvester.registry import Registry
from stafett.harvester.search.index import MARKER_FILE
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, serve_in_thread, url_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
NODES = {
    "se": (
        "vaxjo-digital-night-supervision-pilot",  # topic: digital-night-supervision, home-care, …
        "region-vastmark-electric-regional-buses",  # topic: electric-buses, public-transport
        "harjula-etakuntoutus-pcp",  # Finnish, no topic
    ),
    "no": (
        "norreby-digital-medicindispenser",  # Danish, no topic; its text says "hjemmeplejen"
        "fjordvik-digital-medisindispenser",  # Norwegian, no topic
        "fjordvik-lekkasjedeteksjon-vannledning",  # topic: water-leakage, water-networks
    ),
}
TOPIC = "https://w3id.org/stafett/concept/topic/"
SUGGESTIONS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?graph ?case ?topic ?activity ?agent ?label
WHERE {
  GRAPH ?graph { ?case stf:suggestedTopic ?topic }
  OPTIONAL {
    GRAPH ?graph { ?activity a stf:TopicSuggestion ; prov:used ?case ; prov:wasAssociatedWith ?agent ;
                   stf:matchedLabel ?label }
  }
}
"""
OWN_TOPICS = """
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?case ?topic WHERE { GRAPH ?case { ?case dct:subject ?topic } }
"""
LESSONS = """
PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT (COUNT(DISTINCT ?case) AS ?n) WHERE { GRAPH ?case { ?case stf:lessonsLearned ?text } }
"""
PROCEDURES = """
PREFIX epo: <http://data.europa.eu/a4g/ontology#>
PREFIX stf: <https://w3id.org/stafett/ns#>
SELECT ?type (COUNT(DISTINCT ?case) AS ?n)
WHERE { GRAPH ?case { ?case stf:procedure/epo:hasProcedureType ?type } } GROUP BY ?type
"""
UNDER_CPV = """
PREFIX epo: <http://data.europa.eu/a4g/ontology#>
SELECT DISTINCT ?case ?area
WHERE { GRAPH ?case { ?case epo:hasMainClassification ?code } FILTER(STRSTARTS(STR(?code), ?area)) }
"""


def start_node(folder: Path, name: str):
    sock = bind()
    settings, store, token = node_bootstrap.init_node(
        folder, url_of(sock), {"sv": name}, None, "SWE", ("sv", "en")
    )
    server = node_bootstrap.start_node(settings, store, sock)
    http = httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    return server, http


def example(name: str, **changes) -> dict:
    doc = json.loads((EXAMPLES / f"{name}.jsonld").read_text("utf-8"))
    for key in ("id", "relatedCase", "scaledUpFrom", "adoptedFrom", "adoptedBy"):
        doc.pop(key, None)  # links to cases the node does not hold
    return {**doc, **changes}


def put(http: httpx.Client, slug: str | None, doc: dict) -> str:
    body, kind = json.dumps(doc).encode(), {"Content-Type": "application/ld+json"}
    if slug is None:
        response = http.post("cases", content=body, headers=kind)
        assert response.status_code == 201, response.text
        return response.headers["Location"].rsplit("/", 1)[1]
    etag = http.get(f"cases/{slug}", headers={"Accept": "application/ld+json"}).headers["ETag"]
    response = http.put(f"cases/{slug}", content=body, headers={**kind, "If-Match": etag})
    assert response.status_code in (200, 204), response.text
    return slug


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Two nodes, one registry harvesting both and serving its search over HTTP."""
    tmp = tmp_path_factory.mktemp("topics")
    nodes, cases, sources = [], {}, []
    for node, names in NODES.items():
        server, http = start_node(tmp / node, node)
        nodes.append((server, http))
        sources.append(Source(node, str(http.base_url), (str(http.base_url),)))
        for name in names:
            slug = put(http, None, example(name))
            cases[name] = (http, slug, f"{http.base_url}case/{slug}")
    sock = bind()
    settings = RegistrySettings(data_dir=tmp / "registry", base_url=url_of(sock), allow_loopback=True)
    registry = Registry(settings, sources)
    assert all(run["status"] == "ok" for run in registry.harvest())
    server = serve_in_thread(create_app(registry=registry), sock)
    client = httpx.Client(base_url=url_of(sock), timeout=30, headers={"Accept": "application/json"})
    yield {"registry": registry, "client": client, "cases": cases}
    client.close()
    server.stop()
    registry.close()
    for node_server, http in nodes:
        http.close()
        node_server.stop()


def pref_label(key: str, code: str, lang: str) -> str:
    """The concept's skos:prefLabel in that language, as the shipped vocabulary has it."""
    iri = vocabulary.concept_iri(key, code)
    [label] = [
        q.object.value
        for q in vocabulary.reference_quads()
        if q.subject.value == iri and q.predicate.value.endswith("#prefLabel") and q.object.language == lang
    ]
    return label


def found(client: httpx.Client, **params) -> dict:
    response = client.get("/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def suggestions(registry: Registry) -> list[dict]:
    names = ("graph", "case", "topic", "activity", "agent", "label")
    return [
        {name: (row[name].value if row[name] is not None else None) for name in names}
        for row in registry.store.query(SUGGESTIONS)
    ]


def test_cases_without_a_topic_get_suggestions_in_provenance_only(world):
    registry, cases = world["registry"], world["cases"]
    rows = suggestions(registry)
    prov_graph = registry.search.prov_graph
    assert rows and {row["graph"] for row in rows} == {prov_graph}  # never in a case's own graph
    danish = cases["norreby-digital-medicindispenser"][2]
    mine = [row for row in rows if row["case"] == danish]
    assert TOPIC + "home-care" in {row["topic"] for row in mine}
    assert TOPIC + "medication-management" in {row["topic"] for row in mine}
    # Who suggested (the registry) and how (the labels found in the text), said with PROV.
    assert {row["agent"] for row in mine} == {registry.settings.base_url}
    assert "hjemmepleje" in {row["label"].lower() for row in mine}
    # A publisher's topics are never joined by suggestions; they stay the case's own.
    own = {(row["case"].value, row["topic"].value) for row in registry.store.query(OWN_TOPICS)}
    tagged = {case for case, _ in own}
    assert {
        cases["vaxjo-digital-night-supervision-pilot"][2],
        cases["region-vastmark-electric-regional-buses"][2],
    } <= tagged
    assert not tagged & {row["case"] for row in rows}
    assert (cases["vaxjo-digital-night-supervision-pilot"][2], TOPIC + "home-care") in own


def test_hemtjanst_in_swedish_finds_the_danish_case_through_its_topic(world):
    client, cases = world["client"], world["cases"]
    answer = found(client, q="hemtjänst", lang="sv")
    hits = {hit["id"]: hit for hit in answer["results"]}
    danish, swedish = (
        cases["norreby-digital-medicindispenser"][2],
        cases["vaxjo-digital-night-supervision-pilot"][2],
    )
    assert {danish, swedish} <= set(hits)
    assert {"value": "home-care", "label": "Hemtjänst", "facet": "topic"} in answer["also_matched"]
    assert hits[danish]["snippet"]  # found through the concept, it still shows its text
    # The Danish case's home care is the registry's suggestion, the Swedish one's the publisher's.
    assert {"value": "home-care", "label": "Hemtjänst", "suggested": True} in hits[danish]["topics"]
    assert {"value": "home-care", "label": "Hemtjänst", "suggested": False} in hits[swedish]["topics"]
    # The concept is named in the reader's language, whichever language the query word was in.
    danish_reader = found(client, q="hemtjänst", lang="da")["also_matched"]
    assert {"value": "home-care", "label": "Hjemmepleje", "facet": "topic"} in danish_reader
    # Without the concept the Swedish word does not occur in the Danish text at all.
    assert found(client, q="xyzzy hemtjänst")["total"] == 0
    assert found(client, q="medicindispenser", lang="sv")["also_matched"][0]["facet"] == "topic"


def test_the_topic_facet_counts_publishers_and_suggested_topics_and_marks_which(world):
    registry, client = world["registry"], world["client"]
    rows = suggestions(registry)
    own = {(row["case"].value, row["topic"].value) for row in registry.store.query(OWN_TOPICS)}
    expected: dict[str, set] = {}
    for case, topic in own | {(row["case"], row["topic"]) for row in rows}:
        expected.setdefault(topic.removeprefix(TOPIC), set()).add(case)
    buckets = {b["value"]: b for b in found(client, lang="nb")["facets"]["topic"]}
    assert {value: b["count"] for value, b in buckets.items()} == {t: len(c) for t, c in expected.items()}
    suggested_only = {row["topic"].removeprefix(TOPIC) for row in rows}
    assert (
        buckets["home-care"]["suggested"] >= 1
        and buckets["home-care"]["count"] > buckets["home-care"]["suggested"]
    )
    assert all(buckets[t]["suggested"] >= 1 for t in suggested_only)
    assert buckets["electric-buses"]["suggested"] == 0
    assert buckets["home-care"]["label"] == "Hjemmetjeneste"
    chosen = found(client, topic="home-care")
    assert {hit["id"] for hit in chosen["results"]} == expected["home-care"]


def test_procedure_type_funding_programme_and_lessons_are_facets_labelled_from_skos(world):
    registry, client = world["registry"], world["client"]
    facets = found(client, lang="sv")["facets"]
    in_store = {
        row["type"].value.rsplit("/", 1)[1]: int(row["n"].value) for row in registry.store.query(PROCEDURES)
    }
    assert {b["value"]: b["count"] for b in facets["procedureType"]} == in_store
    labels = {b["value"]: b["label"] for b in facets["procedureType"]}
    assert labels == {code: pref_label("procedureType", code, "sv") for code in in_store}
    assert {b["value"]: b["label"] for b in facets["fundingProgramme"]} == {
        "HORIZONEU": pref_label("programme", "HORIZONEU", "sv")
    }
    [[lessons]] = [[int(row["n"].value) for row in registry.store.query(LESSONS)]]
    counts = {b["value"]: b["count"] for b in facets["hasLessons"]}
    assert counts.get("true", 0) == lessons and sum(counts.values()) == len(world["cases"])


def test_a_cpv_label_in_any_language_finds_the_cases_classified_under_it(world):
    registry, client = world["registry"], world["client"]

    def under(area: str) -> set[str]:
        bound = {ox.Variable("area"): ox.Literal("http://data.europa.eu/cpv/cpv/" + area)}
        return {row["case"].value for row in registry.store.query(UNDER_CPV, substitutions=bound)}

    # Finnish for 85312000: no case here is written in Finnish about social work.
    answer = found(client, q="Sosiaalityön avopalvelut", lang="fi")
    cpv = {"value": "85312000", "label": "Sosiaalityön avopalvelut", "facet": "cpv"}
    assert cpv in answer["also_matched"]
    assert {hit["id"] for hit in answer["results"]} == under("85312") and len(under("85312")) >= 2
    # CPV labels count in the reader's language and English only: Danish "and" (a duck) and "is"
    # (ice) are no CPV concepts for an English reader; English ones are for every reader.
    assert not found(client, q="is and", lang="en")["also_matched"]
    english = found(client, q="Social work services without accommodation", lang="sv")["also_matched"]
    assert {"value": "85312000", "label": "Socialvård utan inkvartering", "facet": "cpv"} in english
    # A division's label also finds the cases classified below it (CPV 853…: 85312000).
    division = found(client, q="Socialvård och tillhörande tjänster", lang="sv")
    assert {hit["id"] for hit in division["results"]} == under("853")
    # A sector's label works the same way, and words beside the concept still have to match.
    energy = found(client, q="Sundhed og omsorg", lang="da")
    assert {"value": "health-social-care", "label": "Sundhed og omsorg", "facet": "sector"} in energy[
        "also_matched"
    ]
    assert found(client, q="Sundhed og omsorg xyzzy")["total"] == 0


def test_a_topic_of_its_own_replaces_the_suggestion(world):
    registry, client, cases = world["registry"], world["client"], world["cases"]
    http, slug, iri = cases["fjordvik-digital-medisindispenser"]
    before = {row["topic"] for row in suggestions(registry) if row["case"] == iri}
    assert before, "the Norwegian case had suggestions to lose"
    try:
        put(http, slug, example("fjordvik-digital-medisindispenser", topic=["medication-management"]))
        registry.harvest()
        assert not [row for row in suggestions(registry) if row["case"] == iri]
        [hit] = [h for h in found(client, topic="medication-management")["results"] if h["id"] == iri]
        assert hit["topics"] == [
            {"value": "medication-management", "label": "Medication management", "suggested": False}
        ]
    finally:
        put(http, slug, example("fjordvik-digital-medisindispenser"))
        registry.harvest()
    assert {row["topic"] for row in suggestions(registry) if row["case"] == iri} == before


def test_an_index_of_an_earlier_version_is_rebuilt_with_the_topic_fields(world, tmp_path):
    """An index written before the topic fields existed (its schema lacks them), even with the
    store's marker: the registry drops and rebuilds it on start instead of refusing to open."""
    import tantivy

    sources = world["registry"].sources
    data_dir = tmp_path / "registry"
    registry = Registry(RegistrySettings(data_dir=data_dir, allow_loopback=True), sources)
    registry.harvest()
    marker = registry.search.store_marker()
    registry.close()
    folder = data_dir / "search"
    for child in folder.iterdir():
        child.unlink()
    earlier = tantivy.SchemaBuilder()
    earlier.add_text_field("id", stored=True, tokenizer_name="raw")
    tantivy.Index(earlier.build(), path=str(folder), reuse=True)
    (folder / MARKER_FILE).write_text(json.dumps({"marker": marker}), "utf-8")
    registry = Registry(RegistrySettings(data_dir=data_dir, allow_loopback=True), sources)
    try:
        from stafett.harvester.search.query import Request, search

        assert registry.search.in_step()
        answer = search(registry.search, Request(q="hemtjänst", lang="sv"))
        assert answer["total"] >= 2 and answer["also_matched"]
        assert answer["facets"]["topic"]
    finally:
        registry.close()


def test_every_topic_label_leads_back_to_its_topic_in_its_language():
    """Each prefLabel and altLabel, analysed as its language's text is, finds its own topic (and no
    other): no label is lost to the analysers, and inflected forms of a text meet the label."""
    from stafett.harvester.search.analysis import field_for
    from stafett.harvester.search.concepts import Concept, matches, scheme_labels

    topics = {c: labels for c, labels in scheme_labels().items() if c.facet == "topic"}
    assert len(topics) >= 140
    for concept, labels in topics.items():
        for text, language, _ in labels:
            assert concept in matches(field_for(language), text), (concept, text, language)
    inflected = {
        ("sv", "Hemtjänsten prövade nattkameror"): "home-care",
        ("da", "Borgere i hjemmeplejen"): "home-care",
        ("fi", "kotihoitoa tarvitsevat"): "home-care",  # (gradation, "kotihoidon", is not joined)
        ("nb", "Elbussene går i rute"): "electric-buses",
        ("nn", "Skulemåltida vert planlagde"): "school-meals",
        ("en", "school meals and food waste"): "food-waste",
        ("is", "Heimaþjónusta sveitarfélagsins"): "home-care",
    }
    for (language, text), code in inflected.items():
        assert Concept("topic", code) in matches(field_for(language), text), (language, text)
    assert not matches(field_for("sv"), "Kommunen upphandlade en lösning"), "no topic in plain words"
