"""schemathesis (the stock OpenAPI fuzzer) against a real node and a real registry on loopback.

Each loads the server's own /openapi.json over HTTP, generates requests from it (bounded: 25
fuzzed and at most 60 boundary cases per operation, no shrinking) and checks every answer: no 5xx,
a documented status code, the documented media type, headers and body schema, and no refusal of a
request the description calls valid (positive_data_acceptance, with the statuses each server may
give a well-formed request that names nothing, e.g. 404). About 12 s for both.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import checks

from stafett.serving import bind, serve_in_thread, url_of

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cases"
QUERIES = ROOT / "harvester" / "sparql" / "examples"
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.positive_data_acceptance,
]
MAX_EXAMPLES = 25
MAX_COVERAGE = 60  # boundary cases per operation
# The SPARQL endpoint raises the recursion limit for deeply nested queries (gate.py); hypothesis only
# notes that it will not undo that.
pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")


def turtle_bodies() -> list[bytes]:
    """Real cases as Turtle and N-Triples, so generated RDF bodies include valid ones too."""
    import pyoxigraph as ox
    from pyld import jsonld

    from stafett.vocabulary.jsonld import context_document

    context = context_document()
    bodies = {"text/turtle": [], "application/n-triples": []}
    for path in sorted(EXAMPLES.glob("*.jsonld"))[:3]:
        doc = json.loads(path.read_text("utf-8"))
        doc["@context"] = context["@context"]
        nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
        quads = list(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        bodies["text/turtle"].append(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
        bodies["application/n-triples"].append(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    return bodies


def register_rdf_media_types() -> None:
    bodies = turtle_bodies()
    for media_type, samples in bodies.items():
        # A string schema cannot say "valid Turtle": these are the bodies the description promises.
        schemathesis.openapi.media_type(media_type, st.sampled_from(samples))


def fuzz(
    base_url: str,
    accepted: list,
    headers: dict[str, str] | None = None,
    path_parameters: dict[str, list[str]] | None = None,
) -> dict[str, dict[int, int]]:
    """Run every operation of the server's description; per operation, how many answers of each status.

    `accepted`: the statuses a request that fits the description may get (anything else, e.g. a 400
    or 415 for a well-formed request, fails positive_data_acceptance). `path_parameters`: values that
    name things the server has (generated ones mostly name nothing), drawn half of the time."""
    config = schemathesis.Config.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": [str(s) for s in accepted]}}}
    )
    schema = schemathesis.openapi.from_url(base_url + "openapi.json", config=config)
    calls: dict[str, dict[int, int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        calls[operation.label] = fuzz_operation(operation, base_url, headers, path_parameters or {})
        for status in coverage(schema, operation, base_url, headers):
            calls[operation.label][status] = calls[operation.label].get(status, 0) + 1
    return calls


def coverage(schema, operation, base_url: str, headers) -> list[int]:
    """schemathesis' coverage phase: boundary values of every parameter (an empty If-Match, the
    shortest and longest strings, each enum value), as the command-line run does; valid ones only."""
    config = schema.config.generation_for(operation=operation)
    cases = schema.iter_coverage_cases(
        operation, generation_modes=[schemathesis.GenerationMode.POSITIVE], generation_config=config
    )
    statuses = []
    for case in itertools.islice(cases, MAX_COVERAGE):
        response = case.call_and_validate(
            base_url=base_url.rstrip("/"), headers=headers, checks=CHECKS, timeout=30
        )
        statuses.append(response.status_code)
    return statuses


def fuzz_operation(operation, base_url: str, headers, path_parameters: dict) -> dict[int, int]:
    strategy = operation.as_strategy()
    for name, values in path_parameters.items():
        if f"{{{name}}}" in operation.path:
            strategy = strategy | st.sampled_from(values).flatmap(
                lambda value, name=name: operation.as_strategy(path_parameters={name: value})
            )
    statuses: dict[int, int] = {}

    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def run(case):
        response = case.call_and_validate(
            base_url=base_url.rstrip("/"), headers=headers, checks=CHECKS, timeout=30
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    run()
    return statuses


def publish_examples(base_url: str, auth: dict, count: int) -> list[str]:
    slugs = []
    for path in sorted(EXAMPLES.glob("*.jsonld"))[:count]:
        written = httpx.post(
            base_url + "cases",
            content=path.read_bytes(),
            timeout=30,
            headers={**auth, "Content-Type": "application/ld+json"},
        )
        assert written.status_code == 201, written.text
        slugs.append(written.json()["slug"])
    return slugs


@pytest.fixture
def node(tmp_path):
    from stafett.node.bootstrap import init_node, start_node

    sock = bind()
    settings, store, token = init_node(
        tmp_path / "node", url_of(sock), {"sv": "Växjö kommun"}, "212000-0688", "SWE", ("sv", "en")
    )
    server = start_node(settings, store, sock)
    yield settings.base_url, token
    server.stop()
    store.close()


def test_schemathesis_finds_nothing_on_the_node(node):
    base_url, token = node
    register_rdf_media_types()
    # 404: a generated slug names no case; 409/412: another generated write got there first or the
    # generated ETag is not the current one; 422: the SHACL shapes are stricter than the JSON Schema.
    auth = {"Authorization": f"Bearer {token}"}
    slugs = publish_examples(base_url, auth, 3)
    calls = fuzz(base_url, ["2XX", 404, 409, 412, 422], auth, {"slug": slugs})
    assert set(calls) == {"POST /cases", "GET /cases/{slug}", "PUT /cases/{slug}", "DELETE /cases/{slug}"}
    assert all(sum(statuses.values()) >= 5 for statuses in calls.values()), calls


@pytest.fixture
def registry(tmp_path, node):
    """A real registry app (SPARQL, feed, reports) that has harvested one case from a real node."""
    from stafett.harvester.app import create_app
    from stafett.harvester.registry import Registry
    from stafett.harvester.settings import RegistrySettings
    from stafett.harvester.sources import Source

    node_url, token = node
    publish_examples(node_url, {"Authorization": f"Bearer {token}"}, 1)
    sock = bind()
    settings = RegistrySettings(
        data_dir=tmp_path / "registry", base_url=url_of(sock), allow_loopback=True, feed_page_size=2
    )
    registry = Registry(settings, [Source(name="n", url=node_url, namespaces=(node_url,))])
    registry.harvest()
    server = serve_in_thread(create_app(registry=registry), sock)
    yield settings.base_url
    server.stop()
    registry.close()


def test_schemathesis_finds_nothing_on_the_registry(registry):
    queries = [path.read_text("utf-8") for path in sorted(QUERIES.glob("*.rq"))[:4]]
    schemathesis.openapi.media_type(
        "application/sparql-query", st.sampled_from([q.encode() for q in queries])
    )
    # 400: a generated string is rarely SPARQL; 404: no such feed page or source; 406: a format the
    # query form cannot be written in (csv for CONSTRUCT); 409: a generated registration asks for
    # the node the registry harvests already.
    calls = fuzz(
        registry,
        ["2XX", 303, 304, 400, 404, 406, 409],
        path_parameters={"source": ["n"], "k": [0], "id": ["1"]},
    )
    assert {
        "GET /sparql",
        "POST /sparql",
        "GET /feed",
        "GET /feed/page/{k}",
        "GET /feed/state",
        "GET /reports",
        "GET /reports/{source}",
        "GET /search",
        "GET /",
        "POST /registrations",
        "GET /registrations/{id}",
        "GET /cases",
        "GET /suggest",
        "GET /chain",
        "GET /statistics",
        "GET /matches",
    } == set(calls)
    assert all(calls.values()), calls  # an operation without parameters has a single request
    assert all(
        sum(calls[op].values()) >= 5
        for op in ("GET /sparql", "POST /sparql", "GET /feed/page/{k}", "GET /reports/{source}")
    ), calls
    assert calls["POST /sparql"].get(200) and calls["GET /reports/{source}"].get(200), calls


def test_registry_refuses_unknown_paths_and_methods_as_problems(registry):
    """schemathesis' negative mode found `/feed/page/-1` answered as plain text; now problem+json."""
    for method, path, status in (
        ("GET", "feed/page/-1", 404),
        ("GET", "feed/page/abc", 404),
        ("GET", "no/such/thing", 404),
        ("POST", "feed", 405),
    ):
        answer = httpx.request(method, registry + path, timeout=30)
        assert answer.status_code == status
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == status and "/openapi.json" in answer.json()["detail"]


def test_node_description_takes_its_body_schema_from_the_case_schema(node):
    base_url, _ = node
    spec = httpx.get(base_url + "openapi.json", timeout=30).json()
    case_schema = json.loads((ROOT / "shapes" / "case.schema.json").read_text("utf-8"))
    schemas = spec["components"]["schemas"]
    assert schemas["CaseDocument"]["required"] == case_schema["required"]
    assert schemas["CaseDocument"]["properties"].keys() == case_schema["properties"].keys()
    assert set(case_schema["$defs"]) <= set(schemas)
    put = spec["paths"]["/cases/{slug}"]["put"]
    content = put["requestBody"]["content"]
    assert content["application/ld+json"]["schema"] == {"$ref": "#/components/schemas/CaseDocument"}
    assert {content[t]["schema"]["type"] for t in ("text/turtle", "application/n-triples")} == {"string"}
    (if_match,) = [p for p in put["parameters"] if p["name"] == "If-Match"]
    assert if_match["required"] and if_match["schema"]["minLength"] == 1
